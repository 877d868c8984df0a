"""The public catalogue: published (and past) events, upcoming first, filterable."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, select

from elearn.extensions import db
from elearn.programme.models import Activity, Programme, Project, ThematicArea

from ..models import Event, EventKind, EventMode, EventStatus
from .common import utcnow

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.COMPLETED, EventStatus.CANCELLED)
PER_PAGE = 12


@dataclass
class CatalogueFilter:
    kind: str = ""
    mode: str = ""
    month: str = ""  # YYYY-MM
    programme: str = ""  # "area:<id>" or "activity:<id>"
    language: str = ""

    @classmethod
    def from_args(cls, args) -> "CatalogueFilter":
        f = cls(**{k: (args.get(k) or "").strip()[:40] for k in
                   ("kind", "mode", "month", "programme", "language")})
        if f.kind not in {k.value for k in EventKind}:
            f.kind = ""
        if f.mode not in {m.value for m in EventMode}:
            f.mode = ""
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", f.month):
            f.month = ""
        if not re.fullmatch(r"(area|activity):\d{1,9}", f.programme):
            f.programme = ""
        if f.language not in {"en", "es", "pt", "fr"}:
            f.language = ""
        return f

    def as_args(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def _month_range(month: str) -> tuple[datetime, datetime]:
    year, mon = (int(x) for x in month.split("-"))
    start = datetime(year, mon, 1, tzinfo=UTC)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=UTC)
    return start, end


def catalogue_query(f: CatalogueFilter, now: datetime | None = None):
    now = now or utcnow()
    query = select(Event).where(Event.status.in_(PUBLIC_STATUSES))
    if f.kind:
        query = query.where(Event.kind == EventKind(f.kind))
    if f.mode:
        query = query.where(Event.mode == EventMode(f.mode))
    if f.language:
        query = query.where(Event.language == f.language)
    if f.month:
        start, end = _month_range(f.month)
        query = query.where(Event.starts_at < end, Event.ends_at >= start)
    if f.programme:
        what, _sep, ident = f.programme.partition(":")
        if what == "activity":
            query = query.where(Event.activity_id == int(ident))
        else:
            query = query.where(Event.activity_id.in_(
                select(Activity.id).join(Project).join(Programme)
                .where(Programme.area_id == int(ident))))
    is_past = case((Event.ends_at < now, 1), else_=0)
    return query.order_by(
        is_past,
        case((Event.ends_at >= now, Event.starts_at)).asc(),
        Event.starts_at.desc(),
        Event.id,
    )


def catalogue_page(f: CatalogueFilter, page: int):
    return db.paginate(catalogue_query(f), page=page, per_page=PER_PAGE, error_out=False)


def programme_choices(lang: str) -> list[tuple[str, str]]:
    """Thematic areas, then the activities that have public events."""
    areas = db.session.scalars(select(ThematicArea).order_by(ThematicArea.position))
    choices = [(f"area:{a.id}", a.text("title", lang))
               for a in areas]
    activities = db.session.scalars(
        select(Activity).where(Activity.id.in_(
            select(Event.activity_id).where(Event.status.in_(PUBLIC_STATUSES))))
        .order_by(Activity.path_code))
    choices += [(f"activity:{a.id}",
                 f"{a.path_code} {a.text('title', lang)}")
                for a in activities]
    return choices
