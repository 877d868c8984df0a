"""Background work: inline by default, an RQ queue on Redis when REDIS_URL is set.

A job is named by its dotted path so the worker imports it; the worker runs it inside an app
context (`run_in_app`). Start a worker with `rq worker elearn --url $REDIS_URL`.
"""

import importlib

from flask import current_app


def _resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def run_in_app(path: str, *args, **kwargs):
    from elearn import create_app

    with create_app().app_context():
        return _resolve(path)(*args, **kwargs)


def enqueue(path: str, *args, **kwargs):
    """Run `path(*args)` now, or queue it when Redis is configured. Returns the RQ job or the
    function's result."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url or current_app.config.get("JOBS_INLINE"):
        return _resolve(path)(*args, **kwargs)
    from redis import Redis
    from rq import Queue

    queue = Queue("elearn", connection=Redis.from_url(redis_url))
    return queue.enqueue(run_in_app, path, *args, **kwargs)
