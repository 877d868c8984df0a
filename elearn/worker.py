"""The RQ worker's entry point: every queued job runs here, inside an app built from the
environment as `rq worker` sees it. It sits at the top, beside `create_app`, so no lower module
imports the app root; `elearn.jobs.enqueue` names it by its dotted path."""

from elearn import create_app
from elearn.jobs import resolve


def run(path: str, *args, **kwargs):
    with create_app().app_context():
        return resolve(path)(*args, **kwargs)
