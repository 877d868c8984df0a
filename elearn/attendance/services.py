"""Recording attendance: the one place every source (QR, roll call, self check-in, provider or
CSV import) goes through, so re-recording updates the row and every change is audited."""

import os

from flask import current_app
from sqlalchemy import select

from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.db_writes import insert_if_absent
from elearn.extensions import db

from .models import Attendance, AttendanceSource, AttendanceStatus


def setting(name: str, default: float) -> float:
    """ATTENDANCE_MIN_SHARE (0.5), ATTENDANCE_LATE_AFTER_MINUTES (15),
    ATTENDANCE_CODE_MINUTES (15), ATTENDANCE_OPENS_BEFORE_MINUTES (60),
    ATTENDANCE_CLOSES_AFTER_MINUTES (120): app config first, then the environment, then the
    default."""
    return float(current_app.config.get(name, os.environ.get(name, default)))


def record_attendance(session, user, *, status: AttendanceStatus, mode, source: AttendanceSource,
                      actor=None, minutes_online: int | None = None,
                      checked_in_at=None, reason: str | None = None) -> Attendance:
    """Create or update `user`'s attendance of `session`. The caller commits. A first record
    (a check-in at the door) is one statement: people queue there."""
    status, source = AttendanceStatus(status), AttendanceSource(source)
    values = {"session_id": session.id, "user_id": user.id, "status": status, "mode": mode,
              "source": source, "recorded_by_id": getattr(actor, "id", None),
              "minutes_online": minutes_online,
              "checked_in_at": (checked_in_at or utcnow()) if status.counts_as_attended
              else None}
    row = insert_if_absent(Attendance, values, ("session_id", "user_id"))
    if row is not None:
        audit("attendance.recorded", row, actor=actor, before=None,
              after=_with(_snapshot(row), reason))
        return row
    row = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id,
                                 Attendance.user_id == user.id)
    )
    if row is None:  # removed since the INSERT met it: record it afresh
        return record_attendance(session, user, status=status, mode=mode, source=source,
                                 actor=actor, minutes_online=minutes_online,
                                 checked_in_at=checked_in_at, reason=reason)
    before = _snapshot(row)
    row.status = status
    row.mode = mode
    row.source = source
    row.recorded_by_id = getattr(actor, "id", None)
    if minutes_online is not None:
        row.minutes_online = minutes_online
    if row.status.counts_as_attended and row.checked_in_at is None:
        row.checked_in_at = checked_in_at or utcnow()
    db.session.flush()
    after = _snapshot(row)
    if before != after:
        audit("attendance.recorded", row, actor=actor, before=before, after=_with(after, reason))
    return row


def _with(after: dict, reason: str | None) -> dict:
    # Recorded after the session's window closed: the organiser's reason goes with the change.
    return {**after, "late_reason": reason} if reason else after


def _snapshot(row: Attendance) -> dict:
    return {
        "status": str(row.status), "mode": str(row.mode), "source": str(row.source),
        "minutes_online": row.minutes_online,
    }


class AttendanceError(Exception):
    """A refused attendance action: `status` is the HTTP status the view answers with and the
    message is already translated for the person who made the request."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def record_many(session, entries, *, source: AttendanceSource, actor=None,
                reason: str | None = None) -> list[Attendance]:
    """Record several people's attendance of one session with one read of the existing rows
    (roll call "all absent", imports). `entries`: (user_id, status, mode, minutes_online).
    The caller commits; nothing is written if it fails midway, since the caller rolls back."""
    user_ids = [e[0] for e in entries]
    existing = {
        row.user_id: row for row in db.session.scalars(
            select(Attendance).where(Attendance.session_id == session.id,
                                     Attendance.user_id.in_(user_ids))
        )
    } if user_ids else {}
    rows = []
    now = utcnow()
    for user_id, status, mode, minutes in entries:
        row = existing.get(user_id)
        before = _snapshot(row) if row else None
        if row is None:
            row = Attendance(session_id=session.id, user_id=user_id)
            db.session.add(row)
        row.status = AttendanceStatus(status)
        row.mode = mode
        row.source = AttendanceSource(source)
        row.recorded_by_id = getattr(actor, "id", None)
        if minutes is not None:
            row.minutes_online = minutes
        if row.status.counts_as_attended and row.checked_in_at is None:
            row.checked_in_at = now
        rows.append((row, before))
    db.session.flush()
    for row, before in rows:
        after = _snapshot(row)
        if before != after:
            audit("attendance.recorded", row, actor=actor, before=before,
                  after=_with(after, reason))
    return [row for row, _ in rows]
