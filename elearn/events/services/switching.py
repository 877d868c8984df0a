"""A registered person changes how they take part (in person <-> online) on their own.

The place is kept whenever the other mode has room: the new seat comes from the same atomic
conditional UPDATE as a registration (registration.take_seat) BEFORE the old seat is given
back, all in the caller's transaction, so two people can never take the last seat of the other
mode and nobody is left without a seat when the switch fails. Without room the person is told
and keeps their current mode (and their seat, or their place on the waiting list).
"""

from flask_babel import gettext as _

from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.audit.services import record

from ..models import EventStatus, Registration, RegistrationStatus
from . import notifications
from .common import Conflict, EventError, mode_label, utcnow
from .registration import (
    ACTIVE,
    fill_from_waitlist,
    free_seat,
    holds_seat,
    resolve_mode,
    take_seat,
)


class NoSeat(Conflict):
    """The other mode is full: nothing changed."""


def switch_problem(reg: Registration) -> str | None:
    event = reg.event
    if reg.status not in ACTIVE:
        return _("This registration is not active.")
    if event.status != EventStatus.PUBLISHED:
        return _("This event can no longer be changed.")
    if event.ends_at is not None and utcnow() >= event.ends_at:
        return _("This event is over.")
    return None


def switch_mode(reg: Registration, mode, actor: User) -> Registration:
    """Move the actor's own registration to `mode`; raises NoSeat when that mode is full."""
    if reg.user_id != actor.id and not can(actor, "manage", reg.event):
        raise EventError(_("You do not have permission to do that."), status=403)
    new = resolve_mode(reg.event, mode)
    if new == reg.mode:
        raise EventError(_("You are already registered %(mode)s.", mode=mode_label(new)))
    problem = switch_problem(reg)
    if problem:
        raise Conflict(problem)
    event, old, before = reg.event, reg.mode, {"mode": reg.mode.value,
                                                "status": reg.status.value}
    if holds_seat(reg) or reg.status == RegistrationStatus.WAITLISTED:
        if not take_seat(event, new):
            raise NoSeat(_("No %(new)s seat is free, so you stay registered %(old)s.",
                           new=mode_label(new), old=mode_label(old)))
        if reg.status == RegistrationStatus.WAITLISTED:
            # A free seat in the other mode ends the wait: the person is confirmed there.
            reg.status = RegistrationStatus.CONFIRMED
            reg.waitlisted_at = None
            reg.decided_at = utcnow()
        else:
            free_seat(event, old)
    reg.mode = new
    record("event.registration_switched", reg, actor=actor, before=before,
           after={"mode": new.value, "status": reg.status.value})
    if before["status"] == RegistrationStatus.WAITLISTED.value:
        notifications.promoted(reg)
    elif reg.status == RegistrationStatus.CONFIRMED:
        notifications.moved(reg, by_self=True)
    if before["status"] == RegistrationStatus.CONFIRMED.value:
        fill_from_waitlist(event, old, actor=actor)
    return reg
