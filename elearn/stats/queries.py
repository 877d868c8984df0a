"""The SQL behind every statistics table: GROUP BYs over the roll-up of facts (`stats_fact`,
kept exact by `rollup`) with count(DISTINCT person) per cell and, separately, per row, per
gender and overall, since one person may fall in several cells (two years, two kinds). Nothing
here loops over people in Python; what counts as a fact is decided in `rollup`, once.

A hackathon's team figures (members of a team, captains, members of a team that submitted) are
its event's registered participants narrowed to those people, so they share the roll-up's
consent rule and dimensions.
"""

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select

from elearn.courses.models import Edition
from elearn.hackathons.judging_models import Submission
from elearn.hackathons.models import Team, TeamMember
from elearn.programme.models import Activity, Programme, Project, activity_sdg

from .models import StatsFact
from .rollup import AGE_GROUPS, COURSE_KIND

GENDERS = ("woman", "man", "non_binary", "another", "prefer_not_to_say", "not_answered")
DIMENSIONS = ("country", "subregion", "sector", "age_group", "mode", "kind", "programme",
              "thematic_area", "activity", "sdg", "year", "role")
__all__ = ["AGE_GROUPS", "COURSE_KIND", "DIMENSIONS", "GENDERS", "HACKATHON_MEASURES",
           "Filters", "TableQueries", "table_queries", "table_query"]
# Facts of an event's sessions: an edition's figures take them from its live-class event.
EVENT_MEASURES = ("attended", "panel")
# A hackathon's people, counted among its event's registered participants.
HACKATHON_MEASURES = ("in_team", "captain", "submitted")


@dataclass(frozen=True)
class Filters:
    """Already validated (services.parse_filters); None means no filter."""

    year: int | None = None
    programme: int | None = None
    kind: str | None = None
    mode: str | None = None
    country: str | None = None
    subregion: str | None = None
    event_id: int | None = None
    edition_id: int | None = None
    hackathon_id: int | None = None

    def public_key(self) -> tuple:
        return (self.year, self.programme, self.kind, self.mode, self.country, self.subregion)


def _programme_activities(programme_id: int):
    return select(Activity.id).join(Project, Project.id == Activity.project_id) \
        .where(Project.programme_id == programme_id)


def _live_event_of(edition_id: int):
    return select(Edition.live_event_id).where(Edition.id == edition_id).scalar_subquery()


def _hackathon_people(measure: str, hackathon_id: int):
    if measure == "captain":
        return select(Team.captain_id).where(Team.hackathon_id == hackathon_id,
                                             Team.captain_id.is_not(None))
    members = select(TeamMember.user_id).where(TeamMember.hackathon_id == hackathon_id)
    if measure == "submitted":
        members = members.join(Submission, Submission.team_id == TeamMember.team_id)
    return members


def dimension_expression(name: str, joins: set, merge: dict | None = None):
    """The SQL expression for a row dimension; records the joins it needs. `merge`
    ({value: wider value}) groups small categories into wider ones in the query itself, so
    that each merged cell and total is still a count of distinct people (a person may be in
    two age groups of one band in two years)."""
    if merge:
        column = dimension_expression(name, joins)
        return case(merge, value=column, else_=column)
    if name in ("country", "subregion", "sector", "age_group", "mode", "kind", "year", "role"):
        return StatsFact.__table__.c[name]
    if name == "activity":
        return StatsFact.activity_id
    if name == "programme":
        joins.add("project")
        return Project.programme_id
    if name == "thematic_area":
        joins.update(("project", "programme"))
        return Programme.area_id
    if name == "sdg":
        joins.add("sdg")
        return activity_sdg.c.sdg_number
    raise ValueError(name)


def _where(query, measure: str, f: Filters):
    fact = StatsFact
    query = query.where(fact.measure == measure)
    if f.event_id is not None:
        query = query.where(fact.event_id == f.event_id)
    if f.edition_id is not None:
        if measure in EVENT_MEASURES:
            query = query.where(fact.event_id == _live_event_of(f.edition_id))
        else:
            query = query.where(fact.edition_id == f.edition_id)
    for name in ("year", "kind", "mode", "country", "subregion"):
        value = getattr(f, name)
        if value is not None:
            query = query.where(StatsFact.__table__.c[name] == value)
    if f.programme is not None:
        query = query.where(fact.activity_id.in_(_programme_activities(f.programme)))
    return query


@dataclass(frozen=True)
class TableQueries:
    """The statements of one table, all over the same filter: the cells, and each total
    counted as distinct people on its own (one person may fall in several rows, so a total is
    not the sum of its cells)."""

    cells: object  # <dims>, gender, people
    row_totals: object  # <dims>, people
    column_totals: object  # gender, people
    grand_total: object  # people


def _filtered(columns, measure: str, f: Filters):
    """SELECT columns FROM stats_fact WHERE <the measure and the filters>; None when the
    measure has no source here (team figures outside a hackathon)."""
    source = measure
    if measure in HACKATHON_MEASURES:
        if f.hackathon_id is None:
            return None
        source = "registered"
    query = _where(select(*columns).select_from(StatsFact), source, f)
    if source != measure:
        query = query.where(StatsFact.user_id.in_(_hackathon_people(measure, f.hackathon_id)))
    return query


def _joined(query, joins: set):
    # Outer joins only: a dimension never drops a fact, so every total below (which needs no
    # join) counts the same facts as the cells.
    if joins & {"project", "programme"}:
        query = query.outerjoin(Activity, Activity.id == StatsFact.activity_id) \
            .outerjoin(Project, Project.id == Activity.project_id)
    if "programme" in joins:
        query = query.outerjoin(Programme, Programme.id == Project.programme_id)
    if "sdg" in joins:
        query = query.outerjoin(activity_sdg, activity_sdg.c.activity_id == StatsFact.activity_id)
    return query


def table_queries(measure: str, dims: tuple[str, ...], f: Filters,
                  merge: dict | None = None) -> TableQueries | None:
    """Four statements per table, whatever its size: count(DISTINCT person) per cell, per row,
    per gender and overall; None when the measure has no source here. `merge`: {dimension:
    {value: wider value}} (merging.Merge.moves)."""
    people = func.count(distinct(StatsFact.user_id)).label("people")
    joins: set[str] = set()
    merge = merge or {}
    dim_columns = [dimension_expression(d, joins, merge.get(d)).label(f"d{i}")
                   for i, d in enumerate(dims)]
    gender = StatsFact.gender.label("gender")
    cells = _filtered([*dim_columns, gender, people], measure, f)
    if cells is None:
        return None
    rows = _filtered([*dim_columns, people], measure, f)
    return TableQueries(
        cells=_joined(cells, joins).group_by(*dim_columns, StatsFact.gender),
        row_totals=_joined(rows, joins).group_by(*dim_columns),
        column_totals=_filtered([gender, people], measure, f).group_by(StatsFact.gender),
        grand_total=_filtered([people], measure, f),
    )


def table_query(measure: str, dims: tuple[str, ...], f: Filters):
    """The cells' statement alone: SELECT <dims>, gender, count(DISTINCT person) ... GROUP BY
    <dims>, gender."""
    statements = table_queries(measure, dims, f)
    return None if statements is None else statements.cells
