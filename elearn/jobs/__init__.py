"""Background work: inline by default, an RQ queue on Redis when REDIS_URL is set.

A job is named by its dotted path so the worker imports it; the worker entry point
(`elearn.worker.run`, also named by its path here so this module never imports the app root)
builds the app, runs the job inside its context and commits. Start a worker with
`flask elearn worker` (or `rq worker elearn --url $REDIS_URL`).

A job that raises, or whose worker dies mid-run (RQ notices the lost heartbeat and treats the
job as abandoned), runs again after RETRY_INTERVALS; after the last try it stays in RQ's failed
registry with its error (`rq info --url $REDIS_URL`), never in the queue as "started". Every job
is therefore written to be safe to run twice: it claims its work with a conditional UPDATE.
"""

import importlib

from flask import current_app
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

WORKER_ENTRY = "elearn.worker.run"
QUEUE_NAME = "elearn"
RETRY_INTERVALS = [30, 120, 600]  # seconds before the 2nd, 3rd and 4th try
JOB_TIMEOUT = 3600  # a bulk issue of thousands of certificates fits well within it
_AFTER_COMMIT = "jobs_after_commit"


def resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def queued(config=None) -> bool:
    """True when jobs go to RQ: REDIS_URL is set and JOBS_INLINE is not."""
    config = current_app.config if config is None else config
    return bool(config.get("REDIS_URL")) and not config.get("JOBS_INLINE")


def redis_connection(url: str | None = None):
    from redis import Redis

    return Redis.from_url(url or current_app.config["REDIS_URL"])


def rq_queue(connection=None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection or redis_connection())


def enqueue(path: str, *args, **kwargs):
    """Run `path(*args)` now, or queue it when Redis is configured. Returns the RQ job or the
    function's result. Inline, the function runs in the caller's transaction."""
    if not queued():
        return resolve(path)(*args, **kwargs)
    from rq import Retry

    return rq_queue().enqueue(
        WORKER_ENTRY, args=(path, *args), kwargs=kwargs, job_timeout=JOB_TIMEOUT,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS))


def enqueue_after_commit(path: str, *args) -> None:
    """Like enqueue, but a queued job waits until the caller's transaction commits (and is
    dropped if it rolls back), so the worker never looks for rows not yet committed and
    nothing runs for a request that failed. Inline, it runs now, in the caller's transaction."""
    if not queued():
        resolve(path)(*args)
        return
    from elearn.extensions import db

    session = db.session()
    if not session.in_transaction():
        session.begin()  # so the rollback or commit that ends it is seen
    session.info.setdefault(_AFTER_COMMIT, []).append((path, args))


@orm_event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    for path, args in session.info.pop(_AFTER_COMMIT, []):
        enqueue(path, *args)


@orm_event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_AFTER_COMMIT, None)
