"""Tables published side by side are attacked together (issue 12, point 3).

Everyone who attended was registered and everyone certified attended, so on one page the
reader knows attended <= registered and certified <= attended cell by cell. The attacker here
(scipy, written apart from elearn.stats.audit) solves one LP over the hidden figures of all
the tables with those inequalities, and must pin no small figure and read no row as one
gender.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from sqlalchemy import select

from elearn.events.models import Event
from elearn.extensions import db
from elearn.stats import services
from elearn.stats.disclosure import suppress, suppress_together
from elearn.stats.queries import Filters

from .test_attacker import EPS, GENDER_COLUMNS, THRESHOLD, additivity, safe, with_totals

# What the attacker assumes of the measures of one page: (smaller, larger).
NESTED = [("attended", "registered"), ("certified", "attended"), ("certified", "registered"),
          ("completed", "registered"), ("certified", "completed")]


def joint_attack(matrices, hidden, links, additivities):
    """{(t, i, j): (min, max)} for the hidden figures of several tables read together;
    `links` are ((t, i, j), (u, k, l)): the first figure is at most the second."""
    unknown = sorted((t, *p) for t, cells in enumerate(hidden) for p in cells)
    if not unknown:
        return {}
    index = {p: k for k, p in enumerate(unknown)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def term(p):
        vec = np.zeros(len(unknown))
        if p in index:
            vec[index[p]] = 1
            return vec, 0
        return vec, matrices[p[0]][p[1]][p[2]]

    for t, matrix in enumerate(matrices):
        rows, cols = len(matrix), len(matrix[0])
        columns_add, rows_add = additivities[t]
        lines = [([(t, i, j) for j in range(cols)], rows_add) for i in range(rows)]
        lines += [([(t, i, j) for i in range(rows)], columns_add) for j in range(cols)]
        for (*parts, total), exact in lines:
            vec, const = np.zeros(len(unknown)), 0
            for p in parts:
                v, c = term(p)
                vec, const = vec + v, const + c
            tv, tc = term(total)
            if exact:
                a_eq.append(vec - tv)
                b_eq.append(tc - const)
            else:
                a_ub.append(tv - vec)
                b_ub.append(const - tc)
                for p in parts:
                    v, c = term(p)
                    a_ub.append(v - tv)
                    b_ub.append(tc - c)
    for small, large in links:  # small - large <= 0
        vs, cs = term(small)
        vl, cl = term(large)
        if vs.any() or vl.any():
            a_ub.append(vs - vl)
            b_ub.append(cl - cs)
    bounds = [(1 if matrices[t][i][j] > 0 else 0, None) for t, i, j in unknown]
    kwargs = {"bounds": bounds, "method": "highs"}
    if a_eq:
        kwargs.update(A_eq=np.array(a_eq), b_eq=np.array(b_eq))
    if a_ub:
        kwargs.update(A_ub=np.array(a_ub), b_ub=np.array(b_ub))
    intervals = {}
    for p, k in index.items():
        c = np.zeros(len(unknown))
        c[k] = 1
        low, high = linprog(c, **kwargs), linprog(-c, **kwargs)
        assert low.status == 0, "the published tables contradict each other"
        intervals[p] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return intervals


def joint_findings(matrices, hidden, links, additivities, threshold=THRESHOLD):
    """(pinned small figures, one-gender rows) as (t, i, j) and (t, i)."""
    intervals = joint_attack(matrices, hidden, links, additivities)
    pinned = [p for p, (low, high) in intervals.items()
              if 1 <= matrices[p[0]][p[1]][p[2]] <= threshold
              and not safe(low, high, threshold)]
    exposed = []
    for t, matrix in enumerate(matrices):
        for i, row in enumerate(matrix[:-1]):
            if row[-1] == 0:
                continue
            there = [j for j in range(len(row) - 1)
                     if ((i, j) in hidden[t] and intervals[(t, i, j)][1] > EPS)
                     or ((i, j) not in hidden[t] and row[j] > 0)]
            if len(there) <= 1:
                exposed.append((t, i))
    return pinned, exposed


def cell_links(small, large, rows, cols):
    """Every figure of table `small` at most the same figure of table `large`."""
    return [((small, i, j), (large, i, j)) for i in range(rows) for j in range(cols)]


def test_the_joint_reader_pins_what_each_table_alone_hides():
    # One row of registered 1, 5, 6 and of attended 0, 3, 5: alone, registered's hidden 1
    # and 5 add up to 6 and the 1 may be anything from 1 to 5. Beside attended, whose 3 and
    # 5 are hidden but add up to 8 with the 5 at most registered's published 6, the 3 is at
    # least 2, so registered's 5 is at least 2 and its 1 at most 4: known to be small.
    registered, attended = with_totals([[1, 5, 6]]), with_totals([[0, 3, 5]])
    alone = [suppress(registered, THRESHOLD), suppress(attended, THRESHOLD)]
    links = cell_links(1, 0, 2, 4)
    pinned, _exposed = joint_findings([registered, attended], alone, links,
                                      [(True, True)] * 2)
    assert (0, 0, 0) in pinned
    together = suppress_together([(registered, True, True), (attended, True, True)],
                                 THRESHOLD, links)
    assert joint_findings([registered, attended], together, links,
                          [(True, True)] * 2) == ([], [])
    assert alone[0] <= together[0] and alone[1] <= together[1]


@st.composite
def nested_tables(draw):
    """registered by country x gender, attended <= registered, certified <= attended."""
    n = draw(st.integers(1, 5))
    values = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 7, 12, 30])
    registered = [[draw(values) for _ in range(GENDER_COLUMNS)] for _ in range(n)]
    attended = [[draw(st.integers(0, v)) for v in row] for row in registered]
    certified = [[draw(st.integers(0, v)) for v in row] for row in attended]
    return [with_totals(m) for m in (registered, attended, certified)]


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(nested_tables())
def test_random_nested_tables_withstand_the_joint_attacker(matrices):
    rows, cols = len(matrices[0]), len(matrices[0][0])
    links = cell_links(1, 0, rows, cols) + cell_links(2, 1, rows, cols) \
        + cell_links(2, 0, rows, cols)
    hidden = suppress_together([(m, True, True) for m in matrices], THRESHOLD, links)
    for t, matrix in enumerate(matrices):  # every small figure stays hidden
        assert all((i, j) in hidden[t] for i, row in enumerate(matrix)
                   for j, v in enumerate(row) if 1 <= v <= THRESHOLD)
    assert joint_findings(matrices, hidden, links, [(True, True)] * 3) == ([], [])


# --- the demo's pages -------------------------------------------------------------------------

def page_links(tables):
    """The attacker's inequalities between the tables of one page: same rows (by their
    values), same column, for the nested measures that hold in every figure."""
    links = []
    by_measure = {t.measure: n for n, t in enumerate(tables)}
    for small, large in NESTED:
        if small not in by_measure or large not in by_measure:
            continue
        s, g = tables[by_measure[small]], tables[by_measure[large]]
        if s.dims != g.dims:
            continue
        where = {key: k for k, key in enumerate(g.rows)}
        where["total"] = len(g.rows)
        pairs = [((i, j), (where.get(key, -1), j))
                 for i, key in enumerate([*s.rows, "total"]) for j in range(len(s.matrix[0]))]
        if any(s.matrix[i][j] > (g.matrix[k][j] if k != -1 else 0)
               for (i, j), (k, _j) in pairs):
            continue  # the rule does not hold in these figures: the reader cannot use it
        links += [((by_measure[small], *a), (by_measure[large], *b))
                  for a, b in pairs if b[0] != -1]
    return links


def demo_pages():
    events = db.session.scalars(select(Event).order_by(Event.id)).all()
    for event in events:
        for by in ("subregion", "country", "age_group", "sector"):
            yield f"event {event.id} by {by}", services.dashboard(
                "event", Filters(event_id=event.id), (by,), protected=True)
    for by in ("year", "age_group", "country", "kind"):
        yield f"programme-wide by {by}", services.dashboard(
            "all", Filters(), (by,), protected=True)


def joint_report(hidden_of=None):
    """[(page, figures pinned, figures hidden, rows exposed)] by the joint attacker;
    `hidden_of(table)` replaces the hidden cells served (e.g. each table audited alone)."""
    report = []
    for name, board in demo_pages():
        tables = [t for t in board.tables if t.protected and not t.withheld]
        links = page_links(tables)
        if not links:
            continue
        hidden = [hidden_of(t) if hidden_of else t.hidden for t in tables]
        pinned, exposed = joint_findings([t.matrix for t in tables], hidden, links,
                                         [additivity(t.matrix) for t in tables])
        report.append((name, len(pinned), sum(map(len, hidden)), len(exposed)))
    return report


def alone(table):
    columns, rows = additivity(table.matrix)
    return suppress(table.matrix, THRESHOLD, additive=columns, rows_additive=rows)


def test_every_demo_page_withstands_the_joint_attacker(demo):
    report = joint_report()
    assert len(report) > 20
    failing = [row for row in report if row[1] or row[3]]
    assert not failing, failing


def test_shares_of_women_by_programme_withstand_the_joint_attacker(demo):
    # The programme dashboard shows registered and certified by programme side by side.
    tables = [services.gender_table(m, ("programme",), Filters(), protected=True)
              for m in ("registered", "certified")]
    services.protect_together(tables)
    tables = [t for t in tables if not t.withheld]
    links = page_links(tables)
    assert links
    pinned, exposed = joint_findings([t.matrix for t in tables], [t.hidden for t in tables],
                                     links, [additivity(t.matrix) for t in tables])
    assert (pinned, exposed) == ([], [])
