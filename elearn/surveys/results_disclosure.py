"""Disclosure control of survey results: the statistics' own rules (elearn.stats.disclosure),
applied to tables of answers by group.

A breakdown table has one row per group of people (women, men...; a country; a sub-region; a
mode) and one column per answer (an option, yes/no, a point of the scale), with the row
totals (people of the group who answered the question) and the totals row (everyone): the
shape the statistics' audit reads, so its one-gender-row rule here means "nobody can read
that everyone in a group gave the same answer".

- Groups of fewer than the merge minimum (stats.merging.minimum: the minimum group size, 10
  by default) are not shown on their own: countries fold into "<sub-region>: other member
  states" and "Other countries" (the statistics' country_merge_map), any other small group
  into "Other groups"; if that is still small it is shown together with the people who did
  not say; if some group is still small the breakdown is not shown at all.
- Small cells are hidden by stats.disclosure.suppress (primary and complementary
  suppression, audited as linear programs).
- The overall results of a question are the totals row of these tables: every cell of it
  that any published breakdown hides is hidden in the overall results too (hiding more only
  widens what a reader can work out, so each table's audit still holds).
- A mean and a median add an equation a reader could solve with the totals row: they are
  shown only when, with them, no hidden small figure of the row can be pinned (an exact
  enumeration of the values left).
"""

import math
from collections.abc import Callable
from itertools import combinations

from elearn.stats import merging
from elearn.stats.disclosure import country_merge_map, protected_enough, suppress
from elearn.stats.services import additivity, settings

NOT_STATED = "not_stated"  # people who did not share this (no consent, or no answer)
OTHER = "other"  # equal to stats.disclosure.OTHER_MEMBER_STATES: one name for countries too
OTHER_OR_NOT_STATED = "other_or_not_stated"
# Beyond this many ways to fill a row's hidden figures, a mean is not shown (never met in
# practice: hidden figures are few and small).
MAX_FILLINGS = 200_000


def thresholds() -> tuple[int, int, int]:
    """(cell threshold, minimum group for a whole table, minimum for a group shown alone)."""
    threshold, min_group = settings()
    return threshold, min_group, merging.minimum(threshold, min_group)


def fold(dimension: str, sizes: dict[str, int], least: int,
         subregion_of: Callable[[str], str | None]) -> dict[str, str] | None:
    """{group: the column it is shown in} for the groups of one dimension (NOT_STATED for
    people who did not say), or None when the breakdown cannot be shown: some group is still
    smaller than `least` after folding, or fewer than two groups are left."""
    target = {g: g for g in sizes}
    if dimension == "country":
        countries = {g: n for g, n in sizes.items() if g != NOT_STATED}
        target.update(country_merge_map(countries, subregion_of, least))

    def merged() -> dict[str, int]:
        found: dict[str, int] = {}
        for group, size in sizes.items():
            found[target[group]] = found.get(target[group], 0) + size
        return found

    for column, size in merged().items():
        if size < least and column not in (NOT_STATED, OTHER):
            target.update({g: OTHER for g, t in target.items() if t == column})
    columns = merged()
    if any(0 < columns.get(c, 0) < least for c in (OTHER, NOT_STATED)):
        target.update({g: OTHER_OR_NOT_STATED for g, t in target.items()
                       if t in (OTHER, NOT_STATED)})
    columns = {c: n for c, n in merged().items() if n}
    if len(columns) < 2 or any(n < least for n in columns.values()):
        return None
    return target


def matrix_of(groups: list[str], values: list[str], cells: dict, row_totals: dict) -> list:
    """Rows = groups, columns = answer values, with row totals and the totals row; `cells`
    {(group, value): people}, `row_totals` {group: people who answered}. Groups are disjoint,
    so the totals row is their sum."""
    rows = [[cells.get((g, v), 0) for v in values] + [row_totals.get(g, 0)] for g in groups]
    rows.append([sum(col) for col in zip(*rows, strict=True)] if rows
                else [0] * (len(values) + 1))
    return rows


def protect(matrix: list[list[int]]) -> set[tuple[int, int]]:
    """The cells to hide, by the statistics' suppression (cached by matrix)."""
    threshold, _min_group, _least = thresholds()
    additive, rows_additive = additivity(matrix)
    return suppress(matrix, threshold, additive=additive, rows_additive=rows_additive)


def median(distribution: list[tuple[float, int]]) -> float | None:
    """Median of a distribution [(value, people)] sorted by value."""
    n = sum(c for _v, c in distribution)
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]
    found, seen = [], 0
    for value, count in distribution:
        for position in wanted:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    return sum(found) / 2


def mean(distribution: list[tuple[float, int]]) -> float | None:
    n = sum(c for _v, c in distribution)
    return sum(v * c for v, c in distribution) / n if n else None


def summary_safe(values: list[float], counts: list[int], hidden: set[int], shown_mean: float,
                 shown_median: float | None, decimals: int = 1) -> bool:
    """May a mean (rounded to `decimals`) and a median be shown beside a row whose figures
    at positions `hidden` are hidden and whose total is published? Every way of filling the
    hidden figures (at least 1 where not zero, as the statistics' reader is granted) that
    adds up to the total and gives the same mean and median is tried: each small hidden
    figure must keep a range the statistics accept (protected_enough)."""
    threshold, _min_group, _least = thresholds()
    hidden = sorted(hidden)
    if not hidden:
        return True
    rest = sum(counts[j] for j in hidden)
    lows = [1 if counts[j] > 0 else 0 for j in hidden]
    free = rest - sum(lows)
    k = len(hidden)
    if math.comb(free + k - 1, k - 1) > MAX_FILLINGS:
        return False
    seen = {j: [math.inf, -math.inf] for j in hidden}
    for filling in _compositions(free, k):
        trial = list(counts)
        for j, low, extra in zip(hidden, lows, filling, strict=True):
            trial[j] = low + extra
        distribution = list(zip(values, trial, strict=True))
        if round(mean(distribution), decimals) != round(shown_mean, decimals):
            continue
        if median(distribution) != shown_median:
            continue
        for j in hidden:
            seen[j][0] = min(seen[j][0], trial[j])
            seen[j][1] = max(seen[j][1], trial[j])
    return all(protected_enough(*seen[j], threshold) for j in hidden
               if 1 <= counts[j] <= threshold)


def _compositions(total: int, parts: int):
    """Every way of writing `total` as `parts` non-negative integers (stars and bars)."""
    if parts == 1:
        yield (total,)
        return
    for bars in combinations(range(total + parts - 1), parts - 1):
        previous, found = -1, []
        for bar in bars:
            found.append(bar - previous - 1)
            previous = bar
        found.append(total + parts - 1 - previous - 1)
        yield tuple(found)
