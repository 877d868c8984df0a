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
    figure b (everyone attended was registered, so attended <= registered cell by cell)."""

    def __init__(self, tables: list[tuple], links=()):
        """`tables`: (matrix, hidden cells (row, column), additive, rows_additive) each."""
        self.matrices = [t[0] for t in tables]
        self.cells = sorted((t, *p) for t, table in enumerate(tables) for p in table[1])
        self.index = {p: k for k, p in enumerate(self.cells)}
        import highspy
        import numpy as np

        self.h = highspy.Highs()
        self.h.silent()
        n = len(self.cells)
        if n:  # a hidden figure that is not zero is at least 1: the reader knows zeros are
            # published unless a row must not read as one gender, so give them that much.
            lower = np.array([1.0 if self.matrices[t][i][j] > 0 else 0.0
                              for t, i, j in self.cells])
            self.h.addVars(n, lower, np.full(n, INF))
        for t, (matrix, _hidden, additive, rows_additive) in enumerate(tables):
            self._table(t, matrix, additive, rows_additive)
        for small, large in links:
            (v_small, c_small), (v_large, c_large) = self._term(small), self._term(large)
            coeffs = {} if v_small is None else {v_small: 1.0}
            if v_large is not None:
                coeffs[v_large] = coeffs.get(v_large, 0) - 1.0
            self._add(coeffs, -INF, (c_large or 0) - (c_small or 0))

    def _table(self, t, matrix, additive, rows_additive):
        exact = [additive if rows_additive is None else rows_additive] * len(matrix) \
            + [additive] * len(matrix[0])
        for line_exact, (*parts, total) in zip(exact, lines(len(matrix), len(matrix[0])),
                                               strict=True):
            terms = [self._term((t, *p)) for p in parts]
            coeffs: dict[int, float] = {}
            constant = 0
            for var, value in terms:
                if var is None:
                    constant += value
                else:
                    coeffs[var] = coeffs.get(var, 0) + 1
            t_var, t_value = self._term((t, *total))
            if t_var is not None:
                coeffs[t_var] = coeffs.get(t_var, 0) - 1
            # cells - total (+ constant - t_value) = 0, or >= 0 when people may repeat.
            rhs = (t_value or 0) - constant
            self._add(coeffs, rhs, rhs if line_exact else INF)
            if not line_exact:  # no cell above its line's total
                for var, value in terms:
                    row = {var: 1} if var is not None else {}
                    if t_var is not None:
                        row[t_var] = row.get(t_var, 0) - 1
                    bound = (t_value or 0) - (value or 0)
                    self._add(row, -INF, bound)

    def _term(self, p):
        if p in self.index:
            return self.index[p], None
        return None, self.matrices[p[0]][p[1]][p[2]]

    def _add(self, coeffs: dict, lower: float, upper: float):
        if not coeffs:
            return  # a line fully published holds by itself
        import numpy as np

        idx = np.array(list(coeffs), dtype=np.int32)
        self.h.addRow(lower, upper, len(idx), idx, np.array(list(coeffs.values()), float))

    def extreme(self, cell, *, largest: bool) -> tuple[float, list[float]]:
        """(the cell's min or max, the solution reaching it); inf when unbounded."""
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

    def extreme(self, cell, *, largest: bool) -> tuple[float, list[float]]:
        return super().extreme((0, *cell), largest=largest)
