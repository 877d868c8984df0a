"""The audit's cells stay what they were when its program changed (one HiGHS model per search
with bounds changed, instead of a model built anew each round; extremes kept as arrays): on
seeded random gender tables, additive or not, with a headline figure or not, and on linked
tables audited together, the cells hidden are exactly those the audit hid before (their
SHA-256 below, computed with the previous audit, commit c18caf4). Any change of the cells
hidden must be a decision, not a side effect of making the audit faster."""

import hashlib
import json
import random

from elearn.stats import disclosure

SINGLE = "786400caff98500bd5748b1660faa6b0ca3e8724458bbde975a07c2ee9e06b5e"
JOINT = "53869f8ccd972b30e2b94e430de5e4e2aed857137cd52b9c0dfbb6ade61dd89c"
THRESHOLD = 4


def _gender_table(rng, rows, cols=6, small=0.35, zero=0.25, additive=True):
    """Rows of gender columns and a total; the last row the columns' totals (people, at
    least the largest cell and up to a fifth fewer than the sum, when not additive)."""
    body = []
    for _ in range(rows):
        row = []
        for _ in range(cols):
            r = rng.random()
            row.append(0 if r < zero
                       else rng.randint(1, 4) if r < zero + small else rng.randint(5, 60))
        body.append(row)
    matrix = [[*r, sum(r)] for r in body]
    col = [sum(r[j] for r in matrix) for j in range(cols + 1)]
    if not additive:
        col = [max(max(r[j] for r in matrix), c - rng.randint(0, c // 5))
               for j, c in enumerate(col)]
        col[-1] = sum(col[:-1])
    matrix.append(col)
    return matrix


def _cases():
    rng = random.Random(2026)
    found = []
    for n in range(24):
        rows = rng.choice([3, 5, 8, 12, 20, 30])
        additive = n % 3 != 2
        m = _gender_table(rng, rows, additive=additive)
        keep = [(len(m) - 1, 0)] if n % 4 == 1 else []
        found.append((m, (True, None) if additive else (False, True), keep))
    return found


def _joint_cases():
    """Registered and attended by the same rows: attended <= registered, cell by cell."""
    rng = random.Random(17)
    found = []
    for _ in range(4):
        rows = rng.choice([4, 8, 12])
        registered = _gender_table(rng, rows)
        attended = [[max(0, v - rng.randint(0, 3)) for v in r[:-1]] for r in registered[:-1]]
        attended = [[*r, sum(r)] for r in attended]
        attended.append([sum(r[j] for r in attended) for j in range(len(attended[0]))])
        links = [((1, i, j), (0, i, j)) for i in range(len(attended))
                 for j in range(len(attended[0]))]
        found.append(([(registered, True, None), (attended, True, None)], links))
    return found


def _digest(results) -> str:
    plain = [sorted(map(list, r)) if isinstance(r, (set, frozenset))
             else [sorted(map(list, c)) for c in r] for r in results]
    return hashlib.sha256(json.dumps(plain).encode()).hexdigest()


def _fresh():
    disclosure._suppress.cache_clear()
    disclosure._suppress_together.cache_clear()


def test_single_tables_hide_the_same_cells_as_before(app):
    with app.app_context():
        app.config["DISCLOSURE_CACHE"] = False  # computed here, not read back
        _fresh()
        found = [disclosure.suppress(m, THRESHOLD, a[0], rows_additive=a[1], keep=k)
                 for m, a, k in _cases()]
    assert _digest(found) == SINGLE


def test_linked_tables_hide_the_same_cells_as_before(app):
    with app.app_context():
        app.config["DISCLOSURE_CACHE"] = False
        _fresh()
        found = [disclosure.suppress_together(tables, THRESHOLD, links)
                 for tables, links in _joint_cases()]
    assert _digest(found) == JOINT
