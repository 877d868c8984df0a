"""Demo attendance: every past session (events and course live classes alike) gets a record
for each confirmed registrant, from a realistic mix of sources. Bulk inserts, one statement."""

from datetime import timedelta

from sqlalchemy import insert, select

from elearn.db_types import utcnow
from elearn.events.models import AttendanceMode, EventSession, Registration, RegistrationStatus
from elearn.extensions import db

from .models import Attendance, AttendanceSource, AttendanceStatus


def populate(rng) -> list[str]:
    now = utcnow()
    pairs = db.session.execute(
        select(EventSession.id, EventSession.starts_at, EventSession.ends_at,
               Registration.user_id, Registration.mode)
        .join(Registration, Registration.event_id == EventSession.event_id)
        .outerjoin(Attendance, (Attendance.session_id == EventSession.id)
                   & (Attendance.user_id == Registration.user_id))
        .where(EventSession.ends_at < now, EventSession.cancelled.is_(False),
               Registration.status == RegistrationStatus.CONFIRMED, Attendance.id.is_(None))
        .order_by(EventSession.id, Registration.user_id)
    ).all()
    rows = []
    for session_id, starts, ends, user_id, mode in pairs:
        length = max(1, int((ends - starts).total_seconds() // 60))
        roll = rng.random()
        status = (AttendanceStatus.PRESENT if roll < 0.72 else AttendanceStatus.LATE
                  if roll < 0.82 else AttendanceStatus.EXCUSED if roll < 0.86
                  else AttendanceStatus.ABSENT)
        attended = status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
        if mode == AttendanceMode.ONLINE:
            source = rng.choice([AttendanceSource.PROVIDER_IMPORT, AttendanceSource.CSV_IMPORT,
                                 AttendanceSource.SELF_CHECK_IN])
            minutes = rng.randint(length // 2, length) if attended else rng.randint(0, length // 3)
        else:
            source = AttendanceSource.QR_CHECK_IN if attended and rng.random() < 0.7 \
                else AttendanceSource.ROLL_CALL
            minutes = None
        late_by = rng.randint(16, 40) if status == AttendanceStatus.LATE else rng.randint(-10, 10)
        rows.append({
            "session_id": session_id, "user_id": user_id, "status": status, "mode": mode,
            "source": source, "minutes_online": minutes, "updated_at": now,
            "checked_in_at": starts + timedelta(minutes=late_by) if attended else None,
        })
    if rows:
        db.session.execute(insert(Attendance), rows)
    sessions = len({r["session_id"] for r in rows})
    return [f"Attendance: {len(rows)} records for {sessions} past sessions."]
