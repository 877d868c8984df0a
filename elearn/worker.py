"""The RQ worker's entry point: every queued job runs here, inside an app built from the
environment as `rq worker` sees it. It sits at the top, beside `create_app`, so no lower module
imports the app root; `elearn.jobs.enqueue` names it by its dotted path."""

from rq import Worker

from elearn import create_app
from elearn.jobs import resolve


def run(path: str, *args, **kwargs):
    with create_app().app_context():
        return resolve(path)(*args, **kwargs)


class WarmWorker(Worker):
    """`rq worker elearn --worker-class elearn.worker.WarmWorker`: the app is built once in the
    worker's main process, so the process forked for each job starts with every module imported
    (cold, each job paid seconds of imports before its work; warm, about 0.3 s)."""

    def __init__(self, *args, **kwargs):
        create_app()
        super().__init__(*args, **kwargs)
