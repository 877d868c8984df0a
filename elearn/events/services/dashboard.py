"""What the organiser's dashboard reads: counts, waiting list, pending requests, and the
filterable list of registrations (also what the exports contain)."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from elearn.accounts.models import User
from elearn.extensions import db

from ..models import AttendanceMode, Event, Registration, RegistrationStatus


def status_counts(event: Event) -> dict[tuple[str, str], int]:
    """{(status, mode): n} in one GROUP BY query."""
    rows = db.session.execute(
        select(Registration.status, Registration.mode, func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status, Registration.mode)
    )
    return {(status.value, mode.value): n for status, mode, n in rows}


def _with_user(query):
    return query.options(joinedload(Registration.user))


def waiting_list(event: Event) -> list[Registration]:
    return list(db.session.scalars(_with_user(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.mode, Registration.waitlisted_at, Registration.id))))


def pending_list(event: Event) -> list[Registration]:
    return list(db.session.scalars(_with_user(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.PENDING)
        .order_by(Registration.created_at, Registration.id))))


@dataclass
class RegistrationFilter:
    status: str = ""
    mode: str = ""
    country: str = ""
    search: str = ""

    @classmethod
    def from_args(cls, args) -> "RegistrationFilter":
        f = cls(status=args.get("status", ""), mode=args.get("mode", ""),
                country=args.get("country", "").strip().upper()[:2],
                search=args.get("q", "").strip()[:100])
        # Unknown values are ignored rather than failing: the list just shows everyone.
        if f.status not in {s.value for s in RegistrationStatus}:
            f.status = ""
        if f.mode not in {m.value for m in AttendanceMode}:
            f.mode = ""
        return f

    def as_args(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("mode", self.mode),
                                  ("country", self.country), ("q", self.search)) if v}


def registrations_query(event: Event, f: RegistrationFilter):
    query = (select(Registration).join(User, User.id == Registration.user_id)
             .options(joinedload(Registration.user))
             .where(Registration.event_id == event.id))
    if f.status:
        query = query.where(Registration.status == RegistrationStatus(f.status))
    if f.mode:
        query = query.where(Registration.mode == AttendanceMode(f.mode))
    if f.country:
        query = query.where(User.country == f.country)
    if f.search:
        like = f"%{f.search.lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(like),
                                User.email.like(like)))
    return query.order_by(func.lower(User.full_name), Registration.id)


def registrations(event: Event, f: RegistrationFilter) -> list[Registration]:
    return list(db.session.scalars(registrations_query(event, f)))
