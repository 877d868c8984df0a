"""Request ids and the one line each request leaves in the log.

Every request carries an id: the X-Request-ID the proxy sent when it looks like one (nginx's
$request_id, a UUID), else a fresh one. It is echoed in the X-Request-ID response header, written
on the request's log line and on every log record of the request, and shown on error pages, so
that a person who quotes it leads the operator to the very line (and traceback) of their visit.

The line costs no query: the user id is read from the user Flask-Login already loaded for the
request (none is loaded on purpose), the route is the URL rule, never the path with its ids.
"""

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect

logger = logging.getLogger("elearn.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id looks like; anything else (long, spaces, quotes, newlines that would forge
# log lines) is replaced rather than repeated into logs, headers and pages.
_SANE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")


# Kept in the WSGI environ, which belongs to one request (g belongs to the app context, which
# a test, or a worker reusing one, can keep across requests).
_ID_KEY, _STARTED_KEY = "elearn.request_id", "elearn.request_started"


def request_id() -> str:
    """This request's id, made on first use (a hook that ran before ours may ask for it)."""
    environ = request.environ
    found = environ.get(_ID_KEY)
    if found is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        found = incoming if _SANE_ID.fullmatch(incoming) else secrets.token_hex(8)
        environ[_ID_KEY] = found
    return found


def _user_id() -> int | None:
    """The logged-in person's id if Flask-Login loaded them during the request; reading the
    identity of the loaded row never queries, even after a commit expired its attributes."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    identity = state.identity if state is not None else None
    return identity[0] if identity else None


def _begin() -> None:
    request.environ[_STARTED_KEY] = time.perf_counter()
    request_id()


def _finish(response):
    rid = request_id()
    response.headers[REQUEST_ID_HEADER] = rid
    if logger.isEnabledFor(logging.INFO):
        started = request.environ.get(_STARTED_KEY)
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        route = request.url_rule.rule if request.url_rule is not None else None
        fields = {"request_id": rid, "user_id": _user_id(), "method": request.method,
                  "route": route, "status": response.status_code, "duration_ms": duration}
        logger.info("%s %s %s %sms request_id=%s user_id=%s", request.method, route,
                    response.status_code, duration, rid, fields["user_id"],
                    extra={"fields": fields})
    return response


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the record's `fields`, the
    request id of the request the record was written in, and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        elif has_request_context() and _ID_KEY in request.environ:
            entry["request_id"] = request.environ[_ID_KEY]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (as logging's last resort does), so a test
    that captures stderr, or a server that swaps it, gets the lines."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure_logging(app: Flask) -> None:
    """LOG_FORMAT=json: every record on stderr as one JSON line (production's default);
    text: Python's usual lines. The last app made in a process decides (there is one)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    if app.config["LOG_FORMAT"] == "json":
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    else:
        logging.basicConfig(level=logging.INFO)
    logging.getLogger("elearn").setLevel(logging.INFO)


def install(app: Flask) -> None:
    """Call first in create_app: the id exists before any other hook can fail, and the log
    line, registered first, is written after every other after_request hook ran."""
    app.before_request(_begin)
    app.after_request(_finish)
