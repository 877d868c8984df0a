"""The server-drawn charts: long row labels wrap (or are shortened with the full name kept in
the label's title) instead of being cut at the start, and hidden figures are never drawn."""

import re

from elearn.stats.charts import LABEL_CHARS, LABEL_LINES, label_lines, stacked_bars
from elearn.stats.services import StatTable

LONG = "II.3 Digitalisation, connectivity, digital government and infrastructure"


def _table(hidden=()):
    matrix = [[9, 7, 2, 0, 0, 1, 19], [12, 10, 0, 0, 3, 0, 25], [21, 17, 2, 0, 3, 1, 44]]
    return StatTable(key="t", title="People", dims=("programme",), rows=[(1,), (2,)],
                     row_labels=[(LONG,), ("Short",)], matrix=matrix, hidden=set(hidden),
                     protected=True)


def test_long_labels_wrap_and_keep_their_full_name(app):
    lines = label_lines(LONG)
    assert 1 < len(lines) <= LABEL_LINES
    assert all(len(line) <= LABEL_CHARS for line in lines)
    assert lines[0].startswith("II.3 Digitalisation")  # the start is never cut
    svg = str(stacked_bars(_table(), "c1"))
    assert f"<title>{LONG}</title>" in svg
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert "Short" in spans and all(len(s) <= LABEL_CHARS for s in spans)
    assert label_lines("A" * 100)[-1].endswith("…")


def test_hidden_figures_are_not_drawn(app):
    hidden = {(0, 2), (0, 5), (0, 6), (1, 4), (2, 2)}
    table = _table(hidden)
    svg = str(stacked_bars(table, "c1"))
    bars = re.findall(r'<rect class="g-[a-z_]+" x="[^"]+" y="[^"]+" width="[^"]+" '
                      r'height="\d+"><title>(\d+)</title>', svg)
    shown = [str(v) for i in range(2) for j, v in enumerate(table.matrix[i][:6])
             if v and (i, j) not in hidden]
    assert sorted(bars) == sorted(shown)
    assert ">19<" not in svg and "…" in svg  # the hidden total is not written either
