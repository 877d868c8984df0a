"""The informed reader's view of a published table, as linear programs (HiGHS).

The reader knows the rules: a published zero is zero, a hidden figure is at least 0 (at least
1 when it is not zero: we grant the reader that, since zeros are published but for the few
hidden to keep a row from reading as one gender), and each
row and column of cells adds up to its total (the last figure of the line). When one person may
fall in several rows, totals count people, so a line only says "the cells add up to at least
the total, and none is above it". For a hidden cell, minimising and maximising it under those
constraints gives every value the reader cannot rule out.

Hiding one more figure drops the constraint that it equals its value, so the reader's intervals
only widen: a cell once shown to reach a value keeps reaching it, which lets the caller audit a
growing set of hidden cells without checking settled cells again.
"""

# highspy and numpy (26 MB) are imported by the methods that build and solve the programs, not
# here: a web worker loads them only when a page has a table whose small figures need auditing.

INF = float("inf")  # highspy.kHighsInf
EPS = 1e-6


def lines(rows: int, cols: int):
    """Every line of a table whose last row and last column are the totals: its cells, then
    its total."""
    for i in range(rows):
        yield [(i, j) for j in range(cols)]
    for j in range(cols):
        yield [(i, j) for i in range(rows)]


class JointReader:
    """The LP of several tables read together, each with its hidden cells, keyed
    (table, row, column), and the links between them: (a, b) says figure a is at most
    figure b (everyone attended was registered, so attended <= registered cell by cell).

    One program for the whole search, over every figure: a published figure is a variable
    fixed to its value, a hidden one free from 0 (1 when it is not zero) upwards, and `hide`
    only changes those bounds. HiGHS keeps its basis across the changes, so each of the
    hundreds of audits of a large table's complementary suppression starts from the last
    solution instead of from scratch (a program built anew each round spent most of its time
    in building and in the first solve)."""

    def __init__(self, tables: list[tuple], links=()):
        """`tables`: (matrix, hidden cells (row, column), additive, rows_additive) each."""
        import highspy
        import numpy as np

        self.matrices = [t[0] for t in tables]
        self.figures = [(t, i, j) for t, m in enumerate(self.matrices)
                        for i in range(len(m)) for j in range(len(m[0]))]
        self.column = {p: k for k, p in enumerate(self.figures)}
        self.values = np.array([float(self.matrices[t][i][j]) for t, i, j in self.figures])
        self._lower, self._upper, self._rows, self._index, self._coeffs = [], [], [], [], []
        for t, (matrix, _hidden, additive, rows_additive) in enumerate(tables):
            self._table(t, matrix, additive, rows_additive)
        for small, large in links:
            self._add({self.column[small]: 1.0, self.column[large]: -1.0}, -INF, 0.0)
        n = len(self.figures)
        self.h = highspy.Highs()
        self.h.silent()
        # Primal simplex: between two solves only the objective changes (or a few bounds),
        # so the last basis stays feasible and a few primal steps reach the new optimum
        # (half the time of HiGHS's default choice on the report's largest table). No
        # presolve: it would be undone at every change of the program.
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.setOptionValue("presolve", "off")
        self.h.addVars(n, self.values, self.values)  # every figure published, to begin with
        rows = np.array(self._rows, dtype=np.int64)
        starts = np.searchsorted(rows, np.arange(len(self._lower))).astype(np.int32)
        self.h.addRows(len(self._lower), np.array(self._lower), np.array(self._upper),
                       len(self._index), starts, np.array(self._index, dtype=np.int32),
                       np.array(self._coeffs, dtype=float))
        self._bounds = (self.values.copy(), self.values.copy())
        self._objective = None  # the figure whose cost is not zero
        self._hide([t[1] for t in tables])

    def hide(self, hidden: list) -> None:
        """Hide exactly `hidden[t]` of each table t, publish the rest."""
        self._hide(hidden)

    def _hide(self, hidden: list) -> None:
        """Exactly these cells of each table hidden: a hidden figure is at least 0, at least
        1 when it is not zero (the reader knows zeros are published unless a row must not
        read as one gender, so give them that much); `hidden_index`, the figures' positions
        among all figures, in the order of `cells`."""
        import numpy as np

        self.cells = sorted((t, *p) for t, cells in enumerate(hidden) for p in cells)
        self.index = {p: k for k, p in enumerate(self.cells)}
        self.hidden_index = np.array([self.column[p] for p in self.cells], dtype=np.int64)
        lower, upper = self.values.copy(), self.values.copy()
        at = self.hidden_index
        lower[at] = np.where(self.values[at] > 0, 1.0, 0.0)
        upper[at] = INF
        changed = np.flatnonzero((lower != self._bounds[0]) | (upper != self._bounds[1]))
        if len(changed):
            self.h.changeColsBounds(len(changed), changed.astype(np.int32), lower[changed],
                                    upper[changed])
        self._bounds = (lower, upper)
    def _table(self, t, matrix, additive, rows_additive):
        exact = [additive if rows_additive is None else rows_additive] * len(matrix) \
            + [additive] * len(matrix[0])
        for line_exact, (*parts, total) in zip(exact, lines(len(matrix), len(matrix[0])),
                                               strict=True):
            cells = [self.column[(t, *p)] for p in parts]
            t_col = self.column[(t, *total)]
            # cells - total = 0, or >= 0 when people may repeat.
            self._add({**dict.fromkeys(cells, 1.0), t_col: -1.0}, 0.0,
                      0.0 if line_exact else INF)
            if not line_exact:  # no cell above its line's total
                for c in cells:
                    self._add({c: 1.0, t_col: -1.0}, -INF, 0.0)

    def _add(self, coeffs: dict, lower: float, upper: float):
        self._rows += [len(self._lower)] * len(coeffs)
        self._lower.append(lower)
        self._upper.append(upper)
        self._index += coeffs.keys()
        self._coeffs += coeffs.values()

    def extreme(self, cell, *, largest: bool):
        """(the cell's min or max, the hidden cells' values in the solution reaching it, in
        the order of `cells`, as an array); inf and an empty array when unbounded."""
        import highspy
        import numpy as np

        k = self.column[cell]
        if self._objective is not None and self._objective != k:
            self.h.changeColCost(self._objective, 0.0)
        self.h.changeColCost(k, -1.0 if largest else 1.0)
        self._objective = k
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnknown:
            # A warm start from the previous objective may leave HiGHS undecided (seen when
            # that objective was unbounded): solve this one from scratch.
            self.h.clearSolver()
            self.h.run()
            status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            values = np.asarray(self.h.getSolution().col_value)[self.hidden_index]
            return values[self.index[cell]], values
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return INF, np.zeros(0)
        raise ValueError(f"the table contradicts its own totals ({status})")


class Reader(JointReader):
    """The LP of one table with a given set of hidden cells, keyed (row, column)."""

    def __init__(self, matrix: list[list[int]], hidden: set, *, additive: bool = True,
                 rows_additive: bool | None = None):
        """`additive`: lines add up exactly; `rows_additive`, when given, says it for the
        rows alone (each person in one column, e.g. one gender) and `additive` for the
        columns."""
        super().__init__([(matrix, hidden, additive, rows_additive)])
        self.cells = [p[1:] for p in self.cells]

    def hide(self, hidden: set) -> None:
        """Hide exactly these cells, publish the rest."""
        self._hide([hidden])
        self.cells = [p[1:] for p in self.cells]

    def extreme(self, cell, *, largest: bool):
        return super().extreme((0, *cell), largest=largest)


class Seen:
    """The lowest and highest value solutions so far gave each figure (NaN: none yet), by
    the figure's position in the reader's `figures`. Values reached stay reachable as more
    is hidden, so the audit skips a figure already shown protected; kept as arrays, since a
    large table's search notes hundreds of values after each of its hundreds of solves."""

    def __init__(self, size: int):
        import numpy as np

        self.low = np.full(size, np.nan)
        self.high = np.full(size, np.nan)

    def copy(self) -> "Seen":
        other = Seen.__new__(Seen)
        other.low, other.high = self.low.copy(), self.high.copy()
        return other

    def take(self, other: "Seen") -> None:
        self.low, self.high = other.low, other.high

    def note(self, at, values) -> None:
        """A solution's values of the figures at `at` (nothing when it had none)."""
        import numpy as np

        if len(values):
            self.low[at] = np.fmin(self.low[at], values)
            self.high[at] = np.fmax(self.high[at], values)

    def extreme(self, k: int, value: float, *, largest: bool) -> None:
        """Figure k's proven minimum or maximum."""
        if self.low[k] != self.low[k]:  # NaN: not seen yet
            self.low[k] = self.high[k] = value
        if largest:
            self.high[k] = value
        else:
            self.low[k] = value

    def protected(self, at, threshold: int):
        """protected_enough, for the figures at `at` (False when not seen)."""
        import numpy as np

        low, high = self.low[at], self.high[at]
        with np.errstate(invalid="ignore"):  # inf - inf (both unbounded): NaN, not protected
            span = high - low
        return (high >= threshold + 1 - EPS) & ((low <= 1 + EPS) | (span >= threshold - EPS))

    def may_hold(self, k: int) -> bool:
        """Some solution gave figure k someone."""
        return bool(self.high[k] > EPS)


def first_unprotected(seen, reader, cells, threshold) -> tuple[int, tuple] | None:
    """Each of `cells` (in order) not yet shown protected is solved, min and max, as long as
    the figures before it hold: the first that still fails, with its position, or None."""
    import numpy as np

    if not cells:
        return None
    at = np.array([reader.column[c] for c in cells], dtype=np.int64)
    pos = 0
    while pos < len(cells):
        waiting = np.flatnonzero(~seen.protected(at[pos:], threshold))
        if not len(waiting):
            return None
        pos += int(waiting[0])
        for largest in (True, False):
            if not seen.protected(at[pos], threshold):
                solve(seen, reader, cells[pos], largest)
        if not seen.protected(at[pos], threshold):
            return pos, cells[pos]
        pos += 1
    return None


def solve(seen, reader, cell, largest) -> None:
    """The cell's proven min or max into `seen`, with the values of every hidden figure in
    the solution reaching it (each reachable, so each widens what the figure was seen at)."""
    value, values = reader.extreme(cell, largest=largest)
    seen.note(reader.hidden_index, values)
    seen.extreme(reader.column[cell], value, largest=largest)
