"""The annual report's figures, gathered once for every format (web page, PDF, Word, annex).

Every figure about people comes from the statistics service (elearn.stats): tables of
distinct people from the roll-up, with consent applied and small cells hidden by the
disclosure audit. The report never counts people itself: it reads the published value of a
table's row, so a hidden cell stays hidden (None) here and is shown as "x". Planned against
delivered comes from the outputs domain's `activity_progress`.

The number of queries does not grow with events or activities: a handful of tables grouped by
activity (and by activity and sub-region), the summary tables (headline.py), the progress (five
queries), one query of public outputs and one of the SDGs.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from elearn.courses.models import Course, Edition
from elearn.events.models import Event, EventSession
from elearn.extensions import db
from elearn.multilingual import text_in
from elearn.outputs.models import Output, Visibility
from elearn.outputs.services.progress import activity_progress
from elearn.programme.models import Sdg, activity_sdg
from elearn.stats import publishing, services
from elearn.stats.queries import GENDERS, Filters

from . import satisfaction as surveys_results
from .headline import headline_tables
from .period import Period

# The measures shown per activity, in the order of the report's tables.
MEASURES = ("registered", "attended", "completed", "certified")


@dataclass
class Figures:
    """One row of a protected table: the published figure per gender (None: hidden) and the
    row's total, itself a count of distinct people."""

    values: list[int | None]
    total: int | None

    @classmethod
    def zero(cls) -> "Figures":
        return cls([0] * len(GENDERS), 0)

    @classmethod
    def hidden(cls) -> "Figures":
        return cls([None] * len(GENDERS), None)

    def of(self, gender: str) -> int | None:
        return self.values[GENDERS.index(gender)]

    @property
    def share_of_women(self) -> float | None:
        women = self.of("woman")
        if women is None or not self.total:
            return None
        return women / self.total


def rows_of(table: services.StatTable | None) -> dict:
    """{row key: Figures} of a table; a withheld table gives hidden figures for every row."""
    if table is None:
        return {}
    n = len(GENDERS)
    found = {}
    for i, key in enumerate(table.rows):
        found[key] = Figures([table.value(i, j) for j in range(n)], table.value(i, n))
    return found


def lookup(rows: dict, key, withheld: bool) -> Figures:
    """The figures of a row; a row absent from the table is nobody (zero), unless the whole
    table is withheld (then nothing is known)."""
    if withheld:
        return Figures.hidden()
    return rows.get(key) or Figures.zero()


@dataclass
class ActivityEntry:
    progress: dict  # one item of activity_progress
    figures: dict[str, Figures] = field(default_factory=dict)  # measure -> Figures
    panel: Figures = field(default_factory=Figures.zero)
    subregions: list[tuple[str, Figures]] = field(default_factory=list)
    outputs: list[dict] = field(default_factory=list)  # {"title", "kind", "url"}
    sdgs: list[str] = field(default_factory=list)
    satisfaction: surveys_results.Satisfaction = field(default_factory=surveys_results.no_data)


@dataclass
class Section:
    """An area, a programme or a project: its code and titles and what is under it."""

    part: dict  # {"id", "code", "title", "language"}
    children: list = field(default_factory=list)
    figures: Figures | None = None  # areas: people reached in the area


@dataclass
class Summary:
    people: int | None
    women_share: float | None
    countries: int | None
    delivered: int
    planned: int
    held: int  # events and editions held in the period
    activities: int  # activities in the report


@dataclass
class Report:
    period: Period
    summary: Summary
    areas: list[Section]
    countries: services.StatTable | None  # people reached by country (merged, protected)
    sdg_table: services.StatTable | None
    notes: dict[str, str]
    generated_on: date
    measure_withheld: dict[str, bool] = field(default_factory=dict)


def _filters(period: Period) -> Filters:
    return Filters(year=period.year)


def _activity_tables(f: Filters) -> dict[str, services.StatTable]:
    """The tables by activity, {measure: table}, protected together: certified people are
    among the registered, and a reader would subtract one from the other."""
    tables = services.merged_tables(MEASURES, ("activity",), f, protected=True)
    panel = services.gender_table("panel", ("activity",), f, protected=True)
    services.protect_together([*tables, *([panel] if panel is not None else [])])
    by_measure = {t.measure: t for t in tables}
    if panel is not None:
        by_measure["panel"] = panel
    return by_measure


def _subregions(f: Filters) -> dict[int | None, list[tuple[str, Figures]]]:
    """People who attended, by activity and by sub-region (one protected table)."""
    table = services.gender_table("attended", ("activity", "subregion"), f, protected=True)
    found: dict = {}
    if table is None or table.withheld:
        return found
    for (activity_id, _region), labels, figures in zip(
            table.rows, table.row_labels, rows_of(table).values(), strict=True):
        found.setdefault(activity_id, []).append((labels[1], figures))
    return found


def public_outputs(period: Period, activity_ids: list[int], lang: str) -> dict[int, list]:
    """activity id -> its public outputs (directly or through its events, sessions and
    editions) published in the period, newest first, in one query."""
    from elearn.base_url import absolute_url
    from elearn.outputs.labels import KIND_LABELS

    event, session, session_event = aliased(Event), aliased(EventSession), aliased(Event)
    edition, course = aliased(Edition), aliased(Course)
    owner = func.coalesce(Output.activity_id, event.activity_id, session_event.activity_id,
                          edition.activity_id, course.activity_id)
    query = (select(owner, Output.id, Output.kind, Output.title, Output.language,
                    Output.url, Output.published_on)
             .outerjoin(event, event.id == Output.event_id)
             .outerjoin(session, session.id == Output.session_id)
             .outerjoin(session_event, session_event.id == session.event_id)
             .outerjoin(edition, edition.id == Output.edition_id)
             .outerjoin(course, course.id == edition.course_id)
             .where(Output.visibility == Visibility.PUBLIC, owner.in_(activity_ids))
             .order_by(Output.published_on.desc(), Output.id))
    if period.year is not None:
        query = query.where(Output.published_on >= date(period.year, 1, 1),
                            Output.published_on < date(period.year + 1, 1, 1))
    found: dict[int, list] = {}
    for aid, oid, kind, texts, main, url, published_on in db.session.execute(query):
        title = text_in(texts, lang, main)
        found.setdefault(aid, []).append({
            "title": title, "kind": str(KIND_LABELS.get(kind, kind)),
            "url": url or absolute_url("outputs.download", output_id=oid),
            "published_on": published_on})
    return found


def sdgs_of(activity_ids: list[int], lang: str) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(activity_sdg.c.activity_id, Sdg.number, Sdg.title)
        .join(Sdg, Sdg.number == activity_sdg.c.sdg_number)
        .where(activity_sdg.c.activity_id.in_(activity_ids))
        .order_by(activity_sdg.c.activity_id, Sdg.number))
    found: dict[int, list[str]] = {}
    for aid, number, texts in rows:
        found.setdefault(aid, []).append(f"{number}. {text_in(texts, lang)}")
    return found


def _tree(entries: list[ActivityEntry], area_rows: dict, area_withheld: bool) -> list[Section]:
    """Areas > programmes > projects > activities, in the programme's order (the progress
    rows come ordered)."""
    areas: dict = {}
    for entry in entries:
        row = entry.progress
        area = areas.get(row["area"]["id"])
        if area is None:
            area = areas[row["area"]["id"]] = Section(
                row["area"], figures=lookup(area_rows, (row["area"]["id"],), area_withheld))
        programme = _child(area, row["programme"])
        project = _child(programme, row["project"])
        project.children.append(entry)
    return list(areas.values())


def _child(parent: Section, part: dict) -> Section:
    if parent.children and parent.children[-1].part["id"] == part["id"]:
        return parent.children[-1]
    section = Section(part)
    parent.children.append(section)
    return section


def build_report(period: Period, lang: str) -> Report:
    """The whole report for a year (or the period), in the language of the active locale for
    labels and `lang` for the programme's own titles. Call inside flask_babel.force_locale."""
    from .notes import notes_for

    f = _filters(period)
    progress = activity_progress(period.year)
    ids = [row["activity_id"] for row in progress]
    summary_tables = headline_tables(f)
    area_table = summary_tables["thematic_area"]
    tables = _activity_tables(f)
    rows = {m: rows_of(t) for m, t in tables.items()}
    withheld = {m: t.withheld for m, t in tables.items()}
    regions = _subregions(f)
    outputs = public_outputs(period, ids, lang) if ids else {}
    sdgs = sdgs_of(ids, lang) if ids else {}
    scores = surveys_results.satisfaction_by_activity(period.year)
    entries = []
    for row in progress:
        aid = row["activity_id"]
        entries.append(ActivityEntry(
            progress=row,
            figures={m: lookup(rows.get(m, {}), (aid,), withheld.get(m, False))
                     for m in MEASURES},
            panel=lookup(rows.get("panel", {}), (aid,), withheld.get("panel", False)),
            subregions=regions.get(aid, []), outputs=outputs.get(aid, []),
            sdgs=sdgs.get(aid, []), satisfaction=scores.get(aid, surveys_results.no_data())))
    countries = summary_tables["country"]
    summary = Summary(
        people=countries.total if countries is not None else 0,
        women_share=countries.share_of_women() if countries is not None else None,
        countries=publishing.countries_reached(f),
        delivered=sum(1 for r in progress if r["status"] == "delivered"),
        planned=sum(1 for r in progress if r["planned"]),
        held=sum(r["held"] for r in progress), activities=len(progress))
    return Report(
        period=period, summary=summary,
        areas=_tree(entries, rows_of(area_table), bool(area_table and area_table.withheld)),
        countries=countries, sdg_table=summary_tables["sdg"], notes=notes_for(f),
        generated_on=date.today(), measure_withheld=withheld)
