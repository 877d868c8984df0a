"""Checking people in: the ticket QR scanned at the door, and the short code organisers show
for online participants to check themselves in.

A scan is one indexed lookup (registration.ticket_token is unique), so a queue of hundreds
moves as fast as the organiser's phone reads codes.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from elearn.base_url import base_url
from elearn.db_types import utcnow
from elearn.events.models import AttendanceMode, Registration, RegistrationStatus
from elearn.extensions import db

from .models import Attendance, AttendanceSource, AttendanceStatus, SessionCode
from .services import AttendanceError, record_attendance, setting

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out loud or typed
CODE_LENGTH = 6
TICKET_PATH = "/attendance/t/"


@dataclass
class Scan:
    registration: Registration
    attendance: Attendance | None  # set when the person is already checked in

    @property
    def already_checked_in_at(self) -> datetime | None:
        if self.attendance and self.attendance.status.counts_as_attended:
            return self.attendance.checked_in_at
        return None


def token_from_scan(text: str) -> str:
    """The ticket token from what was scanned or typed: the bare token or the ticket URL."""
    text = (text or "").strip()
    if TICKET_PATH in text:
        text = text.split(TICKET_PATH, 1)[1]
    return text.split("?", 1)[0].strip("/ ")


def registration_for_token(token: str) -> Registration | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Registration).where(Registration.ticket_token == token)
        .options(joinedload(Registration.user), joinedload(Registration.event))
    )


def ticket_url(registration: Registration) -> str:
    return base_url() + TICKET_PATH + registration.ticket_token


def _check_registration(session, registration: Registration | None) -> Registration:
    if registration is None:
        raise AttendanceError(_("No ticket has this code. Check it was typed in full."), 404)
    if registration.event_id != session.event_id:
        raise AttendanceError(
            _("This ticket is for another event: %(title)s.",
              title=registration.event.title_en or registration.event.title_es), 409)
    if registration.status != RegistrationStatus.CONFIRMED:
        messages = {
            RegistrationStatus.CANCELLED: _("This registration was cancelled."),
            RegistrationStatus.WAITLISTED: _("This person is on the waiting list, not confirmed."),
            RegistrationStatus.PENDING: _("This registration is still waiting for approval."),
            RegistrationStatus.REJECTED: _("This registration was not accepted."),
        }
        raise AttendanceError(messages[registration.status], 409)
    if session.cancelled:
        raise AttendanceError(_("This session was cancelled."), 409)
    return registration


def look_up(session, scanned: str) -> Scan:
    """What a scan found, before the organiser confirms. Raises AttendanceError (4xx)."""
    registration = _check_registration(session, registration_for_token(token_from_scan(scanned)))
    attendance = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id,
                                 Attendance.user_id == registration.user_id)
    )
    return Scan(registration, attendance)


def check_in(session, scanned: str, *, actor, now: datetime | None = None) -> Scan:
    """Record the scanned person as present (late after the grace period). A second scan of
    the same person changes nothing and raises 409 with the first check-in time."""
    scan = look_up(session, scanned)
    if scan.already_checked_in_at is not None:
        raise AlreadyCheckedIn(scan)
    now = now or utcnow()
    grace = timedelta(minutes=setting("ATTENDANCE_LATE_AFTER_MINUTES", 15))
    status = AttendanceStatus.LATE if now > session.starts_at + grace else AttendanceStatus.PRESENT
    scan.attendance = record_attendance(
        session, scan.registration.user, status=status, mode=AttendanceMode.IN_PERSON,
        source=AttendanceSource.QR_CHECK_IN, actor=actor, checked_in_at=now,
    )
    return scan


class AlreadyCheckedIn(AttendanceError):
    def __init__(self, scan: Scan):
        super().__init__(_("Already checked in."), 409)
        self.scan = scan


# --- self check-in with a session code ------------------------------------------------------

def _hash(session_id: int, code: str) -> str:
    return hashlib.sha256(f"{session_id}:{code.strip().upper()}".encode()).hexdigest()


def new_session_code(session, *, actor, minutes: int | None = None) -> tuple[str, SessionCode]:
    """A fresh code for the session, replacing the previous one. Returns the code in clear
    (shown once, to the organiser) and the stored row (hash and expiry only)."""
    minutes = minutes or setting("ATTENDANCE_CODE_MINUTES", 15)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    db.session.execute(delete(SessionCode).where(SessionCode.session_id == session.id))
    row = SessionCode(session_id=session.id, code_hash=_hash(session.id, code),
                      expires_at=utcnow() + timedelta(minutes=minutes),
                      created_by_id=getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    return code, row


def current_code(session) -> SessionCode | None:
    return db.session.scalar(
        select(SessionCode).where(SessionCode.session_id == session.id,
                                  SessionCode.expires_at > utcnow())
    )


def self_check_in(session, user, code: str) -> Attendance:
    """The participant typed the organiser's code: present, online. Wrong or expired code,
    or no confirmed registration -> AttendanceError."""
    registration = db.session.scalar(
        select(Registration).where(Registration.event_id == session.event_id,
                                   Registration.user_id == user.id)
    )
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise AttendanceError(_("Only confirmed participants can check in to this session."), 403)
    if session.cancelled:
        raise AttendanceError(_("This session was cancelled."), 409)
    cleaned = (code or "").strip().upper()
    valid = db.session.scalar(
        select(SessionCode).where(SessionCode.session_id == session.id,
                                  SessionCode.code_hash == _hash(session.id, cleaned),
                                  SessionCode.expires_at > utcnow())
    )
    if len(cleaned) != CODE_LENGTH or valid is None:
        raise AttendanceError(_("This code is wrong or has expired. Ask the organiser for the "
                                "current one."), 400)
    existing = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                          Attendance.user_id == user.id))
    if existing is not None and existing.status.counts_as_attended:
        return existing  # already checked in (e.g. at the door): keep that record as it is
    return record_attendance(session, user, status=AttendanceStatus.PRESENT,
                             mode=AttendanceMode.ONLINE, source=AttendanceSource.SELF_CHECK_IN,
                             actor=user)
