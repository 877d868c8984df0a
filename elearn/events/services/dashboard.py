"""What the organiser's dashboard reads: counts, waiting list, pending requests, and the
filterable list of registrations (also what the exports contain)."""

from dataclasses import dataclass
from math import ceil

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from elearn.accounts.models import User
from elearn.extensions import db

from ..models import AttendanceMode, Event, Registration, RegistrationStatus
from .questions import answering_filter


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
    # "question key=answer value": one of the event's registration questions' answers.
    answer: str = ""
    # Whether the viewer may filter by sensitive answers (not an argument of the URL).
    sensitive: bool = False

    @classmethod
    def from_args(cls, args, sensitive: bool = False) -> "RegistrationFilter":
        f = cls(status=args.get("status", ""), mode=args.get("mode", ""),
                country=args.get("country", "").strip().upper()[:2],
                search=args.get("q", "").strip()[:100], answer=args.get("answer", "")[:81],
                sensitive=sensitive)
        # Unknown values are ignored rather than failing: the list just shows everyone.
        if f.status not in {s.value for s in RegistrationStatus}:
            f.status = ""
        if f.mode not in {m.value for m in AttendanceMode}:
            f.mode = ""
        return f

    def as_args(self) -> dict:
        return {k: v for k, v in (("status", self.status), ("mode", self.mode),
                                  ("country", self.country), ("q", self.search),
                                  ("answer", self.answer)) if v}


def _filtered(event: Event, f: RegistrationFilter):
    query = (select(Registration).join(User, User.id == Registration.user_id)
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
    if f.answer:
        # An answer filter the viewer may not use (unknown, or sensitive) is ignored like the
        # other unknown values.
        answering = answering_filter(event, f.answer, f.sensitive)
        if answering is not None:
            query = query.where(Registration.form_response_id.in_(answering))
    return query.order_by(func.lower(User.full_name), Registration.id)


def registrations_query(event: Event, f: RegistrationFilter):
    # The join that filters also loads the person: no second (aliased) join of user.
    return _filtered(event, f).options(contains_eager(Registration.user))


def registrations(event: Event, f: RegistrationFilter) -> list[Registration]:
    return list(db.session.scalars(registrations_query(event, f)))


@dataclass
class RowPage:
    """One page of plain rows, with what the `pager` macro reads."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def registrations_page(event: Event, f: RegistrationFilter, page: int, per_page: int,
                       total: int | None = None) -> RowPage:
    """One page of the dashboard's list as plain rows (id, mode, status, role, name,
    email, country, reply): building full Registration and User objects, with each user's roles, was
    most of the page's SQL time for an event with a few hundred registrants. `total`, when the
    caller knows it (no filter: the status counts add up to it), saves the count query."""
    query = _filtered(event, f).with_only_columns(
        Registration.id, Registration.mode, Registration.status, Registration.role,
        func.coalesce(func.nullif(User.full_name, ""), User.email).label("name"),
        User.email, User.country, Registration.reply)
    if total is None:
        total = db.session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.execute(query.limit(per_page).offset((page - 1) * per_page)))
    return RowPage(rows, page, per_page, total)
