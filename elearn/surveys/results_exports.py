"""Exports of a survey's results: CSV, XLSX and a PDF report, in the reader's language.

Aggregates only, exactly as the page publishes them: hidden figures are written "x", breakdowns
only where their groups are large enough, no open answers (they are read on the page, where
they are never tied to a group). One list of tables feeds the three formats."""

import csv
import io
from dataclasses import dataclass

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from .results import DIMENSIONS, SurveyResults
from .results_labels import DIMENSION_LABELS

HIDDEN = "x"


@dataclass
class ExportTable:
    title: str
    header: list[str]
    rows: list[list]
    notes: list[str]


def _figure(value):
    return HIDDEN if value is None else value


def _share(value):
    return "" if value is None else format_percent(value, "#,##0.0%")


def tables(results: SurveyResults) -> list[ExportTable]:
    """The overall table of each closed question, then each question by each dimension that
    can be shown."""
    found = []
    for result in results.questions:
        q = result.question
        if not q.closed:
            continue
        rows = [[label, _figure(count), _share(share)] for label, count, share in result.counts]
        rows.append([_("People who answered"), _figure(result.answered), ""])
        notes = []
        if result.mean is not None:
            notes.append(_("Mean: %(mean)s; median: %(median)s (scale of 1 to 5).",
                           mean=format_decimal(result.mean, "0.0"),
                           median=format_decimal(result.median)))
        elif result.summary_hidden:
            notes.append(_("Mean and median not shown: they would reveal a hidden figure."))
        found.append(ExportTable(q.text, [_("Answer"), _("People"), _("Share")], rows, notes))
    for dimension in DIMENSIONS:
        for result in results.questions:
            breakdown = result.breakdowns.get(dimension)
            if breakdown is None:
                continue
            values = [label for _v, label in result.question.values]
            rows = [[label, *[_figure(c) for c, _s in cells], _figure(total)]
                    for label, cells, total, _mean in breakdown.rows()]
            found.append(ExportTable(
                f"{result.question.text} — {DIMENSION_LABELS[dimension]}",
                [str(DIMENSION_LABELS[dimension]), *values, _("Total")], rows, []))
    return found


def heading(results: SurveyResults, title: str) -> list[str]:
    lines = [title, _("Invited: %(invited)s; answered: %(answered)s.",
                      invited=results.invited, answered=results.answered)]
    if results.rate is not None:
        lines.append(_("Response rate: %(rate)s.", rate=_share(results.rate)))
    return lines


def footnotes(results: SurveyResults) -> list[str]:
    notes = [_("x: hidden to protect the privacy of small groups."),
             _("Groups of fewer than %(minimum)s people are shown together with others, or "
               "not broken down.", minimum=results.minimum)]
    if results.withheld:
        notes.insert(0, _("Fewer people have answered than can be published without "
                          "identifying anyone (%(minimum)s).", minimum=results.minimum))
    missing = [str(DIMENSION_LABELS[d]) for d in results.unavailable]
    if missing and not results.withheld:
        notes.append(_("Not broken down (groups too small): %(dimensions)s.",
                       dimensions=", ".join(missing)))
    return notes


def results_csv(results: SurveyResults, title: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in heading(results, title):
        writer.writerow([line])
    for table in tables(results):
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows(table.rows)
        for note in table.notes:
            writer.writerow([note])
    writer.writerow([])
    for note in footnotes(results):
        writer.writerow([note])
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads the accents right


def results_xlsx(results: SurveyResults, title: str) -> bytes:
    import xlsxwriter  # here, not at the top: a web worker that never exports never loads it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    summary = book.add_worksheet(_("Summary")[:31])
    for r, line in enumerate([*heading(results, title), "", *footnotes(results)]):
        summary.write(r, 0, line, bold if r == 0 else None)
    sheets = {}
    row_of = {}
    for table in tables(results):
        name = table.header[0] if table.header[0] != _("Answer") else _("Answers")
        name = "".join(c for c in name if c not in "[]:*?/\\")[:31]
        if name not in sheets:
            sheets[name] = book.add_worksheet(name)
            sheets[name].set_column(0, 0, 36)
            row_of[name] = 0
        sheet, r = sheets[name], row_of[name]
        sheet.write(r, 0, table.title, bold)
        sheet.write_row(r + 1, 0, table.header, bold)
        for k, row in enumerate(table.rows, start=r + 2):
            sheet.write_row(k, 0, row)
        r += 2 + len(table.rows)
        for note in table.notes:
            sheet.write(r, 0, note)
            r += 1
        row_of[name] = r + 1
    book.close()
    return out.getvalue()


def results_pdf(results: SurveyResults, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from elearn.pdf_fonts import paragraph, plain_streams, register_fonts, sample_styles

    plain_streams()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)
    styles = sample_styles()
    regular, bold = register_fonts()
    small = styles["Italic"].clone("note", fontSize=8, leading=10)
    cell = styles["Normal"].clone("cell", fontSize=8, leading=9)
    lines = heading(results, title)
    story = [paragraph(lines[0], styles["Title"]),
             *[paragraph(line, styles["Normal"]) for line in lines[1:]],
             Spacer(1, 4 * mm)]
    for table in tables(results):
        story.append(paragraph(table.title, styles["Heading4"]))
        data = [[paragraph(str(c), cell) for c in table.header]]
        data += [[paragraph(str(row[0]), cell), *[str(c) for c in row[1:]]]
                 for row in table.rows]
        width = doc.width
        first = min(width * 0.4, 70 * mm)
        rest = (width - first) / max(len(table.header) - 1, 1)
        grid = Table(data, colWidths=[first] + [rest] * (len(table.header) - 1), repeatRows=1)
        grid.setStyle(TableStyle([
            ("FONTSIZE", (0, 0), (-1, -1), 8), ("FONTNAME", (0, 0), (-1, -1), regular),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        story.append(grid)
        story += [paragraph(note, small) for note in table.notes]
        story.append(Spacer(1, 3 * mm))
    story += [paragraph(note, small) for note in footnotes(results)]
    doc.build(story)
    return out.getvalue()
