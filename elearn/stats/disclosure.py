"""Disclosure control for published tables, audited the way an informed reader attacks them.

Primary suppression hides every cell and total from 1 to the threshold. The reader knows that
rule, that a published zero is zero and that hidden figures are at least 0 (the audit even
grants them to know which hidden figures are not zero, hence at least 1), and solves the
table's lines as linear programs (stats/audit.py). A table is safe when:
- every small figure's interval reaches above the threshold, and down to 1 or over a span
  of at least the threshold (see protected_enough): the reader cannot tell a person alone
  from a group larger than the threshold;
- no row can be read as "everyone here has the same gender": some second gender column of
  the row could hold someone.
Until the audit passes, complementary suppression adds the cheapest rectangle of cells (small
non-zero cells first, totals last, the grand total only when no single figure will do) that
lets the failing cell move, and audits again. Results are cached by matrix, in the process
and, for every worker and over restarts, in the database or Redis (audit_cache.py).

Tables published side by side over the same rows (registered, attended, certified of one
event by country) are audited once more as one system, `suppress_together`: the reader adds
that a figure of one is at most the same figure of another (attended <= registered), so
what each table hides must hold against their differences too.

Before suppressing, `merge_countries` and `merge_age_groups` fold small categories into wider
ones, the way statistical offices do, so that tables stay readable instead of a sea of "x".
"""

from collections.abc import Callable, Mapping
from functools import lru_cache

from . import audit_cache
from .audit import EPS, JointReader, Seen, first_unprotected, lines, solve

__all__ = ["lines", "member_state_subregions", "merge_age_groups", "merge_countries",
           "primary", "protected_enough", "suppress", "suppress_together"]


def primary(matrix: list[list[int]], threshold: int) -> set[tuple[int, int]]:
    return {(i, j) for i, row in enumerate(matrix) for j, v in enumerate(row)
            if 1 <= v <= threshold}


def suppress(matrix: list[list[int]], threshold: int, additive: bool = True, *,
             rows_additive: bool | None = None, keep=()) -> set[tuple[int, int]]:
    """Positions to hide in `matrix`, whose last row and column are totals. `additive`: each
    person is in exactly one row and one column, so lines add up exactly; otherwise totals
    count people and a line's cells add up to at least its total. `rows_additive`, when
    given, says it of the rows alone (every person has one gender: a row's cells add up to
    its total even when a person is in several rows) and `additive` of the columns.
    `keep`: the figures a page's headline quotes (people reached, women among them), hidden
    only when nothing else will do, like the grand total; the audit is the same."""
    if threshold < 1:  # disclosure control switched off (STATS_SUPPRESSION_THRESHOLD=0)
        return set()
    key = (tuple(map(tuple, matrix)), threshold, (additive, rows_additive),
           frozenset(map(tuple, keep)))
    return set(_suppress(key))


@lru_cache(maxsize=512)
def _suppress(key) -> frozenset:
    stored_as = audit_cache.key_of("suppress", key)
    stored = _cells_of(audit_cache.lookup(stored_as), key[0])
    if stored is not None:
        return stored
    hidden = _search(key)
    audit_cache.store(stored_as, sorted(hidden))
    return hidden


def _cells_of(stored, matrix) -> frozenset | None:
    """A stored result read back as cells of `matrix`, or None when it is not one."""
    if not isinstance(stored, list):
        return None
    cells = frozenset(tuple(p) for p in stored if isinstance(p, list) and len(p) == 2)
    if len(cells) != len(stored) or not all(
            isinstance(i, int) and isinstance(j, int) and 0 <= i < len(matrix)
            and 0 <= j < len(matrix[i]) for i, j in cells):
        return None
    return cells


def _search(key) -> frozenset:
    """Primary and complementary suppression of one table, audited (see suppress)."""
    matrix, threshold, additive, keep = [list(r) for r in key[0]], key[1], key[2], key[3]
    hidden = primary(matrix, threshold)
    if not hidden and not _one_gender_rows(matrix, hidden, set()):
        return frozenset()
    everything = set(_cells(matrix))
    # One program for the whole search: each audit only hides more of it.
    reader = JointReader([(matrix, hidden, additive[0], additive[1])])
    seen = Seen(len(reader.figures))  # the values the reader was shown each figure reach
    small = sorted(hidden)  # the primary cells, checked in this order by every audit
    costs = _Costs(matrix, keep)
    while True:
        failure = _audit(matrix, hidden, threshold, seen, reader, small)
        if failure is None:
            return frozenset(hidden)
        more = _complement(matrix, hidden, threshold, *failure, keep=keep, costs=costs) \
            - hidden
        headline = {(len(matrix) - 1, len(matrix[0]) - 1)} | keep
        if more & headline:  # the headline figures: first look for one figure instead
            more = _instead_of_grand_total(matrix, hidden, threshold, seen, failure,
                                           headline, reader, small) or more
        if not more:  # nothing left to add: publish nothing of this table
            return frozenset(everything)
        hidden |= more


def _instead_of_grand_total(matrix, hidden, threshold, seen, failure, headline, reader,
                            small, tries: int = 30) -> set:
    """One cheaper figure whose hiding also ends `failure` (through a longer cycle than
    the rectangles of _complement), or an empty set."""
    candidates = sorted((p for p in _cells(matrix) if p not in hidden and p not in headline),
                        key=lambda p: _cost(matrix, {p}))
    for cell in candidates[:tries]:
        trial = seen.copy()
        if _audit(matrix, hidden | {cell}, threshold, trial, reader, small) != failure:
            seen.take(trial)  # what the trial showed holds with more hidden too
            return {cell}
    return set()


def _cells(matrix):
    return [(i, j) for i, row in enumerate(matrix) for j, _v in enumerate(row)]


def protected_enough(low: float, high: float, threshold: int) -> bool:
    """The protection range of a small figure: the reader must not be able to tell it is
    small (it may be above the threshold), nor place it closely: it may be 1 (or 0), or else
    the values left span at least the threshold. The second clause is for totals of several
    hidden non-zero cells, which the reader knows are at least as many as those cells.
    (audit.Seen.protected says the same of many figures at once.)"""
    return high >= threshold + 1 - EPS and (low <= 1 + EPS or high - low >= threshold - EPS)


def _audit(matrix, hidden, threshold, seen, reader, small):
    """The first disclosure the reader finds: ("pinned", cell), ("row", i) or None. `seen`
    keeps the extremes earlier solutions reached, which stay reachable as `hidden` grows;
    `reader` the table's program, to hide `hidden` in; `small` its primary cells, sorted."""
    reader.hide([hidden])
    found = first_unprotected(seen, reader, [(0, *c) for c in small], threshold)
    if found is not None:
        return "pinned", small[found[0]]

    def holding():
        return {c for c in hidden if seen.may_hold(reader.column[(0, *c)])}

    for i in _one_gender_rows(matrix, hidden, holding()):
        for cell in [(i, j) for j in range(len(matrix[0]) - 1) if (i, j) in hidden]:
            if not seen.may_hold(reader.column[(0, *cell)]):
                solve(seen, reader, (0, *cell), True)
        if i in _one_gender_rows(matrix, hidden, holding()):
            return "row", i
    return None


def _one_gender_rows(matrix, hidden, may_hold) -> list[int]:
    """Rows with people whose gender columns, as far as shown so far, hold someone in at most
    one column (published non-zero, or hidden and shown able to hold someone). The totals
    row is the whole population the table describes, not a group within it."""
    cols = len(matrix[0]) - 1
    found = []
    for i, row in enumerate(matrix[:-1]):
        if row[-1] == 0:
            continue
        holding = [j for j in range(cols) if ((i, j) not in hidden and row[j] > 0)
                   or ((i, j) in hidden and (i, j) in may_hold)]
        if len(holding) <= 1:
            found.append(i)
    return found


def _complement(matrix, hidden, threshold, kind, where, keep=frozenset(), costs=None) -> set:
    """The cheapest rectangle of cells whose hiding lets the failing cell move: around a
    pinned small cell by up to threshold + 1 and down to 1; in a one-gender row, a zero
    column of the row up by 1."""
    rows, cols = len(matrix), len(matrix[0])
    if kind == "pinned":
        value = matrix[where[0]][where[1]]
        # Up past the threshold and down to 1; failing that, up past the threshold only.
        anchors = [(where, threshold + 1 - value, value - 1), (where, threshold + 1 - value, 0)]
    else:
        anchors = [((where, k), 1, 0) for k in range(cols - 1)
                   if matrix[where][k] == 0 and (where, k) not in hidden]
    best = None
    costs = costs or _Costs(matrix, keep)
    room = costs.room
    for rank, ((i, j), up, down) in enumerate(anchors):
        # Two figures of a line move together when one of them is its total; a corner
        # moving against the anchor must have room to go down (to 1). The corners in the
        # anchor's row and column are checked once here, the far corner in the loop.
        columns = [(k, (j == cols - 1) != (k == cols - 1)) for k in range(cols) if k != j]
        columns = [(k, along) for k, along in columns
                   if room[i][k] >= (down if along else up)]
        lines_ = [(m, (i == rows - 1) != (m == rows - 1)) for m in range(rows) if m != i]
        lines_ = [(m, along) for m, along in lines_ if room[m][j] >= (down if along else up)]
        for k, along_row in columns:
            for m, along_column in lines_:
                if room[m][k] < (down if along_row == along_column else up):
                    continue
                corners = [((i, k), along_row), ((m, j), along_column),
                           ((m, k), along_row == along_column)]
                new = {p for p, _same in corners if p not in hidden} | (
                    {(i, j)} - hidden)
                if not new:
                    continue
                # A rectangle through a headline figure only when no other will do.
                cost = (bool(new & keep), kind == "pinned" and rank, costs.of(new))
                if best is None or cost < best[0]:
                    best = (cost, new)
    if best is not None:
        return best[1]
    # No rectangle has room: hide the cheapest figure of the failing line (never happens
    # while some line of the table can still give; it keeps the loop finite).
    i = where[0] if kind == "pinned" else where
    left = [(i, j) for j in range(cols) if (i, j) not in hidden] or \
        [(r, c) for r in range(rows) for c in range(cols) if (r, c) not in hidden]
    return {min(left, key=lambda p: _cost(matrix, {p}, keep))}


class _Costs:
    """_cost and _room of every figure of one table, worked out once for its search: the
    cost of a set of cells is the sum of its cells' costs (a search prices tens of
    thousands of rectangles)."""

    def __init__(self, matrix, keep=frozenset()):
        self.room = [[_room(v) for v in row] for row in matrix]
        self.each = {p: _cost(matrix, {p}, keep) for p in _cells(matrix)}

    def of(self, cells) -> tuple:
        totals = people = 0
        for p in cells:
            one = self.each[p]
            totals += one[0]
            people += one[1]
        return (totals, people, len(cells))


def _room(value: int) -> int:
    """How far a hidden figure can go down in the reader's eyes: to 1 unless it is 0."""
    return max(value - 1, 0)


def _cost(matrix, cells, keep=frozenset()) -> tuple:
    """Totals last, the grand total (the table's headline) and the figures a headline
    quotes (`keep`) after any other; then the people hidden; zeros count as one (a hidden
    zero costs a cell)."""
    rows, cols = len(matrix), len(matrix[0])
    totals = sum(i == rows - 1 or j == cols - 1 for i, j in cells) \
        + 3 * ((rows - 1, cols - 1) in cells) + 3 * len(set(cells) & keep)
    return (totals, sum(max(matrix[i][j], 1) for i, j in cells), len(cells))


# --- tables published together -------------------------------------------------------------

def suppress_together(tables: list[tuple], threshold: int, links=(), keep=()) -> list[set]:
    """Hidden positions of each of several tables published side by side, audited as one
    system: `tables` are (matrix, additive, rows_additive), `links` pairs ((t, i, j),
    (u, k, l)) saying the first figure is at most the second (attended <= registered).
    Each table is first protected alone; then complementary suppression goes on, in the
    table whose figure the joint reader pins, until the joint audit passes. Results are
    cached like single tables': a page shown again solves no linear program. `keep`: for
    each table, the figures a headline quotes (see suppress), or nothing."""
    keep = [frozenset(map(tuple, k)) for k in keep] or [frozenset()] * len(tables)
    key = (tuple((tuple(map(tuple, m)), a, r) for m, a, r in tables), threshold,
           tuple(tuple(map(tuple, link)) for link in links), tuple(keep))
    return [set(cells) for cells in _suppress_together(key)]


@lru_cache(maxsize=256)
def _suppress_together(key) -> tuple[frozenset, ...]:
    stored_as = audit_cache.key_of("suppress_together", key)
    stored = audit_cache.lookup(stored_as)
    if isinstance(stored, list) and len(stored) == len(key[0]):
        cells = [_cells_of(s, m) for s, (m, _a, _r) in zip(stored, key[0], strict=True)]
        if all(c is not None for c in cells):
            return tuple(cells)
    hidden = _search_together(key)
    audit_cache.store(stored_as, [sorted(cells) for cells in hidden])
    return hidden


def _search_together(key) -> tuple[frozenset, ...]:
    tables = [([list(r) for r in m], a, r) for m, a, r in key[0]]
    threshold, links, keep = key[1], key[2], key[3]
    hidden = [suppress(m, threshold, a, rows_additive=r, keep=k)
              for (m, a, r), k in zip(tables, keep, strict=True)]
    if threshold < 1 or not links:
        return tuple(map(frozenset, hidden))
    reader = JointReader([(m, hidden[t], a, r) for t, (m, a, r) in enumerate(tables)], links)
    seen = Seen(len(reader.figures))
    small = [(t, *p) for t, (m, _a, _r) in enumerate(tables) for p in sorted(primary(m, threshold))]
    costs = [_Costs(m, k) for (m, _a, _r), k in zip(tables, keep, strict=True)]
    while True:
        failure = _joint_audit(tables, hidden, threshold, seen, reader, small)
        if failure is None:
            return tuple(map(frozenset, hidden))
        kind, (t, *where) = failure
        where = tuple(where) if kind == "pinned" else where[0]
        matrix = tables[t][0]
        more = _complement(matrix, hidden[t], threshold, kind, where, keep[t],
                           costs[t]) - hidden[t]
        if more & keep[t]:  # a headline figure: first look for one figure instead
            instead = _instead_of_headline_together(tables, hidden, threshold, seen,
                                                    failure, keep, reader, small)
            if instead is not None:
                u, cell = instead
                hidden[u].add(cell)
                continue
        if more:
            hidden[t] |= more
            continue
        # Table t is all hidden: what pins it is a published figure of a linked table.
        added = False
        for a, b in links:
            for mine, other in ((a, b), (b, a)):
                if mine[0] == t and other[1:] not in hidden[other[0]]:
                    hidden[other[0]].add(other[1:])
                    added = True
        if not added:  # nothing left to hide (cannot happen: everything would be hidden)
            return tuple(map(frozenset, hidden))


def _instead_of_headline_together(tables, hidden, threshold, seen, failure, keep, reader,
                                  small) -> tuple | None:
    """As _instead_of_grand_total, for tables audited together: one cheaper figure, in any
    of the tables, whose hiding ends `failure`, as (table, cell), or None. The links
    between tables can pin a small figure that its own table protects; the rectangles of
    _complement then run through the headline (the overview's year table, whose totals
    row another table's totals row repeats), while a single figure elsewhere will do."""
    candidates = sorted(
        ((u, p) for u, (m, _a, _r) in enumerate(tables) for p in _cells(m)
         if p not in hidden[u] and p not in keep[u] and p != (len(m) - 1, len(m[0]) - 1)),
        key=lambda up: _cost(tables[up[0]][0], {up[1]}))
    for u, cell in candidates:  # all of them: this runs only for a headline's tables
        trial = seen.copy()
        trying = [h | {cell} if n == u else h for n, h in enumerate(hidden)]
        if _joint_audit(tables, trying, threshold, trial, reader, small) != failure:
            seen.take(trial)  # what the trial showed holds with more hidden too
            return u, cell
    reader.hide(hidden)
    return None


def _joint_audit(tables, hidden, threshold, seen, reader, small):
    """The first disclosure the joint reader finds: ("pinned", (t, i, j)), ("row", (t, i))
    or None; `seen` as in _audit; `reader` the tables' program, to hide `hidden` in;
    `small` the primary cells (t, i, j) of every table, in order."""
    reader.hide(hidden)
    found = first_unprotected(seen, reader, small, threshold)
    if found is not None:
        return "pinned", found[1]
    for t, (matrix, _a, _r) in enumerate(tables):
        def holding(t=t):
            return {c for c in hidden[t] if seen.may_hold(reader.column[(t, *c)])}

        for i in _one_gender_rows(matrix, hidden[t], holding()):
            for j in range(len(matrix[0]) - 1):
                if (i, j) in hidden[t] and (i, j) not in holding():
                    solve(seen, reader, (t, i, j), True)
            if i in _one_gender_rows(matrix, hidden[t], holding()):
                return "row", (t, i)
    return None


# --- merging small categories ------------------------------------------------------------------

OTHER_MEMBER_STATES = "other"
# Age groups folded into wider bands when one of a band's groups is small.
AGE_BANDS = {"under-25": "under-35", "25-34": "under-35", "35-44": "35-54",
             "45-54": "35-54", "55-64": "55+", "65+": "55+", "unknown": "unknown"}


def _add(into: dict, key, counts):
    into[key] = [a + b for a, b in zip(into.get(key, [0] * len(counts)), counts, strict=True)]


def country_merge_map(sizes: Mapping[str | None, int],
                      subregion_of: Callable[[str], str | None], minimum: int) -> dict:
    """{country: the row it is shown in} for the countries that move (see merge_countries),
    from the people of each country row. The one decision both merge_countries and the
    pages (services.merged) apply, so linked tables get the same rows."""
    moved: dict = {}
    subregion_sizes: dict = {}
    for code, size in sizes.items():
        if not code or size >= minimum:
            continue
        region = subregion_of(code)
        if region is None:
            moved[code] = OTHER_MEMBER_STATES
        else:
            moved[code] = f"{OTHER_MEMBER_STATES}:{region}"
            subregion_sizes[moved[code]] = subregion_sizes.get(moved[code], 0) + size
    small_regions = {key for key, size in subregion_sizes.items() if size < minimum}
    return {code: OTHER_MEMBER_STATES if key in small_regions else key
            for code, key in moved.items()}


def merge_countries(rows: Mapping[str | None, list[int]],
                    subregion_of: Callable[[str], str | None], minimum: int) \
        -> dict[str | None, list[int]]:
    """Country rows of people counts (each person in one country; cells without the total),
    folded the way statistical offices do: a member state with fewer than `minimum` people
    goes into "other:<its sub-region>"; such a sub-region row still below `minimum`, and
    small countries that are not member states, go into "other" (other countries). The
    row of people who did not say (None) stays apart, as its own category."""
    moved = country_merge_map({code: sum(counts) for code, counts in rows.items()},
                              subregion_of, minimum)
    kept: dict = {}
    for code, counts in rows.items():
        _add(kept, moved.get(code, code), counts)
    return kept


def member_state_subregions() -> dict[str, str]:
    """Country code -> sub-region of the member states (their data list, editable)."""
    from elearn.accounts.models import MemberState
    from elearn.extensions import db

    return {m.country_code: str(m.subregion) for m in db.session.query(MemberState)}


def age_band_map(sizes: Mapping[str, int], minimum: int) -> dict[str, str]:
    """{age group: its wider band} for the groups of every band one of whose groups has
    fewer than `minimum` people (groups with nobody do not count: an empty group is no one
    to protect)."""
    small_bands = {AGE_BANDS.get(g, g) for g, size in sizes.items() if 0 < size < minimum}
    return {g: AGE_BANDS[g] for g in AGE_BANDS
            if AGE_BANDS[g] in small_bands and AGE_BANDS[g] != g}


def merge_age_groups(rows: Mapping[str, list[int]], minimum: int) -> dict[str, list[int]]:
    """Age-group rows folded into the wider bands of AGE_BANDS when any group of a band has
    fewer than `minimum` people; bands whose groups are all large stay as they are."""
    small_bands = {AGE_BANDS.get(g, g) for g, counts in rows.items() if sum(counts) < minimum}
    merged: dict[str, list[int]] = {}
    for group, counts in rows.items():
        band = AGE_BANDS.get(group, group)
        _add(merged, band if band in small_bands else group, counts)
    return merged
