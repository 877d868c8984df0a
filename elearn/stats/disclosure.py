"""Disclosure control for published tables.

Primary suppression hides every cell (and total) from 1 to the threshold. Secondary
(complementary) suppression then makes sure no hidden value can be worked out from the totals.

A table with its totals is a set of equations: each row and each column, totals included,
says "the cells add up to the total". Seen as a graph (one node per row and per column, the
totals row and column included; one edge per hidden cell), the published figures fix the
value of a hidden cell exactly when its edge is a bridge, i.e. lies on no cycle. So:
1. wherever a line has exactly one hidden term, hide the next-smallest term of that line too
   (a non-zero cell first, a total last) — the classic rule, which leaves no node of degree 1;
2. if a bridge remains (two groups of hidden cells joined by one cell), hide the cheapest cell
   joining the two sides, which puts the bridge on a cycle; repeat 1-2 until stable.

Zero cells are published: an empty cell says no one is there, which is not about a person.
"""

import sys
from collections.abc import Iterable


def primary(matrix: list[list[int]], threshold: int) -> set[tuple[int, int]]:
    return {(i, j) for i, row in enumerate(matrix) for j, v in enumerate(row)
            if 1 <= v <= threshold}


def lines(rows: int, cols: int) -> Iterable[list[tuple[int, int]]]:
    """Every equation of a table whose last row and last column are the totals."""
    for i in range(rows):
        yield [(i, j) for j in range(cols)]
    for j in range(cols):
        yield [(i, j) for i in range(rows)]


def _bridges(hidden: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Hidden cells whose edge (row node i, column node j) lies on no cycle (Tarjan)."""
    adjacency: dict = {}
    for i, j in hidden:
        adjacency.setdefault(("r", i), []).append((("c", j), (i, j)))
        adjacency.setdefault(("c", j), []).append((("r", i), (i, j)))
    order: dict = {}
    low: dict = {}
    found = []

    def visit(node, via):
        order[node] = low[node] = len(order)
        for other, cell in adjacency[node]:
            if cell == via:
                continue
            if other in order:
                low[node] = min(low[node], order[other])
            else:
                visit(other, cell)
                low[node] = min(low[node], low[other])
                if low[other] > order[node]:
                    found.append(cell)

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * len(adjacency) + 100))
    try:
        for node in adjacency:
            if node not in order:
                visit(node, None)
    finally:
        sys.setrecursionlimit(limit)
    return found


def _side(hidden, start, cut) -> set:
    """Nodes reachable from `start` through hidden cells other than `cut`."""
    seen, todo = {start}, [start]
    while todo:
        kind, n = todo.pop()
        for i, j in hidden:
            if (i, j) == cut:
                continue
            other = ("c", j) if kind == "r" and i == n else ("r", i) if kind == "c" and j == n \
                else None
            if other is not None and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def suppress(matrix: list[list[int]], threshold: int) -> set[tuple[int, int]]:
    """Positions to hide in `matrix`, whose last row and column are totals."""
    hidden = primary(matrix, threshold)
    if not hidden:
        return hidden
    rows, cols = len(matrix), len(matrix[0])

    def cost(p: tuple[int, int]):
        i, j = p
        value = matrix[i][j]
        is_total = i == rows - 1 or j == cols - 1
        return (is_total, value == 0, value, i, j)

    while True:
        changed = True
        while changed:
            changed = False
            for line in lines(rows, cols):
                if sum(p in hidden for p in line) == 1:
                    hidden.add(min((p for p in line if p not in hidden), key=cost))
                    changed = True
        bridges = _bridges(hidden)
        if not bridges:
            return hidden
        i, j = bridges[0]
        a = _side(hidden, ("r", i), (i, j))
        b = _side(hidden, ("c", j), (i, j))
        joining = [(r, c) for r in range(rows) for c in range(cols)
                   if (r, c) not in hidden and (
                       (("r", r) in a and ("c", c) in b) or (("r", r) in b and ("c", c) in a))]
        hidden.add(min(joining, key=cost))
