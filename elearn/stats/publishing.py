"""Publishing statistics: who may publish what, the audited switch, and the published
programme overview shown on /statistics.

An event's tables are published with its own flag (set_public); the programme
overview ("all") and a course edition's tables are Publication rows. Every
figure of a published page is built with protected=True, so the disclosure audit applies.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.accounts.permissions import can, is_programme_manager
from elearn.audit.services import record
from elearn.courses.labels import edition_name
from elearn.courses.models import Edition
from elearn.events.models import Event, EventStatus
from elearn.extensions import db

from . import services
from .disclosure import suppress_together
from .models import Publication
from .services import StatTable

SCOPES = ("all", "edition")
# The overview's tables: (dimension, title). "People reached" are people who attended.
OVERVIEW_TABLES = (
    ("year", _l("People reached by year")),
    ("thematic_area", _l("People reached by thematic area")),
    ("sdg", _l("People reached by Sustainable Development Goal")),
)


def subject_of(scope: str, obj_id: int):
    """The object a publication is about (None for the whole programme); LookupError when the
    scope or the object does not exist."""
    if scope == "all":
        if obj_id != 0:
            raise LookupError(scope)
        return None
    model = {"edition": Edition}.get(scope)
    obj = db.session.get(model, obj_id) if model is not None and 0 < obj_id < 2**31 else None
    if obj is None:
        raise LookupError(scope)
    return obj


def may_publish(user, scope: str, obj) -> bool:
    """The programme overview: programme managers (and admins); an edition's tables: its
    instructors too."""
    if scope == "edition":
        return can(user, "teach", obj)
    return is_programme_manager(user)


def publication(scope: str, obj_id: int) -> Publication | None:
    return db.session.scalar(select(Publication).where(Publication.scope == scope,
                                                       Publication.object_id == obj_id))


def is_published(scope: str, obj_id: int) -> bool:
    return publication(scope, obj_id) is not None


def set_published(scope: str, obj_id: int, published: bool, *, actor) -> None:
    """Publish or unpublish; audited with before/after. The caller checked may_publish and
    commits."""
    found = publication(scope, obj_id)
    if (found is not None) == published:
        return
    state = {"scope": scope, "object_id": obj_id}
    if published:
        found = Publication(scope=scope, object_id=obj_id, published_by_id=actor.id)
        try:
            with db.session.begin_nested():
                db.session.add(found)
        except IntegrityError:
            return  # published by someone else a moment ago: the page is published, as asked
        record("stats.publish", found, actor=actor, before={**state, "published": False},
               after={**state, "published": True})
    else:
        record("stats.unpublish", found, actor=actor, before={**state, "published": True},
               after={**state, "published": False})
        db.session.delete(found)


def published_editions() -> list[Edition]:
    ids = select(Publication.object_id).where(Publication.scope == "edition")
    return list(db.session.scalars(select(Edition).where(Edition.id.in_(ids))
                                   .order_by(Edition.id.desc())))


@dataclass
class Overview:
    tables: list[StatTable] = field(default_factory=list)
    share_of_women: float | None = None
    people: int | None = None
    countries: int | None = None


def countries_reached(f) -> int | None:
    """How many countries the people reached come from: the rows of the protected table by
    country that are a stated country (consent and the roll-up's rules come with the table).
    None when the table is withheld as too small."""
    table = services.gender_table("attended", ("country",), f, protected=True)
    if table is None or table.withheld:
        return None
    return sum(1 for row in table.rows if isinstance(row[0], str) and len(row[0]) == 2)


def overview(f=None) -> Overview:
    """The programme overview: people reached by year, area and SDG, audited together; people
    reached and the share of women come from the year table's totals (distinct people)."""
    f = f or services.parse_filters({})
    result = Overview()
    for dim, title in OVERVIEW_TABLES:
        table = services.gender_table("attended", (dim,), f, protected=True,
                                      key=f"overview-{dim}", title=str(title))
        if table is not None and table.rows:
            result.tables.append(table)
    _protect_together(result.tables)
    # Only the year table counts everyone reached (area and SDG: people of events filed under
    # an activity). Taking the share from another table whose total happens to match would
    # publish, through the share, a women total the year table hides.
    if result.tables and result.tables[0].dims == ("year",):
        result.people = result.tables[0].total
        result.share_of_women = result.tables[0].share_of_women()
    result.countries = countries_reached(f)
    return result


def _protect_together(tables: list) -> None:
    """The area and SDG tables count a subset of the people the year table counts, so each of
    their totals is at most the year table's: a reader combines the three, and so does the
    audit (elearn.stats.disclosure.suppress_together)."""
    tables = [t for t in tables if t.protected and not t.withheld]
    if len(tables) < 2 or tables[0].dims != ("year",):
        return
    last = [len(t.matrix) - 1 for t in tables]
    links = [((n, last[n], j), (0, last[0], j))
             for n in range(1, len(tables)) for j in range(len(tables[0].matrix[-1]))
             if tables[n].matrix[-1][j] <= tables[0].matrix[-1][j]]
    threshold, _min_group = services.settings()
    # The headline quotes the year table's women and people: the audit hides them only when
    # no other figure will do, so the overview can say how many people it reached and the
    # share of women among them (issue 12, point 4).
    women = services.GENDERS.index("woman")
    keep = [{(last[0], women), (last[0], len(services.GENDERS))}] + [set()] * (len(tables) - 1)
    hidden = suppress_together([(t.matrix, *services.additivity(t.matrix)) for t in tables],
                               threshold, links, keep)
    for table, cells in zip(tables, hidden, strict=True):
        table.hidden = cells


def edition_board(edition: Edition) -> services.Dashboard:
    f = services.parse_filters({}, edition_id=edition.id)
    return services.dashboard("edition", f, ("subregion",), protected=True,
                              title=edition_name(edition))


def public_events() -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.public_statistics.is_(True),
                            Event.status.in_([EventStatus.PUBLISHED, EventStatus.COMPLETED]))
        .order_by(Event.starts_at.desc())
    ))


def set_public(event: Event, public: bool, *, actor) -> Event:
    if event.public_statistics != public:
        record("event.public_statistics", event, actor=actor,
               before={"public_statistics": event.public_statistics},
               after={"public_statistics": public})
        event.public_statistics = public
    return event
