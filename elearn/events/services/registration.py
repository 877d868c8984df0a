"""THE registration rules: who may register, seats, the waiting list, approval, cancellation.

Seats: `Event.seats_taken_<mode>` changes only through one conditional UPDATE, so the database
decides who gets the last seat, however many requests arrive at once.

Pending (approval required) holds NO seat: the seat is taken when the organiser approves, and
an approved person goes to the waiting list when the event is full by then. So a pile of
unanswered requests never blocks people who could otherwise be confirmed, and organisers see
the real number of seats left.

Re-registering after cancelling reactivates the same row (one row per person and event), with
a fresh place at the end of the waiting list if it comes to that. A rejected person cannot
re-register on their own: that would undo the organiser's decision.
"""

from datetime import datetime
from functools import lru_cache

from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, select, update

from elearn.accounts.eligibility import EligibilityRule, Unmet, unmet_condition
from elearn.accounts.labels import SECTOR_IN_TEXT, SUBREGION_IN_TEXT, label, names
from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.accounts.services import country_name
from elearn.audit.services import record
from elearn.db_writes import insert_if_absent
from elearn.extensions import db

from ..models import (
    AttendanceMode,
    Event,
    EventStatus,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from . import notifications
from .common import (
    BEFORE_SEAT_LOCK,
    Conflict,
    EventError,
    mode_label,
    modes_of,
    seats_left,
    utcnow,
)

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
          RegistrationStatus.WAITLISTED)


# --- seats ----------------------------------------------------------------------------------

def _seat_columns(mode: AttendanceMode):
    if AttendanceMode(mode) == AttendanceMode.ONLINE:
        return Event.seats_taken_online, Event.capacity_online
    return Event.seats_taken_in_person, Event.capacity_in_person


@lru_cache(maxsize=4)
def _seat_statement(mode: AttendanceMode, take: bool):
    """The seat UPDATE of `mode`, built once and run on the connection (no ORM bulk-update
    machinery: a crowd registers). Taking needs a free seat; freeing never goes below 0."""
    taken, capacity = (Event.__table__.c[column.key] for column in _seat_columns(mode))
    table = Event.__table__
    if take:
        return (update(table)
                .where(table.c.id == bindparam("event_id"),
                       capacity.is_(None) | (taken < capacity))
                .values({taken: taken + 1}))
    return (update(table).where(table.c.id == bindparam("event_id"), taken > 0)
            .values({taken: taken - 1}))


def take_seat(event: Event, mode: AttendanceMode) -> bool:
    """One atomic conditional UPDATE: True when a seat was free and is now ours. What the
    transaction would do at commit anyway runs first (BEFORE_SEAT_LOCK), so the event's row
    stays locked only for this UPDATE and the COMMIT."""
    for work in BEFORE_SEAT_LOCK:
        work(db.session())
    mode = AttendanceMode(mode)
    result = db.session.connection().execute(_seat_statement(mode, True),
                                             {"event_id": event.id})
    db.session.expire(event, [_seat_columns(mode)[0].key])
    return result.rowcount == 1


def free_seat(event: Event, mode: AttendanceMode) -> None:
    mode = AttendanceMode(mode)
    db.session.connection().execute(_seat_statement(mode, False), {"event_id": event.id})
    db.session.expire(event, [_seat_columns(mode)[0].key])


# --- who may register -----------------------------------------------------------------------

def eligibility_problem(event: Event, user: User) -> str | None:
    """Why `user` may not register for `event`, in words, or None. The decision is
    elearn.accounts.eligibility (shared with courses); the wording is the events'."""
    rule = EligibilityRule.of(event)
    unmet = unmet_condition(rule, user)
    if unmet == Unmet.NO_COUNTRY:
        return _("This event is open only to participants from some countries; add your "
                 "country to your profile to register.")
    if unmet == Unmet.LOCATION:
        lang = str(get_locale() or "en")
        places = [country_name(c, lang) for c in rule.countries]
        places += [label(SUBREGION_IN_TEXT, s) for s in rule.subregions]
        return _("This event is open only to participants from: %(places)s.",
                 places=", ".join(places))
    if unmet == Unmet.SECTOR:
        return _("This event is open only to people working in: %(sectors)s.",
                 sectors=names(SECTOR_IN_TEXT, rule.sectors))
    if unmet == Unmet.PUBLIC_OFFICIALS_ONLY:
        return _("This event is open only to public officials.")
    return None


def registration_window_problem(event: Event, now: datetime | None = None) -> str | None:
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return _("This event was cancelled.")
    if event.status != EventStatus.PUBLISHED:
        return _("Registration is not open for this event.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(date)s.",
                 date=format_datetime(event.registration_opens_at, "medium"))
    if event.registration_closes_at and now >= event.registration_closes_at:
        return _("Registration closed on %(date)s.",
                 date=format_datetime(event.registration_closes_at, "medium"))
    if event.ends_at and now >= event.ends_at:
        return _("This event is over.")
    return None


def resolve_mode(event: Event, mode: str | AttendanceMode | None) -> AttendanceMode:
    offered = modes_of(event)
    if not mode:
        if len(offered) == 1:
            return offered[0]
        raise EventError(_("Choose whether you will take part in person or online."))
    try:
        wanted = AttendanceMode(mode)
    except ValueError:
        raise EventError(_("Unknown way of taking part.")) from None
    if wanted not in offered:
        raise EventError(_("This event has no %(mode)s participation.",
                           mode=mode_label(wanted)))
    return wanted


def registration_of(event: Event, user: User) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))


# --- registering ----------------------------------------------------------------------------

def register(event: Event, user: User, mode: str | AttendanceMode | None = None) -> Registration:
    """Register `user`; confirmed, pending or waitlisted. Raises EventError/Conflict."""
    problem = registration_window_problem(event)
    if problem:
        raise Conflict(problem)
    chosen = resolve_mode(event, mode)
    problem = eligibility_problem(event, user)
    if problem:
        raise EventError(problem, status=403)
    # The status is decided before the row is written, so a new registration is one INSERT
    # (no UPDATE after it). Without approval it is a guess from the (possibly stale) seat
    # counter: see _take_seat_and_announce.
    status = (RegistrationStatus.PENDING if event.requires_approval
              else _guess(event, chosen))
    before = None
    reg = _insert_new(event, user, chosen, status)
    if reg is None:  # the person has a row for this event already: maybe to reactivate
        reg = registration_of(event, user)
        if reg is None or reg.status in ACTIVE:
            raise Conflict(_("You are already registered for this event."))
        if reg.status == RegistrationStatus.REJECTED:
            raise Conflict(_("Your registration for this event was declined by the "
                             "organisers."))
        before = {"status": reg.status.value}
        reg.mode = chosen
        # Registering oneself is as a participant (with a seat); the organisers set panel
        # roles.
        reg.role = ParticipantRole.PARTICIPANT
        reg.cancelled_at = None
        reg.cancellation_reason = None
        reg.decided_at = None
        reg.reminder_sent_at = None
        reg.reply = None  # an answer to an earlier invitation says nothing about this one
        reg.replied_at = None
        _set(reg, status)
    if event.requires_approval:
        _announce(reg)
        record("event.registration", reg, actor=user, before=before,
               after={"status": reg.status.value, "mode": reg.mode.value})
    else:
        _take_seat_and_announce(reg, user, before)
    return reg


def _insert_new(event: Event, user: User, mode: AttendanceMode,
                status: RegistrationStatus) -> Registration | None:
    """The person's new registration, written; None when they have one for this event.

    One statement where the database has it (elearn.db_writes): a crowd registers."""
    values = {"event_id": event.id, "user_id": user.id, "mode": mode, "status": status,
              "role": ParticipantRole.PARTICIPANT,
              "waitlisted_at": utcnow() if status == RegistrationStatus.WAITLISTED else None}
    return insert_if_absent(Registration, values, ("event_id", "user_id"))


def _guess(event: Event, mode: AttendanceMode) -> RegistrationStatus:
    return (RegistrationStatus.WAITLISTED if seats_left(event, mode) == 0
            else RegistrationStatus.CONFIRMED)


def _take_seat_and_announce(reg: Registration, user: User, before: dict | None) -> None:
    """The email, the audit entry and the statistics are written BEFORE the seat is taken, on
    the guess already in `reg.status` (from the possibly stale counter): the seat UPDATE locks
    the event row until commit, so whatever runs after it delays every other registration.
    Only a wrong guess, at the last seats, redoes them."""
    guess = reg.status
    messages = _announce(reg)
    entry = record("event.registration", reg, actor=user, before=before,
                   after={"status": guess.value, "mode": reg.mode.value})
    actual = (RegistrationStatus.CONFIRMED if take_seat(reg.event, reg.mode)
              else RegistrationStatus.WAITLISTED)
    if actual != guess:
        _set(reg, actual)
        notifications.withdraw(messages)
        entry.after = {"status": actual.value, "mode": reg.mode.value}
        _announce(reg)


def _set(reg: Registration, status: RegistrationStatus) -> None:
    reg.status = status
    reg.waitlisted_at = utcnow() if status == RegistrationStatus.WAITLISTED else None


def _seat_or_waitlist(reg: Registration) -> None:
    if take_seat(reg.event, reg.mode):
        _set(reg, RegistrationStatus.CONFIRMED)
    else:
        _set(reg, RegistrationStatus.WAITLISTED)


def _announce(reg: Registration):
    return {
        RegistrationStatus.CONFIRMED: notifications.confirmed,
        RegistrationStatus.WAITLISTED: notifications.waitlisted,
        RegistrationStatus.PENDING: notifications.pending,
    }[reg.status](reg)


# --- leaving, approval, moves ---------------------------------------------------------------

def holds_seat(reg: Registration) -> bool:
    """Speakers, chairs and other panel roles are confirmed without taking a participant's
    seat: capacity is about the audience, and the panel is decided by the organisers."""
    return (reg.status == RegistrationStatus.CONFIRMED
            and reg.role == ParticipantRole.PARTICIPANT)


def cancel_registration(reg: Registration, actor: User) -> Registration:
    """The person cancels their own registration (an organiser may too, through this)."""
    if not can(actor, "view", reg):
        raise EventError(_("You do not have permission to do that."), status=403)
    return _cancel(reg, actor, reason=None)


def cancel_for_participant(reg: Registration, reason: str, actor: User) -> Registration:
    """An organiser cancels someone's registration; the reason goes to the person."""
    _require_manage(reg, actor)
    reason = (reason or "").strip()
    if not reason:
        raise EventError(_("Give a reason: the person will read it."))
    return _cancel(reg, actor, reason=reason[:500])


def _cancel(reg: Registration, actor: User, reason: str | None) -> Registration:
    if reg.status not in ACTIVE:
        raise Conflict(_("This registration is not active."))
    if reg.event.status not in (EventStatus.PUBLISHED, EventStatus.DRAFT):
        raise Conflict(_("This event can no longer be changed."))
    in_calendar = reg.status == RegistrationStatus.CONFIRMED
    had_seat = holds_seat(reg)
    before = {"status": reg.status.value}
    reg.status = RegistrationStatus.CANCELLED
    reg.waitlisted_at = None
    reg.cancelled_at = utcnow()
    reg.cancellation_reason = reason
    after = {"status": "cancelled"}
    if reason:
        after["reason"] = reason
    record("event.registration_cancelled", reg, actor=actor, before=before, after=after)
    notifications.registration_cancelled(reg, had_seat=in_calendar, reason=reason)
    if had_seat:
        free_seat(reg.event, reg.mode)
        fill_from_waitlist(reg.event, reg.mode, actor=actor)
    return reg


def fill_from_waitlist(event: Event, mode: AttendanceMode, actor: User | None = None
                       ) -> list[Registration]:
    """Give free seats of `mode` to the longest-waiting people, oldest first.

    The candidate row is locked (SKIP LOCKED on PostgreSQL) so two cancellations at once never
    promote the same person; the seat itself still comes from the conditional UPDATE."""
    promoted = []
    db.session.flush()
    while True:
        query = (select(Registration)
                 .where(Registration.event_id == event.id,
                        Registration.mode == mode,
                        Registration.status == RegistrationStatus.WAITLISTED)
                 .order_by(Registration.waitlisted_at, Registration.id)
                 .limit(1))
        if db.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidate = db.session.scalar(query)
        if candidate is None or not take_seat(event, mode):
            break
        _set(candidate, RegistrationStatus.CONFIRMED)
        candidate.decided_at = utcnow()
        record("event.registration_promoted", candidate, actor=actor,
               before={"status": "waitlisted"}, after={"status": "confirmed"})
        notifications.promoted(candidate)
        promoted.append(candidate)
        db.session.flush()
    return promoted


def _require_manage(reg: Registration, actor: User) -> None:
    if not can(actor, "manage", reg.event):
        raise EventError(_("You do not have permission to manage this event."), status=403)


def approve(reg: Registration, actor: User) -> Registration:
    _require_manage(reg, actor)
    if reg.status != RegistrationStatus.PENDING:
        raise Conflict(_("Only a pending registration can be approved."))
    _seat_or_waitlist(reg)
    reg.decided_at = utcnow()
    record("event.registration_approved", reg, actor=actor, before={"status": "pending"},
           after={"status": reg.status.value})
    if reg.status == RegistrationStatus.CONFIRMED:
        notifications.approved(reg)
    else:
        notifications.waitlisted(reg)
    return reg


def reject(reg: Registration, reason: str, actor: User) -> Registration:
    _require_manage(reg, actor)
    reason = (reason or "").strip()
    if not reason:
        raise EventError(_("Give a reason: the person will read it."))
    if reg.status not in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED):
        raise Conflict(_("Only a pending or waitlisted registration can be rejected."))
    before = {"status": reg.status.value}
    reg.status = RegistrationStatus.REJECTED
    reg.waitlisted_at = None
    reg.rejection_reason = reason[:500]
    reg.decided_at = utcnow()
    record("event.registration_rejected", reg, actor=actor, before=before,
           after={"status": "rejected", "reason": reg.rejection_reason})
    notifications.rejected(reg)
    return reg


def move_mode(reg: Registration, mode: str | AttendanceMode, actor: User) -> Registration:
    """Move a registration to the other seat type, keeping both seat counts right."""
    _require_manage(reg, actor)
    new = resolve_mode(reg.event, mode)
    if new == reg.mode:
        raise EventError(_("This registration is already %(mode)s.", mode=mode_label(new)))
    if reg.status not in ACTIVE:
        raise Conflict(_("This registration is not active."))
    old = reg.mode
    if holds_seat(reg):
        if not take_seat(reg.event, new):
            raise Conflict(_("No %(mode)s seat is left.", mode=mode_label(new)))
        reg.mode = new
        free_seat(reg.event, old)
    else:
        reg.mode = new
    record("event.registration_moved", reg, actor=actor, before={"mode": old.value},
           after={"mode": new.value, "status": reg.status.value})
    if reg.status == RegistrationStatus.CONFIRMED:
        notifications.moved(reg)
        fill_from_waitlist(reg.event, old, actor=actor)
    else:
        fill_from_waitlist(reg.event, new, actor=actor)
    return reg
