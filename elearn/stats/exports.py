"""Exports of the statistics tables (CSV, XLSX), the one-page PDF summary of an event, and
the anonymised attendance records as XLSX (a background job: it can be large).

Exports carry exactly what the page shows: hidden figures are written as "x", never as numbers,
and each table keeps its "what these figures count" note (labels.measure_note).
"""

import csv
import io
import os

from flask_babel import gettext as _

from .services import StatTable

HIDDEN = "x"


def note_line(table: StatTable) -> str:
    return f'{_("What these figures count:")} {table.note}' if table.note else ""


def _table_rows(table: StatTable) -> list[list]:
    header = [*table.dim_titles, *table.column_labels, _("Total")]
    rows = [header]
    n = len(table.dims)
    for labels, values, total in table.body():
        labels = list(labels) + [""] * (n - len(labels))
        rows.append([*labels, *[HIDDEN if v is None else v for v in values],
                     HIDDEN if total is None else total])
    return rows


def not_for_publication() -> str:
    """Admins' exports carry exact figures, small ones included: they say so on their face."""
    return _("Not for publication: exact figures, small ones included.")


def table_csv(table: StatTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.title])
    if table.note:
        writer.writerow([note_line(table)])
    if table.withheld:
        writer.writerow([_("Fewer people than can be published without identifying anyone.")])
    else:
        writer.writerows(_table_rows(table))
    if table.protected:
        writer.writerow([_("x: hidden to protect the privacy of small groups.")])
    else:
        writer.writerow([not_for_publication()])
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads the accents right


def _sheet_name(title: str, used: set) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Table"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:25]}-{n}"
    used.add(name.lower())
    return name


def tables_xlsx(tables: list[StatTable]) -> bytes:
    import xlsxwriter  # here, not at the top: a web worker that never exports never loads it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    used: set = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, used))
        sheet.write(0, 0, table.title, bold)
        sheet.write(1, 0, note_line(table))
        if table.withheld:
            sheet.write(3, 0, _("Fewer people than can be published without identifying anyone."))
            continue
        for r, row in enumerate(_table_rows(table), start=3):
            sheet.write_row(r, 0, row, bold if r == 3 else None)
        if table.protected:
            sheet.write(r + 2, 0, _("x: hidden to protect the privacy of small groups."))
        else:
            sheet.write(r + 2, 0, not_for_publication(), bold)
        sheet.set_column(0, len(table.dims) - 1, 28)
    book.close()
    return out.getvalue()


def event_summary_pdf(title: str, subtitle: str, tables: list[StatTable]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from elearn.pdf_fonts import paragraph, plain_streams, register_fonts, sample_styles

    plain_streams()  # as when certificates/pdf.py set it on import

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=title, leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm)
    styles = sample_styles()
    regular, bold = register_fonts()
    small = styles["Italic"].clone("note", fontSize=7, leading=8)
    story = [paragraph(title, styles["Title"]),
             paragraph(subtitle, styles["Normal"]), Spacer(1, 4 * mm)]
    for table in tables:
        story.append(paragraph(table.title, styles["Heading3"]))
        if table.definition:  # the counting rule, shared, is written once below
            story.append(paragraph(table.definition, small))
        if table.withheld:
            story.append(paragraph(_("Fewer people than can be published without identifying "
                                     "anyone."), styles["Normal"]))
            continue
        rows = _table_rows(table)
        # One page: the largest tables keep their 8 biggest rows and the totals.
        if len(rows) > 10:
            rows = rows[:9] + rows[-1:]
        grid = Table([[str(c) for c in row] for row in rows], repeatRows=1)
        grid.setStyle(TableStyle([
            ("FONTSIZE", (0, 0), (-1, -1), 7), ("FONTNAME", (0, 0), (-1, -1), regular),
            ("FONTNAME", (0, 0), (-1, 0), bold),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
            ("ALIGN", (len(table.dims), 0), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        story.append(grid)
    story.append(Spacer(1, 3 * mm))
    counting = next((t.counting for t in tables if t.counting), "")
    if counting:
        story.append(paragraph(f'{_("What these figures count:")} {counting}', small))
    story.append(paragraph(_("x: hidden to protect the privacy of small groups."), small))
    doc.build(story)
    return out.getvalue()


ATTENDANCE_COLUMNS = ("event", "session_starts", "status", "mode", "source", "minutes_online",
                      "gender", "country", "year_of_birth")


def export_attendance_xlsx(path: str, event_id: int | None = None,
                           limit: int | None = None) -> int:
    """Job (elearn.jobs.enqueue): anonymised attendance records (no names, no emails) to an
    XLSX file for admins' own analysis. Streams rows; returns how many were written."""
    from sqlalchemy import String, cast, func, select

    from elearn.accounts.models import User
    from elearn.attendance.models import Attendance
    from elearn.events.models import EventSession
    from elearn.extensions import db

    query = (select(EventSession.event_id, EventSession.starts_at, Attendance.status,
                    Attendance.mode, Attendance.source, Attendance.minutes_online,
                    func.coalesce(cast(User.gender, String), "not_answered"), User.country,
                    User.year_of_birth)
             .join(EventSession, EventSession.id == Attendance.session_id)
             .join(User, User.id == Attendance.user_id)
             .order_by(Attendance.id))
    if event_id is not None:
        query = query.where(EventSession.event_id == event_id)
    if limit is not None:
        query = query.limit(limit)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    import xlsxwriter  # here, not at the top: a web worker never runs this job

    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("attendance")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, ATTENDANCE_COLUMNS)
    count = 0
    for count, row in enumerate(db.session.execute(query.execution_options(yield_per=5000)),
                                start=1):
        sheet.write_number(count, 0, row[0])
        sheet.write_datetime(count, 1, row[1].replace(tzinfo=None), when)
        sheet.write_row(count, 2, [str(row[2]), str(row[3]), str(row[4])])
        sheet.write_row(count, 5, [row[5], str(row[6]), row[7], row[8]])
    book.close()
    return count
