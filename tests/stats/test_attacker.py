"""An informed reader attacks the published tables.

The attacker here is written apart from elearn.stats.disclosure (its own LP with scipy): they
know the rules (published zeros are zeros, every hidden figure is at least 0, and at least 1
when it is not zero, which we grant them though zeros are sometimes hidden; rows and columns
add up to their totals, or when one person may fall in several rows, add up to at least their
total with no cell above it) and compute, for each hidden cell, the smallest and largest value
consistent with what is published. A cell from 1 to the threshold is disclosed when its
interval does not reach both 1 and threshold + 1; a row is disclosed when everyone in it can be
seen to share one gender.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from sqlalchemy import select

from elearn.courses.models import Edition
from elearn.events.models import Event
from elearn.extensions import db
from elearn.programme.models import Programme
from elearn.stats import publishing, services
from elearn.stats.disclosure import suppress
from elearn.stats.queries import Filters

THRESHOLD = 4
GENDER_COLUMNS = 6
EPS = 1e-6


def attack(matrix, hidden, *, additive=True, rows_additive=None):
    """{hidden cell: (min, max)} for everything the published figures allow."""
    rows, cols = len(matrix), len(matrix[0])
    unknown = sorted(hidden)
    if not unknown:
        return {}
    index = {p: k for k, p in enumerate(unknown)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def term(p):  # (coefficient vector, constant) of one cell
        vec = np.zeros(len(unknown))
        if p in index:
            vec[index[p]] = 1
            return vec, 0
        return vec, matrix[p[0]][p[1]]

    exact = rows_additive if rows_additive is not None else additive
    lines = [([(i, j) for j in range(cols)], exact) for i in range(rows)]
    lines += [([(i, j) for i in range(rows)], additive) for j in range(cols)]
    for (*parts, total), line_exact in lines:
        vec, const = np.zeros(len(unknown)), 0
        for p in parts:
            v, c = term(p)
            vec, const = vec + v, const + c
        tv, tc = term(total)
        if line_exact:  # cells - total = 0
            a_eq.append(vec - tv)
            b_eq.append(tc - const)
        else:  # total - cells <= 0, and each cell - total <= 0
            a_ub.append(tv - vec)
            b_ub.append(const - tc)
            for p in parts:
                v, c = term(p)
                a_ub.append(v - tv)
                b_ub.append(tc - c)
    # Zeros are published but for a few: grant the attacker which hidden figures are not 0.
    bounds = [(1 if matrix[i][j] > 0 else 0, None) for i, j in unknown]
    kwargs = {"bounds": bounds, "method": "highs"}
    if a_eq:
        kwargs.update(A_eq=np.array(a_eq), b_eq=np.array(b_eq))
    if a_ub:
        kwargs.update(A_ub=np.array(a_ub), b_ub=np.array(b_ub))
    intervals = {}
    for p, k in index.items():
        c = np.zeros(len(unknown))
        c[k] = 1
        low = linprog(c, **kwargs)
        high = linprog(-c, **kwargs)
        assert low.status == 0, "the published table contradicts itself"
        intervals[p] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return intervals


def safe(low, high, threshold):
    """The reader cannot tell the figure is small, nor place it closely: it may be 1, or
    the values left span at least the threshold (a hidden total of k hidden non-zero cells
    is known to be at least k)."""
    return high >= threshold + 1 - EPS and (low <= 1 + EPS or high - low >= threshold - EPS)


def findings(matrix, hidden, threshold=THRESHOLD, *, additive=True, rows_additive=None):
    """(pinned small cells, rows whose people all share one gender)."""
    intervals = attack(matrix, hidden, additive=additive, rows_additive=rows_additive)
    pinned = [p for p, (low, high) in intervals.items()
              if 1 <= matrix[p[0]][p[1]] <= threshold and not safe(low, high, threshold)]
    exposed = []
    for i, row in enumerate(matrix[:-1]):  # the totals row is the population described
        if row[-1] == 0:
            continue
        may_be_there = [j for j in range(len(row) - 1)
                        if ((i, j) in hidden and intervals[(i, j)][1] > EPS)
                        or ((i, j) not in hidden and row[j] > 0)]
        if len(may_be_there) <= 1:
            exposed.append(i)
    return pinned, exposed


def with_totals(cells):
    rows = [[*row, sum(row)] for row in cells]
    rows.append([sum(col) for col in zip(*rows, strict=True)])
    return rows


def test_the_attacker_pins_what_plain_subtraction_misses():
    # Every line has two hidden figures, so subtraction gets nowhere; but the column of the
    # 1 and the 2 adds up to 3 and neither hidden figure is 0: each is 1 or 2, never above 4.
    matrix = with_totals([[1, 9, 0], [2, 3, 9]])
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert attack(matrix, hidden)[(1, 0)] == (1, 2)
    pinned, _exposed = findings(matrix, hidden)
    assert sorted(pinned) == [(0, 0), (1, 0), (1, 1)]


def test_the_attacker_reads_a_one_gender_row():
    matrix = with_totals([[0, 0, 3, 0, 0, 0], [5, 6, 0, 7, 0, 8]])
    _pinned, exposed = findings(matrix, {(0, 2), (0, 6), (1, 0), (1, 6)})
    assert exposed == [0]


cells = st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 7, 12, 40])


@st.composite
def tables(draw):
    """Gender tables: many zeros, single non-zero rows, totals equal to one cell."""
    n = draw(st.integers(1, 7))
    shape = draw(st.sampled_from(["mixed", "sparse", "one-row", "one-cell"]))
    rows = []
    for _ in range(n):
        if shape == "sparse":
            row = [draw(st.sampled_from([0, 0, 0, 0, 1, 2, 6])) for _ in range(GENDER_COLUMNS)]
        elif shape == "one-cell":
            row = [0] * GENDER_COLUMNS
            row[draw(st.integers(0, GENDER_COLUMNS - 1))] = draw(cells)
        else:
            row = [draw(cells) for _ in range(GENDER_COLUMNS)]
        rows.append(row)
    if shape == "one-row":
        rows = rows[:1]
    rows = [r for r in rows if any(r)] or [[0] * GENDER_COLUMNS]
    return with_totals(rows)


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_random_tables_withstand_the_attacker(matrix):
    hidden = suppress(matrix, THRESHOLD)
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            if 1 <= v <= THRESHOLD:
                assert (i, j) in hidden
    assert findings(matrix, hidden) == ([], [])


@st.composite
def overlapping_tables(draw):
    """People in several rows: a column's total (distinct people) is at most its sum."""
    matrix = draw(tables())
    cols = len(matrix[0]) - 1
    for j in range(cols):
        column = [matrix[i][j] for i in range(len(matrix) - 1)]
        matrix[-1][j] = draw(st.integers(max(column), sum(column)))
    matrix[-1][-1] = sum(matrix[-1][:cols])
    return matrix


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(overlapping_tables())
def test_tables_of_people_in_several_rows_withstand_the_attacker(matrix):
    # Each person has one gender: the rows still add up, which the attacker uses.
    hidden = suppress(matrix, THRESHOLD, additive=False, rows_additive=True)
    assert findings(matrix, hidden, additive=False, rows_additive=True) == ([], [])
    hidden = suppress(matrix, THRESHOLD, additive=False)
    assert findings(matrix, hidden, additive=False) == ([], [])


# --- the demo's pages -------------------------------------------------------------------------

def demo_tables():
    """(page, table) for the public and organisers' pages of the demo, as they are served."""
    pages = []
    events = db.session.scalars(select(Event).order_by(Event.id)).all()
    for event in events:
        f = Filters(event_id=event.id)
        pages.append((f"event {event.id} public", services.dashboard(
            "event", f, ("subregion",), protected=True)))
        for by in ("country", "age_group", "sector"):
            pages.append((f"event {event.id} by {by}", services.dashboard(
                "event", f, (by,), protected=True)))
    for programme in db.session.scalars(select(Programme).order_by(Programme.id)).all():
        f = Filters(programme=programme.id)
        for by in ("activity", "age_group", "country", "year"):
            pages.append((f"programme {programme.id} by {by}", services.dashboard(
                "programme", f, (by,), protected=True)))
    for by in ("year", "age_group", "country", "kind"):
        pages.append((f"programme-wide by {by}", services.dashboard(
            "all", Filters(), (by,), protected=True)))
    # The public pages: the programme overview and each course edition's tables.
    pages.append(("public overview", publishing.overview()))
    for edition in db.session.scalars(select(Edition).order_by(Edition.id)).all():
        pages.append((f"edition {edition.id} public", publishing.edition_board(edition)))
    for name, board in pages:
        for table in board.tables:
            if not table.withheld:
                yield f"{name}: {table.key}", table


def additivity(matrix):
    """(columns add up, rows add up) in the true table: the attacker may assume what holds."""
    body = matrix[:-1]
    return (all(sum(r[j] for r in body) == matrix[-1][j] for j in range(len(matrix[0]))),
            all(sum(r[:-1]) == r[-1] for r in matrix))


def demo_report():
    """[(table name, cells pinned, cells hidden, rows exposed)] over the demo's pages."""
    report = []
    for name, table in demo_tables():
        columns, rows = additivity(table.matrix)
        pinned, exposed = findings(table.matrix, table.hidden, additive=columns,
                                   rows_additive=rows)
        report.append((name, len(pinned), len(table.hidden), len(exposed)))
    return report


def test_every_demo_table_withstands_the_attacker(demo):
    report = demo_report()
    assert len(report) > 50
    # Tables with merged rows (small countries within their sub-region, age bands) and the
    # public overview are among those attacked.
    merged = [name for name, table in demo_tables()
              if any(isinstance(k[0], str) and (k[0].startswith("other")
                                                or k[0] in ("under-35", "35-54", "55+"))
                     for k in table.rows)]
    assert any("by country" in name for name in merged)
    assert any("by age_group" in name for name in merged)
    assert any(name.startswith("public overview") for name, *_ in report)
    failing = [row for row in report if row[1] or row[3]]
    assert not failing, failing
