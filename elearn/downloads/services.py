"""Asking for a prepared download, the job that builds it, and the periodic tidying.

Every step claims the row with a conditional UPDATE, so a job run twice (RQ retries one whose
worker died), two schedulers, or a tidy beside a running job never do a thing twice: a run
counts itself in `attempts` when it claims the row, and only that run may finish it."""

import logging
import os
import re
from contextlib import contextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g
from flask_babel import force_locale, get_timezone
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select, update

from elearn import storage, uploads
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.i18n import is_valid_timezone
from elearn.jobs import enqueue_after_commit

from . import Built, DownloadError, kind_of
from .models import DownloadStatus, PreparedDownload

log = logging.getLogger(__name__)

FILES = storage.area("exports", dir_setting="EXPORTS_DIR")
JOB = "elearn.downloads.services.prepare"
KEEP_HOURS = 24
# RQ stops a job after an hour (elearn.jobs.JOB_TIMEOUT): a run older than this is dead.
STALE_MINUTES = 70
MAX_ATTEMPTS = 3
FORGET_AFTER = timedelta(days=30)  # an expired row stays listed this long, then goes
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def keep_for() -> timedelta:
    return timedelta(hours=current_app.config.get("DOWNLOADS_KEEP_HOURS", KEEP_HOURS))


def _stale_before():
    minutes = current_app.config.get("DOWNLOADS_STALE_MINUTES", STALE_MINUTES)
    return utcnow() - timedelta(minutes=minutes)


# --- asking ---------------------------------------------------------------------------------

def request_download(owner, kind: str, parameters: dict, *, filename: str,
                     locale: str = "en", timezone: str = "UTC",
                     back_path: str | None = None) -> PreparedDownload:
    """A new prepared download for `owner` (who the caller has already allowed), committed,
    and its job started: queued for a worker with REDIS_URL, otherwise run before this
    returns, so the row comes back ready (or failed)."""
    if kind_of(kind) is None:
        raise LookupError(kind)
    row = PreparedDownload(owner_id=owner.id, kind=kind, parameters=dict(parameters),
                           filename=filename[:200], locale=locale[:10],
                           timezone=timezone if is_valid_timezone(timezone) else "UTC",
                           status=DownloadStatus.QUEUED, expires_at=utcnow() + keep_for(),
                           back_path=back_path if _is_site_path(back_path) else None)
    db.session.add(row)
    # Committed before the job is handed over: inline, a failing build rolls back its own
    # work only, and the worker always finds the row.
    db.session.commit()
    enqueue_after_commit(JOB, row.id)
    db.session.commit()
    db.session.refresh(row)
    return row


def again(row: PreparedDownload, owner) -> PreparedDownload:
    """The same file asked for once more (after a failure or an expiry)."""
    return request_download(owner, row.kind, row.parameters or {}, filename=row.filename,
                            locale=row.locale, timezone=row.timezone, back_path=row.back_path)


def _is_site_path(path: str | None) -> bool:
    """A path of this site ("/events/3/organise?x=1"), never another site's address."""
    return bool(path) and len(path) <= 500 and path.startswith("/") \
        and not path.startswith("//") and "\\" not in path \
        and not any(ord(c) < 32 for c in path)


def may_download(user, row: PreparedDownload) -> bool:
    """The domain's rule, asked now: rights given up since the request count."""
    kind = kind_of(row.kind)
    return kind is not None and bool(kind.may_download(user, dict(row.parameters or {})))


def owned(user, download_id: int) -> PreparedDownload | None:
    row = db.session.get(PreparedDownload, download_id)
    return row if row is not None and row.owner_id == user.id else None


def recent(user, limit: int = 20) -> list[PreparedDownload]:
    return list(db.session.scalars(
        select(PreparedDownload).where(PreparedDownload.owner_id == user.id)
        .order_by(PreparedDownload.created_at.desc(), PreparedDownload.id.desc())
        .limit(limit)))


# --- the job --------------------------------------------------------------------------------

@contextmanager
def as_viewer(locale: str, timezone: str):
    """The owner's language and time zone while building, as on their own pages."""
    with force_locale(locale):
        get_timezone()  # makes Flask-Babel's context, so the zone can be set on it
        context = g._flask_babel
        before = getattr(context, "babel_tzinfo", None)
        context.babel_tzinfo = ZoneInfo(timezone if is_valid_timezone(timezone) else "UTC")
        try:
            yield
        finally:
            context.babel_tzinfo = before


def prepare(download_id: int) -> PreparedDownload | None:
    """The job: claim the row, build the file, keep it, mark the row ready (or failed, with a
    message for the person). Never raises for a builder's failure: the row says it."""
    mine = _claim(download_id)
    if mine is None:
        return db.session.get(PreparedDownload, download_id)
    row = db.session.get(PreparedDownload, download_id)
    with as_viewer(row.locale, row.timezone):
        try:
            kind = kind_of(row.kind)
            if kind is None:
                raise DownloadError(_("This kind of file can no longer be prepared."))
            built = kind.build(row.owner, dict(row.parameters or {}))
            stored_name, size = _keep(built)
        except DownloadError as exc:
            db.session.rollback()
            _fail(download_id, mine, exc.message)
        except Exception:  # the row must end in a state the page can show
            log.exception("prepared download %s (%s) failed", download_id, row.kind)
            db.session.rollback()
            _fail(download_id, mine, _("The file could not be prepared because of an "
                                       "unexpected error."))
        else:
            _finish(download_id, mine, built, stored_name, size)
    return db.session.get(PreparedDownload, download_id)


def _claim(download_id: int) -> int | None:
    """Take the row for this run; the run's number, or None when it is not to be run (done,
    failed, or tried MAX_ATTEMPTS times already). A row still `running` is taken again: RQ
    runs a job again only when the worker that ran it died."""
    row = db.session.get(PreparedDownload, download_id)
    if row is None or not row.status.in_progress:
        return None
    if row.attempts >= MAX_ATTEMPTS:
        _fail(download_id, row.attempts, _("The file could not be prepared: the work stopped "
                                           "several times. Please try again."))
        return None
    attempt = row.attempts + 1
    claimed = db.session.execute(
        update(PreparedDownload)
        .where(PreparedDownload.id == download_id, PreparedDownload.attempts == row.attempts,
               PreparedDownload.status.in_([DownloadStatus.QUEUED, DownloadStatus.RUNNING]))
        .values(status=DownloadStatus.RUNNING, attempts=attempt, started_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    db.session.expire_all()
    return attempt if claimed == 1 else None


def _keep(built: Built) -> tuple[str, int]:
    suffix = os.path.splitext(built.filename)[1].lower()
    suffix = suffix if _SUFFIX.fullmatch(suffix) else ""
    data = built.data
    try:
        if isinstance(data, str):
            data = data.encode()
        stored_name = uploads.store(FILES, data, suffix, built.content_type)
    finally:
        if hasattr(built.data, "close"):
            built.data.close()
    if isinstance(data, bytes | bytearray):
        return stored_name, len(data)
    found = storage.stat(FILES.key(stored_name))
    return stored_name, found.size if found else 0


def _run_is(download_id: int, attempt: int):
    return (PreparedDownload.id == download_id, PreparedDownload.attempts == attempt,
            PreparedDownload.status == DownloadStatus.RUNNING)


def _finish(download_id: int, attempt: int, built: Built, stored_name: str, size: int):
    now = utcnow()
    done = db.session.execute(
        update(PreparedDownload).where(*_run_is(download_id, attempt))
        .values(status=DownloadStatus.READY, stored_name=stored_name,
                filename=built.filename[:200], content_type=built.content_type[:120],
                size=size, error=None, finished_at=now, expires_at=now + keep_for())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    db.session.expire_all()
    if done != 1:  # another run (or the tidy) settled it meanwhile: this file is nobody's
        uploads.remove(FILES, stored_name)


def _fail(download_id: int, attempt: int, message: str) -> None:
    now = utcnow()
    db.session.execute(
        update(PreparedDownload)
        .where(PreparedDownload.id == download_id, PreparedDownload.attempts == attempt,
               PreparedDownload.status.in_([DownloadStatus.QUEUED, DownloadStatus.RUNNING]))
        .values(status=DownloadStatus.FAILED, error=message[:2000], finished_at=now,
                expires_at=now + keep_for())
        .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire_all()


# --- periodic tidying (elearn/jobs/schedule.py) --------------------------------------------

def fail_stalled() -> int:
    """Scheduled: a download no worker finished within STALE_MINUTES (its worker died, or no
    worker took it) is marked failed, so its page offers to try again instead of waiting
    for ever. Returns how many."""
    stale = _stale_before()
    stalled = or_(
        (PreparedDownload.status == DownloadStatus.RUNNING)
        & (PreparedDownload.started_at < stale),
        (PreparedDownload.status == DownloadStatus.QUEUED) & (PreparedDownload.created_at < stale))
    rows = db.session.execute(select(PreparedDownload.id, PreparedDownload.locale)
                              .where(stalled)).all()
    failed = 0
    for download_id, locale in rows:
        with force_locale(locale):
            message = _("No worker finished preparing this file in time. Please try again.")
        failed += db.session.execute(
            update(PreparedDownload).where(PreparedDownload.id == download_id, stalled)
            .values(status=DownloadStatus.FAILED, error=message, finished_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
    return failed


def remove_expired() -> int:
    """Scheduled: files past their expiry are deleted and their rows marked expired; rows
    expired for FORGET_AFTER are forgotten. Safe beside another run: the file goes first
    (deleting a gone file is fine), then one conditional UPDATE settles the row."""
    now = utcnow()
    due = db.session.execute(
        select(PreparedDownload.id, PreparedDownload.stored_name)
        .where(PreparedDownload.status != DownloadStatus.EXPIRED,
               PreparedDownload.expires_at < now)).all()
    expired = 0
    for download_id, stored_name in due:
        uploads.remove(FILES, stored_name)
        expired += db.session.execute(
            update(PreparedDownload)
            .where(PreparedDownload.id == download_id,
                   PreparedDownload.status != DownloadStatus.EXPIRED)
            .values(status=DownloadStatus.EXPIRED, stored_name=None)
            .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
    db.session.execute(delete(PreparedDownload).where(
        PreparedDownload.status == DownloadStatus.EXPIRED,
        PreparedDownload.expires_at < now - FORGET_AFTER))
    db.session.commit()
    return expired
