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

import highspy
import numpy as np

INF = highspy.kHighsInf
EPS = 1e-6


def lines(rows: int, cols: int):
    """Every line of a table whose last row and last column are the totals: its cells, then
    its total."""
    for i in range(rows):
        yield [(i, j) for j in range(cols)]
    for j in range(cols):
        yield [(i, j) for i in range(rows)]


class Reader:
    """The LP of one table with a given set of hidden cells."""

    def __init__(self, matrix: list[list[int]], hidden: set, *, additive: bool = True,
                 rows_additive: bool | None = None):
        """`additive`: lines add up exactly; `rows_additive`, when given, says it for the
        rows alone (each person in one column, e.g. one gender) and `additive` for the
        columns."""
        self.cells = sorted(hidden)
        self.index = {p: k for k, p in enumerate(self.cells)}
        self.h = highspy.Highs()
        self.h.silent()
        n = len(self.cells)
        if n:  # a hidden figure that is not zero is at least 1: the reader knows zeros are
            # published unless a row must not read as one gender, so give them that much.
            lower = np.array([1.0 if matrix[i][j] > 0 else 0.0 for i, j in self.cells])
            self.h.addVars(n, lower, np.full(n, INF))
        exact = [additive if rows_additive is None else rows_additive] * len(matrix) \
            + [additive] * len(matrix[0])
        for line_exact, (*parts, total) in zip(exact, lines(len(matrix), len(matrix[0])),
                                               strict=True):
            terms = [self._term(matrix, p) for p in parts]
            coeffs: dict[int, float] = {}
            constant = 0
            for var, value in terms:
                if var is None:
                    constant += value
                else:
                    coeffs[var] = coeffs.get(var, 0) + 1
            t_var, t_value = self._term(matrix, total)
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

    def _term(self, matrix, p):
        if p in self.index:
            return self.index[p], None
        return None, matrix[p[0]][p[1]]

    def _add(self, coeffs: dict, lower: float, upper: float):
        if not coeffs:
            return  # a line fully published holds by itself
        idx = np.array(list(coeffs), dtype=np.int32)
        self.h.addRow(lower, upper, len(idx), idx, np.array(list(coeffs.values()), float))

    def extreme(self, cell, *, largest: bool) -> tuple[float, list[float]]:
        """(the cell's min or max, the solution reaching it); inf when unbounded."""
        n = len(self.cells)
        cost = np.zeros(n)
        cost[self.index[cell]] = -1.0 if largest else 1.0
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.h.run()
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            values = list(self.h.getSolution().col_value)
            return values[self.index[cell]], values
        if status in (highspy.HighsModelStatus.kUnbounded,
                      highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return INF, []
        raise ValueError(f"the table contradicts its own totals ({status})")
