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
from .window import require_open, window

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out loud or typed
CODE_LENGTH = 6
TICKET_PATH = "/attendance/t/"
# The door code printed on the ticket: Crockford's base32 (no I, L, O, U), so what is read
# out loud or typed in any case, with O for 0 or l for 1, still finds the ticket.
DOOR_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DOOR_CODE_LENGTH = 8
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


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


def door_code(registration: Registration) -> str:
    """8 symbols derived from the ticket's secret token (40 bits: no two tickets of one event
    share one in practice). Derived, not stored: erasure replaces the token, and with it the
    code, so an old badge stops working."""
    return _door_code_of(registration.ticket_token)


def _door_code_of(token: str) -> str:
    digest = hashlib.sha256(f"door:{token}".encode()).digest()
    number = int.from_bytes(digest[:5], "big")
    return "".join(DOOR_ALPHABET[(number >> (5 * i)) & 31]
                   for i in reversed(range(DOOR_CODE_LENGTH)))


def display_door_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalise_door_code(text: str) -> str | None:
    """The door code in what was typed ("k7qm 3xpr", "K7QM-3XPR"), or None if it is not one."""
    cleaned = "".join(ch for ch in (text or "") if not ch.isspace() and ch not in "-_.")
    cleaned = cleaned.upper().translate(_LOOKALIKES)
    if len(cleaned) != DOOR_CODE_LENGTH or any(ch not in DOOR_ALPHABET for ch in cleaned):
        return None
    return cleaned


def registration_for_door_code(event_id: int, code: str) -> Registration | None:
    """One pass over the event's tickets (hashing a few thousand tokens takes milliseconds),
    which avoids a column and a migration for a value the token already determines."""
    tokens = db.session.execute(select(Registration.id, Registration.ticket_token)
                                .where(Registration.event_id == event_id)).all()
    for registration_id, token in tokens:
        if token and _door_code_of(token) == code:
            return db.session.scalar(
                select(Registration).where(Registration.id == registration_id)
                .options(joinedload(Registration.user), joinedload(Registration.event)))
    return None


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
              title=registration.event.text_noted("title")), 409)
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


def look_up(session, scanned: str, now: datetime | None = None) -> Scan:
    """What a scan (or a door code typed by the organiser) found, before the organiser
    confirms. Raises AttendanceError (4xx), also outside the session's attendance window."""
    require_open(session, now)
    typed = normalise_door_code(scanned)
    found = (registration_for_door_code(session.event_id, typed) if typed
             else registration_for_token(token_from_scan(scanned)))
    registration = _check_registration(session, found)
    attendance = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id,
                                 Attendance.user_id == registration.user_id)
    )
    return Scan(registration, attendance)


def check_in(session, scanned: str, *, actor, now: datetime | None = None) -> Scan:
    """Record the scanned person as present (late after the grace period). A second scan of
    the same person changes nothing and raises 409 with the first check-in time."""
    now = now or utcnow()
    scan = look_up(session, scanned, now)
    if scan.already_checked_in_at is not None:
        raise AlreadyCheckedIn(scan)
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
    require_open(session)
    minutes = minutes or setting("ATTENDANCE_CODE_MINUTES", 15)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    db.session.execute(delete(SessionCode).where(SessionCode.session_id == session.id))
    # A code never outlives the session's attendance window.
    expires = min(utcnow() + timedelta(minutes=minutes), window(session).closes_at)
    row = SessionCode(session_id=session.id, code_hash=_hash(session.id, code),
                      expires_at=expires,
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
    require_open(session)
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
