"""People's roles in an event: participant, or on the panel (speaker, panellist, chair,
moderator, organiser). Statistics report the panel apart (gender parity of speakers), and
certificates of speaking are issued from these roles.

Panel roles take no participant seat: capacity is about the audience, and the organisers
decide the panel. So naming a waitlisted or pending person to the panel confirms them without a
seat, naming a seated participant to the panel frees their seat for the waiting list, and
turning a panel member back into a participant needs a free seat.
"""

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from elearn.accounts.models import User, user_by_email
from elearn.accounts.permissions import can
from elearn.audit.services import record
from elearn.extensions import db

from ..models import (
    AttendanceMode,
    Event,
    EventMode,
    EventStatus,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from . import notifications
from .common import Conflict, EventError, utcnow
from .registration import (
    ACTIVE,
    _require_manage,
    fill_from_waitlist,
    free_seat,
    holds_seat,
    registration_of,
    resolve_mode,
    take_seat,
)

PANEL_ROLES = tuple(r for r in ParticipantRole if r != ParticipantRole.PARTICIPANT)


def _role(value) -> ParticipantRole:
    try:
        return ParticipantRole(value)
    except ValueError:
        raise EventError(_("Unknown role.")) from None


def set_role(reg: Registration, role, actor: User) -> Registration:
    """Give a registrant a role; audited, and the person is told (with the invite when
    confirmed). Raises EventError/Conflict."""
    _require_manage(reg, actor)
    new = _role(role)
    if reg.status not in ACTIVE:
        raise Conflict(_("This registration is not active."))
    if new == reg.role:
        raise Conflict(_("%(name)s already has this role.", name=reg.user.display_name))
    before = {"role": reg.role.value, "status": reg.status.value}
    had_seat = holds_seat(reg)
    if new == ParticipantRole.PARTICIPANT:
        # Only a confirmed panel member gets here (panel roles are always confirmed).
        if not take_seat(reg.event, reg.mode):
            raise Conflict(_("No seat is left for %(name)s as a participant.",
                             name=reg.user.display_name))
    elif reg.status != RegistrationStatus.CONFIRMED:
        reg.status = RegistrationStatus.CONFIRMED
        reg.waitlisted_at = None
        reg.decided_at = utcnow()
    reg.role = new
    record("event.registration_role", reg, actor=actor, before=before,
           after={"role": new.value, "status": reg.status.value})
    notifications.role_set(reg)
    if had_seat:
        free_seat(reg.event, reg.mode)
        fill_from_waitlist(reg.event, reg.mode, actor=actor)
    return reg


def _speaker_mode(event: Event, mode) -> AttendanceMode:
    if mode:
        return resolve_mode(event, mode)
    # On a hybrid event the panel is usually in the room; the organiser can say otherwise.
    if event.mode == EventMode.VIRTUAL:
        return AttendanceMode.ONLINE
    return AttendanceMode.IN_PERSON


def add_speaker(event: Event, email: str, role, actor: User, mode=None) -> Registration:
    """Register someone who has an account but is not registered, straight onto the panel:
    CONFIRMED, no seat taken, no eligibility check (speakers often come from elsewhere)."""
    if not can(actor, "manage", event):
        raise EventError(_("You do not have permission to manage this event."), status=403)
    new = _role(role)
    if new not in PANEL_ROLES:
        raise EventError(_("Choose a speaker, panellist, chair, moderator or organiser role."))
    if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise Conflict(_("This event can no longer be changed."))
    chosen = _speaker_mode(event, mode)
    person = user_by_email((email or "").strip())
    if person is None:
        raise EventError(_("No account uses that email address."), status=404)
    reg = registration_of(event, person)
    if reg is not None and reg.status in ACTIVE:
        raise Conflict(_("%(name)s is already registered; change the role in the list of "
                         "registrations.", name=person.display_name))
    before = None if reg is None else {"status": reg.status.value, "role": reg.role.value}
    if reg is None:
        reg = Registration(event_id=event.id, user_id=person.id, mode=chosen,
                           status=RegistrationStatus.CONFIRMED, role=new)
        try:
            with db.session.begin_nested():
                db.session.add(reg)
                db.session.flush()
        except IntegrityError:
            raise Conflict(_("%(name)s is already registered.",
                             name=person.display_name)) from None
    reg.mode, reg.role, reg.status = chosen, new, RegistrationStatus.CONFIRMED
    reg.waitlisted_at = reg.cancelled_at = reg.cancellation_reason = None
    reg.rejection_reason = None
    reg.decided_at = utcnow()
    record("event.speaker_added", reg, actor=actor, before=before,
           after={"status": "confirmed", "role": new.value, "mode": chosen.value})
    # A draft is not in anyone's calendar yet; its panel hears of it like everyone else.
    if event.status == EventStatus.PUBLISHED:
        notifications.role_set(reg)
    return reg
