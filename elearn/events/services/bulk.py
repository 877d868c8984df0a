"""Decisions on many registrations at once: approve or reject the people an organiser ticked.

Each person goes through the same rule as a single decision (registration.approve / reject),
so seats, the waiting list, emails and the audit behave identically; the outcome counts what
was done, who went to the waiting list, and what was skipped and why, for the message.
"""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.extensions import db

from ..models import Event, Registration, RegistrationStatus
from .common import EventError, seats_left
from .registration import approve, reject

DECISIONS = ("approve", "reject")


@dataclass
class BulkOutcome:
    decision: str
    done: int = 0
    waitlisted: int = 0  # approved, but the event was full: on the waiting list instead
    skipped: Counter = field(default_factory=Counter)  # reason -> how many

    def message(self) -> str:
        """'3 approved, 1 went to the waiting list (no seat left); 2 skipped: ...'."""
        if self.decision == "approve":
            parts = [ngettext("%(num)d person approved with a seat",
                              "%(num)d people approved with a seat", self.done)]
            if self.waitlisted:
                parts.append(ngettext(
                    "%(num)d person went to the waiting list because no seat was left",
                    "%(num)d people went to the waiting list because no seat was left",
                    self.waitlisted))
        else:
            parts = [ngettext("%(num)d registration rejected",
                              "%(num)d registrations rejected", self.done)]
        skipped = sum(self.skipped.values())
        text = "; ".join(parts) + "."
        if skipped:
            reasons = "; ".join(f"{reason} ({n})" for reason, n in self.skipped.items())
            text += " " + ngettext("%(num)d skipped: %(reasons)s.",
                                   "%(num)d skipped: %(reasons)s.", skipped, reasons=reasons)
        return text


def selected_registrations(event: Event, ids) -> list[Registration]:
    """The ticked registrations of THIS event (ids of other events are ignored)."""
    wanted = {int(i) for i in ids if str(i).isdigit() and 0 < int(i) < 2**31}
    if not wanted:
        return []
    return list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.id.in_(wanted))
        .order_by(Registration.created_at, Registration.id)))


def seat_forecast(event: Event, regs: list[Registration]) -> tuple[int, int]:
    """(would get a seat, would go to the waiting list) if these pending people were approved
    now, oldest request first: what the confirmation page announces."""
    left = {}
    seated = waiting = 0
    for reg in regs:
        if reg.status != RegistrationStatus.PENDING:
            continue
        if reg.mode not in left:
            left[reg.mode] = seats_left(event, reg.mode)
        if left[reg.mode] is None or left[reg.mode] > 0:
            seated += 1
            if left[reg.mode] is not None:
                left[reg.mode] -= 1
        else:
            waiting += 1
    return seated, waiting


def bulk_decide(event: Event, regs: list[Registration], decision: str, actor: User,
                reason: str = "") -> BulkOutcome:
    if decision not in DECISIONS:
        raise EventError(_("Unknown decision."))
    if decision == "reject" and not (reason or "").strip():
        raise EventError(_("Give a reason: the person will read it."))
    outcome = BulkOutcome(decision)
    for reg in regs:
        allowed = ((RegistrationStatus.PENDING,) if decision == "approve"
                   else (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED))
        if reg.status not in allowed:
            outcome.skipped[_("already decided")] += 1
            continue
        if decision == "approve":
            approve(reg, actor)
            if reg.status == RegistrationStatus.WAITLISTED:
                outcome.waitlisted += 1
            else:
                outcome.done += 1
        else:
            reject(reg, reason, actor)
            outcome.done += 1
    return outcome
