"""Statistics tables and dashboards: validated filters in, tables with their disclosure control
out. Views and exports render these; no one else computes a figure."""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pycountry
from flask import current_app
from flask_babel import gettext as _

from elearn.accounts.models import Subregion
from elearn.events.models import AttendanceMode, EventKind
from elearn.extensions import db

from . import merging, queries, rollup
from .disclosure import OTHER_MEMBER_STATES, suppress, suppress_together
from .labels import (
    DIMENSION_LABELS,
    GENDER_LABELS,
    MEASURE_LABELS,
    SHARES_NOTE,
    filters_note,
    measure_note,
    value_labels,
)
from .queries import GENDERS, Filters

DEFAULT_THRESHOLD = 4
# A year or an id as typed in a query string: ASCII digits, short enough for the database.
_NUMBER = re.compile(r"[0-9]{1,9}")
DEFAULT_MIN_GROUP = 10


class StatsError(Exception):
    """Impossible filter or request; the message is translated and shown with a 400."""


@dataclass
class StatTable:
    key: str
    title: str
    dims: tuple[str, ...]
    rows: list[tuple]  # the values of the row dimensions
    row_labels: list[tuple[str, ...]]
    # Cells, with the totals as last row and last column; each total is its own count of
    # distinct people, so it may be less than the sum of its cells.
    matrix: list[list[int]]
    hidden: set = field(default_factory=set)
    withheld: bool = False  # the group is too small to publish any breakdown
    protected: bool = False  # disclosure control applied
    measure: str = ""
    # What these figures count (labels.measure_note): the measure's definition, then the
    # counting rule, period and filters shared by the tables of a page.
    definition: str = ""
    counting: str = ""

    columns = GENDERS

    @property
    def dim_titles(self) -> list[str]:
        return [str(DIMENSION_LABELS[d]) for d in self.dims]

    @property
    def column_labels(self) -> list[str]:
        return [str(GENDER_LABELS[g]) for g in GENDERS]

    @property
    def note(self) -> str:
        return " ".join(part for part in (self.definition, self.counting) if part)

    @property
    def total(self) -> int | None:
        return self.value(len(self.rows), len(GENDERS))

    def value(self, i: int, j: int) -> int | None:
        """The published figure, None when hidden."""
        if self.withheld or (i, j) in self.hidden:
            return None
        return self.matrix[i][j]

    def column_total(self, gender: str) -> int | None:
        return self.value(len(self.rows), GENDERS.index(gender))

    def body(self):
        """(labels, [values...], total) per row, then the totals row, published values only."""
        n = len(GENDERS)
        for i, labels in enumerate([*self.row_labels, (str(_("Total")),)]):
            yield labels, [self.value(i, j) for j in range(n)], self.value(i, n)

    def share_of_women(self) -> float | None:
        women, total = self.column_total("woman"), self.total
        if women is None or not total:
            return None
        return women / total


def _setting(name: str, default: int) -> int:
    """App config first (tests, create_app overrides), then the environment, then default."""
    return int(current_app.config.get(name, os.environ.get(name, default)))


def settings() -> tuple[int, int]:
    return (_setting("STATS_SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD),
            _setting("STATS_MIN_GROUP_SIZE", DEFAULT_MIN_GROUP))


def parse_filters(args: Mapping, **scope) -> Filters:
    """Filters from a query string; anything impossible raises StatsError naming it."""
    values: dict = {}
    year = (args.get("year") or "").strip()
    if year:
        if not _NUMBER.fullmatch(year) or not 1990 <= int(year) <= 2100:
            raise StatsError(_("The year must be a number between 1990 and 2100."))
        values["year"] = int(year)
    programme = (args.get("programme") or "").strip()
    if programme:
        from elearn.programme.models import Programme

        if (not _NUMBER.fullmatch(programme)
                or db.session.get(Programme, int(programme)) is None):
            raise StatsError(_("There is no programme %(value)s.", value=programme[:20]))
        values["programme"] = int(programme)
    kind = (args.get("kind") or "").strip()
    if kind:
        if kind not in {k.value for k in EventKind} | {queries.COURSE_KIND}:
            raise StatsError(_("Unknown kind of activity: %(value)s.", value=kind[:40]))
        values["kind"] = kind
    mode = (args.get("mode") or "").strip()
    if mode:
        if mode not in {m.value for m in AttendanceMode}:
            raise StatsError(_("Mode must be in person or online."))
        values["mode"] = mode
    country = (args.get("country") or "").strip().upper()
    if country:
        if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
            raise StatsError(_("Unknown country code: %(value)s.", value=country[:10]))
        values["country"] = country
    subregion = (args.get("subregion") or "").strip()
    if subregion:
        if subregion not in {s.value for s in Subregion}:
            raise StatsError(_("Unknown sub-region: %(value)s.", value=subregion[:40]))
        values["subregion"] = subregion
    return Filters(**values, **scope)


def parse_dimensions(args: Mapping, default: str) -> tuple[str, ...]:
    by = (args.get("by") or default).strip()
    by2 = (args.get("by2") or "").strip()
    allowed = [d for d in queries.DIMENSIONS if d != "role"]
    for value in (by, by2):
        if value and value not in allowed:
            raise StatsError(_("Cannot break figures down by %(value)s.", value=value[:40]))
    if by2 == by:
        by2 = ""
    return (by, by2) if by2 else (by,)


def _sort_key(dim: str, value, label: str):
    unknown = value in (None, "", "unknown")
    if dim == "age_group":
        order = merging.AGE_ORDER
        return (unknown, order.index(value) if value in order else len(order), label)
    if dim == "country":  # merged rows after the countries, "Other countries" last
        other = isinstance(value, str) and value.startswith(OTHER_MEMBER_STATES)
        return (unknown, other, value == OTHER_MEMBER_STATES, label.casefold())
    if dim in ("year", "sdg"):
        return (unknown, value or 0, label)
    return (unknown, label.casefold())


@dataclass
class Totals:
    """Distinct people per row (by its dimension values), per gender, and overall."""

    rows: dict
    columns: dict
    grand: int


def gender_table(measure: str, dims: tuple[str, ...], f: Filters, *, protected: bool,
                 key: str | None = None, title: str | None = None,
                 merge: merging.Merge | None = None) -> StatTable | None:
    """Rows x genders with totals, in four statements (cells, row totals, gender totals, grand
    total, each a count of distinct people); None when the measure has no source (e.g. team
    figures outside a hackathon). `merge`: small categories shown within wider ones, decided
    for the whole page (merging.decide)."""
    statements = queries.table_queries(measure, dims, f, merge.moves if merge else None)
    if statements is None:
        return None
    rollup.apply_pending()  # this transaction's own changes count too
    run = db.session.execute
    totals = Totals(rows={tuple(r[:-1]): r[-1] for r in run(statements.row_totals)},
                    columns={g: n for g, n in run(statements.column_totals)},
                    grand=db.session.scalar(statements.grand_total) or 0)
    table = build_table(run(statements.cells).all(), measure, dims, protected=protected,
                        key=key, title=title, totals=totals)
    table.definition, table.counting = measure_note(measure, f)
    if merge:
        table.counting = " ".join([table.counting, *merge.notes()])
    return table


def _totals_of(cells: dict, totals: Totals | None) -> Totals:
    """Without counted totals, the sums of the cells: exact only when nobody is in two cells."""
    if totals is not None:
        return totals
    columns = [sum(col) for col in zip(*cells.values(), strict=True)] or [0] * len(GENDERS)
    return Totals(rows={k: sum(v) for k, v in cells.items()},
                  columns=dict(zip(GENDERS, columns, strict=True)), grand=sum(columns))


def build_table(result, measure: str, dims: tuple[str, ...], *, protected: bool,
                key: str | None = None, title: str | None = None,
                totals: Totals | None = None) -> StatTable:
    n = len(dims)
    cells: dict[tuple, list[int]] = {}
    for row in result:  # aggregated rows: one per (dimension values, gender)
        counts = cells.setdefault(tuple(row[:n]), [0] * len(GENDERS))
        counts[GENDERS.index(row[n])] += row[n + 1]
    totals = _totals_of(cells, totals)
    labels = [value_labels(d, {k[i] for k in cells}) for i, d in enumerate(dims)]
    keys = sorted(cells, key=lambda k: tuple(
        _sort_key(d, k[i], labels[i][k[i]]) for i, d in enumerate(dims)))
    matrix = [[*cells[k], totals.rows.get(k, 0)] for k in keys]
    matrix.append([*(totals.columns.get(g, 0) for g in GENDERS), totals.grand])
    table = StatTable(
        key=key or f"{measure}-by-{'-'.join(dims)}",
        title=title or str(MEASURE_LABELS[measure]), dims=dims, rows=keys,
        row_labels=[tuple(labels[i][k[i]] for i in range(n)) for k in keys], matrix=matrix,
        measure=measure,
    )
    if protected:
        protect(table)
    return table


def protect(table: StatTable) -> StatTable:
    """Disclosure control of one table (withheld when too small; small figures hidden)."""
    threshold, min_group = settings()
    table.protected = True
    # A row's genders add up to its total (one gender per person); rows add up to the
    # totals row only when each person is in one row (country, sector...). The audit
    # grants the reader every equality that holds.
    additive, rows_additive = additivity(table.matrix)
    table.hidden = suppress(table.matrix, threshold, additive=additive,
                            rows_additive=rows_additive)
    table.withheld = 0 < table.matrix[-1][-1] < min_group
    return table


def additivity(matrix) -> tuple[bool, bool]:
    """(columns add up to the totals row, rows add up to their totals) in the true table."""
    return (all(sum(r[j] for r in matrix[:-1]) == matrix[-1][j]
                for j in range(len(matrix[-1]))),
            all(sum(r[:-1]) == r[-1] for r in matrix))


# Measures whose people are among another's, by the rules of rollup.py: someone attended,
# certified or completed was (as a rule) registered; someone certified for an event
# attended it; a diploma goes to someone who completed. A reader who knows the rules uses
# them, so the audit does too, wherever they hold cell by cell in the figures (a rule the
# data breaks somewhere, e.g. a walk-in attending unregistered, is not one the reader can
# rely on, and would make the joint system contradict itself).
NESTED = (("attended", "registered"), ("certified", "registered"),
          ("completed", "registered"), ("certified", "attended"),
          ("certified", "completed"))


def nesting_links(tables: list[StatTable]) -> list[tuple]:
    """((t, i, j), (u, k, l)) for each figure of table t at most its counterpart in table u
    (same row values, same gender column or total), for the NESTED pairs that hold."""
    by_measure = {t.measure: n for n, t in enumerate(tables)}
    links = []
    for small, large in NESTED:
        if small not in by_measure or large not in by_measure:
            continue
        s, g = by_measure[small], by_measure[large]
        if tables[s].dims != tables[g].dims:
            continue
        pairs = _counterparts(tables[s], tables[g])
        if pairs is not None:
            links += [((s, *a), (g, *b)) for a, b in pairs]
    return links


def _counterparts(small: StatTable, large: StatTable) -> list | None:
    """[((i, j), (k, j))] pairing every figure of `small` with that of `large`, or None
    when some figure of `small` is above its counterpart (the rule does not hold)."""
    row_of = {key: k for k, key in enumerate(large.rows)}
    row_of[None] = len(large.rows)  # the totals row
    pairs = []
    for i, key in enumerate([*small.rows, None]):
        for j, value in enumerate(small.matrix[i]):
            k = row_of.get(key) if key is not None else row_of[None]
            counterpart = 0 if k is None else large.matrix[k][j]
            if value > counterpart:
                return None
            if k is not None:
                pairs.append(((i, j), (k, j)))
    return pairs


def protect_together(tables: list[StatTable]) -> None:
    """Tables of one page over the same rows are audited as one system (issue 12, point 3):
    the difference between registered and attended must not reveal what either hides."""
    tables = [t for t in tables if t.protected and not t.withheld]  # withheld: all unknown
    links = nesting_links(tables)
    linked = sorted({end[0] for link in links for end in link})
    if not linked:
        return
    renumber = {old: new for new, old in enumerate(linked)}
    tables = [tables[n] for n in linked]
    links = [tuple((renumber[end[0]], *end[1:]) for end in link) for link in links]
    threshold, _min_group = settings()
    hidden = suppress_together([(t.matrix, *additivity(t.matrix)) for t in tables],
                               threshold, links)
    for table, cells in zip(tables, hidden, strict=True):
        table.hidden = cells


@dataclass
class Dashboard:
    title: str
    tables: list[StatTable]
    shares: list[dict] = field(default_factory=list)
    shares_note: str = ""
    protected: bool = True

    def table(self, key: str) -> StatTable | None:
        return next((t for t in self.tables if t.key == key), None)


def measures_for(scope: str) -> list[str]:
    if scope == "event":
        return ["registered", "attended", "certified"]
    if scope == "hackathon":
        return ["registered", *queries.HACKATHON_MEASURES, "attended", "certified"]
    return ["registered", "attended", "completed", "certified"]


def merged_tables(measures, dims: tuple[str, ...], f: Filters, *,
                  protected: bool) -> list[StatTable]:
    """The tables of `measures` by `dims` shown together on a page or in an export, with their
    small countries and age groups merged (protected pages only: administrators' exact pages
    show every category). The merge is decided once from all of them, so linked tables keep
    the same rows; the SQL runs again only when something is merged (never at scale)."""
    def build(merge=None):
        found = (gender_table(m, dims, f, protected=False, merge=merge) for m in measures)
        return [t for t in found if t is not None]

    tables = build()
    if not protected:
        return tables
    merge = merging.decide(tables, merging.minimum(*settings()))
    if merge:
        tables = build(merge)
    return [protect(t) for t in tables]


def dashboard(scope: str, f: Filters, dims: tuple[str, ...], *, protected: bool,
              title: str = "") -> Dashboard:
    tables = merged_tables(measures_for(scope), dims, f, protected=protected)
    panel = gender_table("panel", ("role",), f, protected=protected)
    if panel is not None:
        tables.append(panel)
    if protected:
        protect_together(tables)
    board = Dashboard(title=title, tables=tables, protected=protected)
    if scope in ("all", "programme"):
        board.shares = women_by_programme(f, protected=protected)
        board.shares_note = " ".join([str(SHARES_NOTE), *filters_note(f)])
    return board


def women_by_programme(f: Filters, *, protected: bool) -> list[dict]:
    """Share of women among participants and among certified people, per programme."""
    tables = {m: gender_table(m, ("programme",), f, protected=protected)
              for m in ("registered", "certified") if m in measures_for("all")}
    if protected:  # shown side by side: certified people are among the registered
        protect_together([t for t in tables.values() if t is not None])
    rows: dict = {}
    for measure, table in tables.items():
        if table is None:
            continue
        women_column = GENDERS.index("woman")
        for i, (value, labels) in enumerate(zip(table.rows, table.row_labels, strict=True)):
            entry = rows.setdefault(value[0], {"programme": labels[0]})
            women, total = table.value(i, women_column), table.value(i, len(GENDERS))
            entry[measure] = (women, total, women / total if women is not None and total
                              else None)
    return [rows[k] for k in sorted(rows, key=lambda k: (k is None, rows[k]["programme"]))]
