"""Background work: inline by default, an RQ queue on Redis when REDIS_URL is set.

A job is named by its dotted path so the worker imports it; the worker entry point
(`elearn.worker.run`, also named by its path here so this module never imports the app root)
builds the app and runs the job inside its context. Start a worker with
`rq worker elearn --url $REDIS_URL`.
"""

import importlib

from flask import current_app

WORKER_ENTRY = "elearn.worker.run"


def resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def enqueue(path: str, *args, **kwargs):
    """Run `path(*args)` now, or queue it when Redis is configured. Returns the RQ job or the
    function's result."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url or current_app.config.get("JOBS_INLINE"):
        return resolve(path)(*args, **kwargs)
    from redis import Redis
    from rq import Queue

    queue = Queue("elearn", connection=Redis.from_url(redis_url))
    return queue.enqueue(WORKER_ENTRY, path, *args, **kwargs)
