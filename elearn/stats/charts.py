"""Charts drawn on the server as SVG: no JavaScript, readable by screen readers (role="img"
with a title and a description), and always next to the data table they summarise.

Hidden (suppressed) figures are left out of the bars, never drawn, so a chart cannot reveal
what the table hides.
"""

import textwrap

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .queries import GENDERS

MAX_ROWS = 12
WIDTH, LABEL_W, BAR_H, GAP = 640, 190, 18, 8
# A row label fits LABEL_W in two lines of this many characters at the chart's 12 px; a longer
# one is shortened with "…", the full name staying in the label's <title> and in the table.
LABEL_CHARS, LABEL_LINES, LINE_H = 28, 2, 13


def label_lines(label: str) -> list[str]:
    """The row label wrapped on words into at most LABEL_LINES lines, the last one shortened
    with "…" when the label is longer (never cut at the start, as an anchored text would be)."""
    lines = textwrap.wrap(label, LABEL_CHARS) or [""]
    if len(lines) > LABEL_LINES:
        last = " ".join(lines[LABEL_LINES - 1:])
        lines = [*lines[:LABEL_LINES - 1], last[:LABEL_CHARS - 1].rstrip() + "…"]
    return lines


def stacked_bars(table, chart_id: str) -> Markup | None:
    rows = [(labels, values, total) for labels, values, total in table.body()][:-1]
    if table.withheld or not rows:
        return None
    rows = sorted(rows, key=lambda r: -(r[2] if r[2] is not None else sum(v or 0 for v in r[1])))
    rows = rows[:MAX_ROWS]
    widest = max((sum(v or 0 for v in values) for _l, values, _t in rows), default=0) or 1
    scale = (WIDTH - LABEL_W - 60) / widest
    names = [" · ".join(row[0]) for row in rows]
    wrapped = [label_lines(name) for name in names]
    pitch = max(BAR_H, LINE_H * max(len(lines) for lines in wrapped)) + GAP
    height = len(rows) * pitch + 40
    title = escape(table.title)
    desc = escape(_("Stacked bars by gender for each row of the table that follows; "
                    "hidden figures are not drawn."))
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{title}</title><desc id="{chart_id}-d">{desc}</desc>',
    ]
    for r, (_labels, values, total) in enumerate(rows):
        y = 8 + r * pitch
        lines = wrapped[r]
        first = y + 13 - (len(lines) - 1) * LINE_H // 2
        spans = "".join(f'<tspan x="{LABEL_W - 6}" y="{first + k * LINE_H}">{escape(line)}'
                        f'</tspan>' for k, line in enumerate(lines))
        parts.append(f'<text text-anchor="end"><title>{escape(names[r])}</title>{spans}'
                     f'</text>')
        x = LABEL_W
        for gender, value in zip(GENDERS, values, strict=True):
            if value:
                w = value * scale
                parts.append(f'<rect class="g-{gender}" x="{x:.1f}" y="{y}" width="{w:.1f}" '
                             f'height="{BAR_H}"><title>{escape(str(value))}</title></rect>')
                x += w
        shown = total if total is not None else "…"
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{shown}</text>')
    y = height - 22
    x = 4
    for gender, label in zip(GENDERS, table.column_labels, strict=True):
        parts.append(f'<rect class="g-{gender}" x="{x}" y="{y}" width="10" height="10"/>'
                     f'<text x="{x + 14}" y="{y + 10}" class="legend">{escape(label)}</text>')
        x += 14 + 7 * len(label) + 12
    parts.append("</svg>")
    return Markup("".join(parts))
