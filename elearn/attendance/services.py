"""Recording attendance: the one place every source (QR, roll call, self check-in, provider or
CSV import) goes through, so re-recording updates the row and every change is audited."""

from sqlalchemy import select

from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.extensions import db

from .models import Attendance, AttendanceSource, AttendanceStatus


def record_attendance(session, user, *, status: AttendanceStatus, mode, source: AttendanceSource,
                      actor=None, minutes_online: int | None = None,
                      checked_in_at=None) -> Attendance:
    """Create or update `user`'s attendance of `session`. The caller commits."""
    row = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id,
                                 Attendance.user_id == user.id)
    )
    before = _snapshot(row) if row else None
    if row is None:
        row = Attendance(session_id=session.id, user_id=user.id)
        db.session.add(row)
    row.status = AttendanceStatus(status)
    row.mode = mode
    row.source = AttendanceSource(source)
    row.recorded_by_id = getattr(actor, "id", None)
    if minutes_online is not None:
        row.minutes_online = minutes_online
    if row.status.counts_as_attended and row.checked_in_at is None:
        row.checked_in_at = checked_in_at or utcnow()
    db.session.flush()
    after = _snapshot(row)
    if before != after:
        audit("attendance.recorded", row, actor=actor, before=before, after=after)
    return row


def _snapshot(row: Attendance) -> dict:
    return {
        "status": str(row.status), "mode": str(row.mode), "source": str(row.source),
        "minutes_online": row.minutes_online,
    }
