"""Answers to an invitation, given through the two links of the email (no log-in needed):

- "I will attend" records the answer on the registration (the organisers' list shows it);
- "I cannot attend" cancels the registration exactly as the person cancelling it themselves
  does (registration.cancel_registration): the seat is freed, the waiting list moves up and
  the person's calendar gets the CANCEL.

Invites carry RSVP=FALSE: these links, not iTIP REPLYs, are how people answer.
"""

from flask_babel import gettext as _

from elearn.audit.services import record
from elearn.extensions import db

from ..models import EventStatus, InviteReply, Registration, RegistrationStatus
from .common import Conflict, EventError, utcnow
from .registration import cancel_registration, holds_seat
from .reply_tokens import ReplyTokenError, read_reply_token, reply_links, reply_token

__all__ = ["ReplyTokenError", "attend", "decline", "frees_a_seat", "registration_for_reply",
           "reply_links", "reply_problem", "reply_token"]


def registration_for_reply(token: str) -> Registration:
    """The registration a genuine token names. ReplyTokenError for a damaged or expired link,
    EventError (404) when it names no registration of an active account any more."""
    data = read_reply_token(token)
    reg = db.session.get(Registration, data["id"])
    if (reg is None or reg.user_id != data["u"] or reg.event_id != data["e"]
            or not reg.user.is_active):
        raise EventError(_("This link does not match any registration."), status=404)
    return reg


def reply_problem(reg: Registration, now=None) -> str | None:
    """Why this registration can no longer be answered, or None."""
    event = reg.event
    if event.status == EventStatus.CANCELLED:
        return _("This event was cancelled.")
    if reg.status != RegistrationStatus.CONFIRMED:
        return _("This registration is no longer active, so there is nothing to answer.")
    if event.status != EventStatus.PUBLISHED or (
            event.ends_at is not None and (now or utcnow()) >= event.ends_at):
        return _("This event is over.")
    return None


def _check(reg: Registration) -> None:
    problem = reply_problem(reg)
    if problem:
        raise Conflict(problem)


def attend(reg: Registration) -> Registration:
    """The person says they will attend. Saying it again changes nothing."""
    _check(reg)
    if reg.reply == InviteReply.ATTENDING:
        return reg
    before = {"reply": reg.reply.value if reg.reply else None}
    reg.reply = InviteReply.ATTENDING
    reg.replied_at = utcnow()
    record("event.registration_reply", reg, actor=reg.user, before=before,
           after={"reply": InviteReply.ATTENDING.value})
    return reg


def frees_a_seat(reg: Registration) -> bool:
    """Whether declining gives a participant's seat back (panel roles hold none)."""
    return holds_seat(reg)


def decline(reg: Registration) -> Registration:
    """The person cannot attend: their registration is cancelled as if they had cancelled it
    on the event page (seat freed, waiting list promoted, calendar CANCEL sent)."""
    _check(reg)
    cancel_registration(reg, reg.user)
    reg.reply = InviteReply.DECLINED
    reg.replied_at = utcnow()
    return reg
