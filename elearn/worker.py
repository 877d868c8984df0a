"""The RQ worker's entry point: every queued job runs here, inside an app built from the
environment as `rq worker` sees it. It sits at the top, beside `create_app`, so no lower module
imports the app root; `elearn.jobs.enqueue` names it by its dotted path.

The job's writes are committed when it returns (rolled back if it raises, and RQ retries it);
the mail it queued is then handed to delivery, as after a request."""

from rq import Worker

from elearn import create_app
from elearn.extensions import db
from elearn.jobs import resolve
from elearn.mail.services import deliver_committed


def run(path: str, *args, **kwargs):
    with create_app().app_context():
        try:
            result = resolve(path)(*args, **kwargs)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        deliver_committed()
        return result


class WarmWorker(Worker):
    """`rq worker elearn --worker-class elearn.worker.WarmWorker`: the app is built once in the
    worker's main process, so the process forked for each job starts with every module imported
    (cold, each job paid seconds of imports before its work; warm, about 0.3 s)."""

    def __init__(self, *args, **kwargs):
        create_app()
        super().__init__(*args, **kwargs)
