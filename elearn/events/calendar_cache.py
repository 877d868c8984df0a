"""Calendar files kept whole at their version, in a place every worker shares.

Calendar apps poll the same files all day, and an announcement brings hundreds of people to
one event's .ics at once. A file's *version* is read by one small aggregate query (the latest
change and the number of the rows the file is built from, the entries that have left it since,
the SEQUENCEs): it names the file's content, so it is the ETag (most polls end in a 304 without
the body), and the key of the built file, kept in Redis when REDIS_URL is set, else in the
`calendar_file_cache` table (one row per file and language; a newer version replaces it).
Nothing is kept per process, so no worker can serve a file older than the database.

What the version covers: every column of the event, its sessions and the person's
registrations moves their `updated_at` (onupdate, ORM and Core updates alike); a row added or
removed changes a count; a cancelled entry leaving the file changes the count of those gone;
the reader's language and the settings and code that shape the text are part of the key.

The store is a help, never a condition: when it cannot be read or written (Redis down, a
locked SQLite file, no table yet) the file is built, which takes milliseconds.
"""

import hashlib
import logging
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, bindparam, case, delete, func, insert, or_, select

from elearn.base_url import base_url
from elearn.db_types import utcnow
from elearn.extensions import db

from .models import (
    CalendarFileCache,
    Event,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)

log = logging.getLogger(__name__)

REDIS_PREFIX = "elearn:calendar:"
REDIS_EXPIRY = 60 * 60 * 24 * 7  # seconds; an unread file costs memory, a rebuilt one little
FORGET_AFTER = timedelta(days=30)  # database rows not rewritten since (deleted events, people)


@dataclass(frozen=True)
class Version:
    owner: str  # which file: "event:12:es", "feed:34:en"
    key: str  # the content: a hash of everything it is built from (also the ETag)
    last_modified: datetime | None  # None: nothing in it to date (an empty feed)


def keep_cancelled() -> timedelta:
    """How long after its original end a cancelled session stays in feeds and files."""
    return timedelta(days=current_app.config.get("CALENDAR_KEEP_CANCELLED_DAYS", 30))


def _latest(*values) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _key(owner: str, parts) -> str:
    text = repr((owner, _settings(), _code(), parts))
    return hashlib.sha256(text.encode()).hexdigest()


def _settings() -> tuple:
    config = current_app.config
    return (base_url(), config["MAIL_DEFAULT_SENDER"], config.get("CALENDAR_ORGANIZER"),
            config["ORGANISATION_NAME"], config.get("CALENDAR_KEEP_CANCELLED_DAYS", 30))


@lru_cache(maxsize=1)
def _code() -> str:
    """The builder's source, the translations and icalendar's version: a deploy that changes
    any of them reads none of the files built before it."""
    import icalendar

    here = Path(__file__).parent
    digest = hashlib.sha256(icalendar.__version__.encode())
    for name in ("calendar.py", "calendar_build.py", "calendar_text.py", "calendar_cache.py"):
        digest.update((here / name).read_bytes())
    for catalogue in sorted((here.parent / "translations").glob("*/LC_MESSAGES/*.mo")):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()


# --- versions -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _event_version_statement():
    """The version query of an event's file, built once: a poll of the file is this query and
    a store read, and building the expression afresh cost more CPU than running it."""
    e, s = Event.__table__.c, EventSession.__table__.c
    gone = or_(s.cancelled.is_(True), e.status == EventStatus.CANCELLED)
    left = and_(gone, s.ends_at <= bindparam("cutoff", type_=s.ends_at.type))
    return (select(e.status, e.updated_at, func.count(s.id), func.max(s.updated_at),
                   func.sum(s.sequence), func.count(case((left, 1))),
                   func.max(case((left, s.ends_at))))
            .select_from(Event.__table__)
            .outerjoin(EventSession.__table__, s.event_id == e.id)
            .where(e.id == bindparam("event_id"))
            .group_by(e.id, e.status, e.updated_at))


def event_version(event_id: int, locale: str) -> tuple[EventStatus, Version] | None:
    """The event's status and its public file's version in `locale`; None: no such event."""
    keep = keep_cancelled()
    row = db.session.connection().execute(
        _event_version_statement(), {"event_id": event_id, "cutoff": utcnow() - keep}
    ).one_or_none()
    if row is None:
        return None
    status, changed, count, sessions_changed, sequences, left_count, last_left = row
    owner = f"event:{event_id}:{locale}"
    last_modified = _latest(changed, sessions_changed, last_left + keep if last_left else None)
    key = _key(owner, (EventStatus(status), changed, count, sessions_changed, sequences,
                       left_count, last_left))
    return EventStatus(status), Version(owner, key, last_modified)


@lru_cache(maxsize=1)
def _feed_version_statement():
    """The version query of a person's feed, built once (see _event_version_statement)."""
    e, s, r = Event.__table__.c, EventSession.__table__.c, Registration.__table__.c
    cutoff = bindparam("cutoff", type_=s.ends_at.type)
    seated = (r.user_id == bindparam("user_id"),
              r.status == RegistrationStatus.CONFIRMED)
    gone = or_(s.cancelled.is_(True), e.status == EventStatus.CANCELLED)
    mine = r.user_id == bindparam("user_id")  # any status: a seat given up changes the feed
    sessions = (EventSession.__table__.join(Event.__table__, e.id == s.event_id)
                .join(Registration.__table__, r.event_id == e.id))
    last_left = (select(func.max(s.ends_at)).select_from(sessions)
                 .where(*seated, gone, s.ends_at <= cutoff))
    return (select(func.count(s.id), func.max(s.updated_at), func.max(e.updated_at),
                   func.sum(s.sequence),
                   select(func.count(r.id)).where(mine).scalar_subquery(),
                   select(func.max(r.updated_at)).where(mine).scalar_subquery(),
                   last_left.scalar_subquery())
            .select_from(sessions)
            .where(*seated, or_(~gone, s.ends_at > cutoff)))


def feed_version(user, locale: str) -> Version:
    """The version of the person's feed in `locale` (one statement)."""
    keep = keep_cancelled()
    row = db.session.connection().execute(
        _feed_version_statement(), {"user_id": user.id, "cutoff": utcnow() - keep}).one()
    count, sessions_changed, events_changed, sequences, seats, seats_changed, left = row
    owner = f"feed:{user.id}:{locale}"
    last_modified = None
    if count:
        last_modified = _latest(sessions_changed, events_changed, seats_changed,
                                left + keep if left else None)
    return Version(owner, _key(owner, tuple(row)), last_modified)


# --- the store ------------------------------------------------------------------------------

def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("calendar_cache_redis")
    if client is None or client[0] != url:
        from redis import Redis

        client = (url, Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1))
        current_app.extensions["calendar_cache_redis"] = client
    return client[1]


def lookup(version: Version) -> bytes | None:
    """The file kept at exactly this version, or None."""
    try:
        redis = _redis()
        if redis is not None:
            packed = redis.get(REDIS_PREFIX + version.key)
        else:
            packed = db.session.connection().execute(
                _lookup_statement(), {"owner": version.owner, "version": version.key}
            ).scalar()
        return None if packed is None else zlib.decompress(packed)
    except Exception as exc:  # noqa: BLE001 - the store is a help: the file is built instead
        log.warning("calendar cache unreadable: %s", exc)
        return None


@lru_cache(maxsize=1)
def _lookup_statement():
    table = CalendarFileCache.__table__
    return select(table.c.body).where(table.c.owner == bindparam("owner"),
                                      table.c.version == bindparam("version"))


def store(version: Version, body: bytes) -> None:
    """Keep `body` as the file at `version`, replacing an older one."""
    packed = zlib.compress(body, 6)
    try:
        redis = _redis()
        if redis is not None:
            redis.set(REDIS_PREFIX + version.key, packed, ex=REDIS_EXPIRY)
            return
        _store_in_database(version, packed)
    except Exception as exc:  # noqa: BLE001 - a file not kept is built again, that is all
        log.warning("calendar cache not written: %s", exc)


def _engine():
    """The store's own engine: its short write never joins (or commits) the request's
    transaction. NullPool: it connects only when a file was built."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = current_app.extensions.get("calendar_cache_engine")
    if engine is None or engine.url != db.engine.url:
        engine = create_engine(db.engine.url, poolclass=NullPool)
        current_app.extensions["calendar_cache_engine"] = engine
    return engine


def _store_in_database(version: Version, packed: bytes) -> None:
    table = CalendarFileCache.__table__
    now = utcnow()
    with _engine().begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA busy_timeout=200")  # never wait long for a cache
        else:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '1s'")
        conn.execute(delete(table).where(or_(table.c.owner == version.owner,
                                             table.c.stored_at < now - FORGET_AFTER)))
        conn.execute(insert(table).values(owner=version.owner, version=version.key,
                                          body=packed, stored_at=now))


def clear() -> None:
    """Forget every kept file (tests, benchmarks)."""
    redis = _redis()
    if redis is not None:
        for name in redis.scan_iter(REDIS_PREFIX + "*"):
            redis.delete(name)
    db.session.execute(delete(CalendarFileCache))
    db.session.commit()
