"""The disclosure audit's results, shared by every worker and kept over restarts.

`disclosure.suppress` and `suppress_together` are pure functions of their input (the table's
figures, the threshold, how lines add up, the headline figures, the links between tables): the
same input always gives the same cells to hide. Their per-process cache (lru_cache) is empty in
a fresh worker, so the first request after a restart or a deploy solved every linear program
again (the annual report: seconds). Stored here under the SHA-256 of the exact input and of
ALGORITHM (a version string and the source of the audit's two modules, so any change to the
algorithm reads none of the old entries), in Redis when REDIS_URL is set (expiring after
EXPIRY), else in the `disclosure_cache` table (at most MAX_ENTRIES, the oldest dropped).

Nothing here can weaken disclosure control: a stored entry is used only for the very input
it was computed from, by the same algorithm, and an entry that does not read back as cells
of that table is ignored. The store is a help, never a condition: when it cannot be read or
written (no application, no table yet, a locked SQLite file, Redis down) the audit runs.
"""

import hashlib
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

VERSION = "1"  # bump when the audit's rules change outside audit.py and disclosure.py
MAX_ENTRIES = 5000  # a report uses about 15; dashboards and events a few each
EXPIRY = 60 * 60 * 24 * 90  # seconds, in Redis
REDIS_PREFIX = "elearn:disclosure:"


def _algorithm() -> str:
    here = Path(__file__).parent
    source = b"".join((here / name).read_bytes() for name in ("audit.py", "disclosure.py"))
    return f"{VERSION}:{hashlib.sha256(source).hexdigest()}"


ALGORITHM = _algorithm()


def _plain(value):
    """The input as JSON values, in one order: sets sorted, tuples as lists."""
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=json.dumps)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def key_of(kind: str, payload, algorithm: str | None = None) -> str:
    """SHA-256 of the algorithm, the kind of audit and its exact input."""
    text = json.dumps([algorithm or ALGORITHM, kind, _plain(payload)], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _enabled():
    from flask import current_app, has_app_context

    return has_app_context() and current_app.config.get("DISCLOSURE_CACHE", True)


def _redis():
    from flask import current_app

    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from elearn.jobs import redis_connection

    return redis_connection(url)


def _engine():
    """The store's own engine, beside the request's: its short reads and writes never join
    the request's transaction, and connect only when a worker meets a table its process
    has not audited yet (NullPool: no idle connections per application)."""
    from flask import current_app
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from elearn.extensions import db

    engine = current_app.extensions.get("disclosure_cache_engine")
    if engine is None:
        engine = create_engine(db.engine.url, poolclass=NullPool)
        current_app.extensions["disclosure_cache_engine"] = engine
    return engine


def lookup(key: str):
    """The stored JSON value for `key`, or None."""
    if not _enabled():
        return None
    try:
        connection = _redis()
        if connection is not None:
            raw = connection.get(REDIS_PREFIX + key)
            return None if raw is None else json.loads(raw)
        from elearn.extensions import db

        from .models import DisclosureResult

        with _engine().connect() as conn:
            raw = conn.execute(db.select(DisclosureResult.hidden).where(
                DisclosureResult.key == key)).scalar()
        return None if raw is None else json.loads(raw)
    except Exception as exc:  # noqa: BLE001 - the store is a help: the audit runs instead
        log.warning("disclosure cache unreadable: %s", exc)
        return None


def store(key: str, value) -> None:
    """Keep `value` (JSON) for `key`; silently nothing when the store is not there."""
    if not _enabled():
        return
    text = json.dumps(value, separators=(",", ":"))
    try:
        connection = _redis()
        if connection is not None:
            connection.set(REDIS_PREFIX + key, text, ex=EXPIRY)
            return
        _store_in_database(key, text)
    except Exception as exc:  # noqa: BLE001 - a result not kept is computed again, that is all
        log.warning("disclosure cache not written: %s", exc)


def _store_in_database(key: str, text: str) -> None:
    from elearn.db_types import utcnow
    from elearn.extensions import db

    from .models import DisclosureResult

    table = DisclosureResult.__table__
    with _engine().begin() as conn:
        # Its own short transaction beside the request's. Wait little for the lock: on
        # SQLite the request itself may hold the write lock (a POST that reads a table
        # before it commits), and waiting for ourselves would be 30 s of busy_timeout.
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout=200")
        else:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '1s'")
        try:
            if conn.execute(db.select(table.c.key).where(table.c.key == key)).first() is None:
                conn.execute(table.insert().values(key=key, hidden=text, created_at=utcnow()))
            # Bounded: the oldest entries beyond MAX_ENTRIES go.
            conn.execute(table.delete().where(table.c.key.in_(
                db.select(table.c.key).order_by(table.c.created_at.desc(), table.c.key)
                .offset(MAX_ENTRIES))))
        finally:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA busy_timeout=30000")
