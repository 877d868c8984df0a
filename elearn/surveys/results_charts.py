"""The bar chart of one question's answers, drawn like the statistics' charts (stats.charts:
SVG on the server, role="img" with a title and a description, long labels wrapped the same
way) and always followed by its data table. Hidden figures are not drawn."""

from flask_babel import format_percent
from flask_babel import gettext as _
from markupsafe import Markup, escape

from elearn.stats.charts import BAR_H, GAP, LABEL_W, LINE_H, WIDTH, label_lines


def answer_bars(title: str, counts: list[tuple[str, int | None, float | None]],
                chart_id: str) -> Markup | None:
    """Horizontal bars, one per answer in the question's order, with the share at the end;
    None when there is nothing to draw."""
    if not any(c for _l, c, _s in counts):
        return None
    widest = max((c or 0 for _l, c, _s in counts), default=0) or 1
    scale = (WIDTH - LABEL_W - 70) / widest
    wrapped = [label_lines(label) for label, _c, _s in counts]
    pitch = max(BAR_H, LINE_H * max(len(lines) for lines in wrapped)) + GAP
    height = len(counts) * pitch + 12
    desc = escape(_("Bars for each answer, with the share of the people who answered the "
                    "question; the table that follows has the figures. Hidden figures are "
                    "not drawn."))
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{desc}</desc>',
    ]
    for r, ((label, count, share), lines) in enumerate(zip(counts, wrapped, strict=True)):
        y = 6 + r * pitch
        first = y + 13 - (len(lines) - 1) * LINE_H // 2
        spans = "".join(f'<tspan x="{LABEL_W - 6}" y="{first + k * LINE_H}">{escape(line)}'
                        f'</tspan>' for k, line in enumerate(lines))
        parts.append(f'<text text-anchor="end"><title>{escape(label)}</title>{spans}</text>')
        x = LABEL_W
        if count:
            w = count * scale
            parts.append(f'<rect class="answer-bar" x="{x}" y="{y}" width="{w:.1f}" '
                         f'height="{BAR_H}"><title>{count}</title></rect>')
            x += w
        shown = "x" if count is None else (format_percent(share) if share is not None
                                           else str(count))
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
