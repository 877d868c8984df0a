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

    The lines are listed once, over every figure, as arrays; `hide` then builds the program
    over the hidden figures alone, the published ones moved into the bounds as constants
    (a line fully published holds by itself and is left out), with numpy rather than a
    Python loop per line: complementary suppression hides a little more and audits again
    hundreds of times on a large table."""

    def __init__(self, tables: list[tuple], links=()):
        """`tables`: (matrix, hidden cells (row, column), additive, rows_additive) each."""
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
        self._lower, self._upper = np.array(self._lower), np.array(self._upper)
        self._rows = np.array(self._rows, dtype=np.int64)
        self._index = np.array(self._index, dtype=np.int64)
        self._coeffs = np.array(self._coeffs, dtype=float)
        self._hide([t[1] for t in tables])

    def hide(self, hidden: list) -> None:
        """Hide exactly `hidden[t]` of each table t, publish the rest."""
        self._hide(hidden)

    def _hide(self, hidden: list) -> None:
        """The program with exactly these cells of each table hidden: a hidden figure is at
        least 0, at least 1 when it is not zero (the reader knows zeros are published unless
        a row must not read as one gender, so give them that much)."""
        import highspy
        import numpy as np

        self.cells = sorted((t, *p) for t, cells in enumerate(hidden) for p in cells)
        self.index = {p: k for k, p in enumerate(self.cells)}
        self.h = highspy.Highs()
        self.h.silent()
        n = len(self.cells)
        if not n:
            return
        variable = np.full(len(self.figures), -1, dtype=np.int64)
        variable[[self.column[p] for p in self.cells]] = np.arange(n)
        self.h.addVars(n, np.where(self.values[variable >= 0] > 0, 1.0, 0.0), np.full(n, INF))
        of_entry = variable[self._index]
        kept = of_entry >= 0
        # What the published figures of each line add up to, moved to its bounds.
        constant = np.bincount(self._rows[~kept], weights=(
            self._coeffs * self.values[self._index])[~kept], minlength=len(self._lower))
        rows, index, coeffs = self._rows[kept], of_entry[kept], self._coeffs[kept]
        lines_kept, starts = np.unique(rows, return_index=True)
        self.h.addRows(len(lines_kept), self._lower[lines_kept] - constant[lines_kept],
                       self._upper[lines_kept] - constant[lines_kept], len(index),
                       starts.astype(np.int32), index.astype(np.int32), coeffs)

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

    def extreme(self, cell, *, largest: bool) -> tuple[float, list[float]]:
        """(the cell's min or max, the hidden cells' values in the solution reaching it, in
        the order of `cells`); inf when unbounded."""
        import highspy
        import numpy as np

        n = len(self.cells)
        cost = np.zeros(n)
        cost[self.index[cell]] = -1.0 if largest else 1.0
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnknown:
            # A warm start from the previous objective may leave HiGHS undecided (seen when
            # that objective was unbounded): solve this one from scratch.
            self.h.clearSolver()
            self.h.run()
            status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            values = list(self.h.getSolution().col_value)
            return values[self.index[cell]], values
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return INF, []
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

    def extreme(self, cell, *, largest: bool) -> tuple[float, list[float]]:
        return super().extreme((0, *cell), largest=largest)
