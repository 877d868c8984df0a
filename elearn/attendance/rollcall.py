"""Roll call: the organiser goes down the list of confirmed registrants and taps a status."""

from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from elearn.accounts.models import User
from elearn.events.models import Registration, RegistrationStatus
from elearn.extensions import db

from .models import Attendance, AttendanceSource, AttendanceStatus
from .services import AttendanceError, record_attendance, record_many
from .window import require_recordable


def roster(session) -> list[tuple[Registration, Attendance | None]]:
    """Confirmed registrants of the session's event with their attendance, in one query."""
    rows = db.session.execute(
        select(Registration, Attendance)
        .join(User, User.id == Registration.user_id)
        .outerjoin(Attendance, and_(Attendance.session_id == session.id,
                                    Attendance.user_id == Registration.user_id))
        .where(Registration.event_id == session.event_id,
               Registration.status == RegistrationStatus.CONFIRMED)
        .options(joinedload(Registration.user))
        .order_by(User.full_name, User.id)
    ).all()
    return [(reg, att) for reg, att in rows]


def set_status(session, registration_id: int, status: str, *, actor) -> Attendance:
    try:
        status = AttendanceStatus(status)
    except ValueError:
        raise AttendanceError(_("Unknown attendance status."), 400) from None
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != session.event_id:
        raise AttendanceError(_("This person is not registered for this event."), 404)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise AttendanceError(_("This registration is not confirmed."), 409)
    reason = require_recordable(session)
    return record_attendance(session, registration.user, status=status, mode=registration.mode,
                             source=AttendanceSource.ROLL_CALL, actor=actor, reason=reason)


def mark_remaining_absent(session, *, actor) -> int:
    """Everyone confirmed with no status yet for this session becomes absent."""
    reason = require_recordable(session)
    missing = db.session.execute(
        select(Registration.user_id, Registration.mode)
        .outerjoin(Attendance, and_(Attendance.session_id == session.id,
                                    Attendance.user_id == Registration.user_id))
        .where(Registration.event_id == session.event_id,
               Registration.status == RegistrationStatus.CONFIRMED,
               Attendance.id.is_(None))
    ).all()
    record_many(session, [(uid, AttendanceStatus.ABSENT, mode, None) for uid, mode in missing],
                source=AttendanceSource.ROLL_CALL, actor=actor, reason=reason)
    return len(missing)
