"""Attendance polled from the video provider while sessions are on (the scheduler's
`poll-attendance` task, every few minutes; `flask elearn poll-attendance` by hand).

Each session on now (from POLL_GRACE before its start to POLL_GRACE after its end) of a
published event meeting on BigBlueButton is polled in its own job: a provider that is slow or
down delays and fails only that session, which RQ tries again. Polling is safe to repeat
(imports.import_live_attendance): people already present are kept, rows are never duplicated.
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.db_types import utcnow
from elearn.events.models import Event, EventSession, EventStatus, VideoProvider
from elearn.extensions import db
from elearn.jobs import enqueue

from .imports import POLL_GRACE, import_from_meeting
from .services import AttendanceError

log = logging.getLogger(__name__)


def live_sessions(now=None) -> list[EventSession]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(EventSession).join(Event, Event.id == EventSession.event_id)
        .where(Event.status == EventStatus.PUBLISHED,
               Event.video_provider == VideoProvider.BIGBLUEBUTTON,
               Event.video_meeting_id.is_not(None),
               EventSession.cancelled.is_(False),
               EventSession.starts_at <= now + POLL_GRACE,
               EventSession.ends_at >= now - POLL_GRACE)
        .order_by(EventSession.starts_at, EventSession.id)))


def poll_live_meetings(now=None) -> int:
    """Start one poll per live session (a job each with REDIS_URL); returns how many."""
    ids = [session.id for session in live_sessions(now)]
    for session_id in ids:
        try:
            enqueue("elearn.attendance.polling.poll_session", session_id)
        except Exception:  # inline, one provider failing must not stop the other polls
            log.exception("attendance poll of session %s failed", session_id)
    return len(ids)


def poll_session(session_id: int) -> int | None:
    """Record who is in the session's meeting now, committed; the number of people newly
    present, or None when the session is no longer on or the provider refused. A provider
    that cannot be reached raises, so the job is tried again."""
    session = db.session.get(EventSession, session_id)
    if session is None:
        return None
    try:
        result = import_from_meeting(session, actor=None)
        db.session.commit()
    except AttendanceError as exc:
        db.session.rollback()
        if exc.status == 502:  # the provider failed: worth another try
            raise
        log.info("attendance poll of session %s skipped: %s", session_id, exc.message)
        return None
    except IntegrityError:  # a poll of the same session at the same moment wrote first
        db.session.rollback()
        return 0
    log.info("attendance poll of session %s: %s present, %s unmatched", session_id,
             result.present, len(result.unmatched))
    return result.present
