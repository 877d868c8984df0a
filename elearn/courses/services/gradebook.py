"""The gradebook: participants x assessments, weighted total and completion, on screen and as
CSV / XLSX. Built from completion.gather, so it costs the same few queries for any size."""

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from ..labels import status_label
from ..models import Edition, Enrolment
from .completion import EditionScores, Verdict, evaluate_edition, gather, participants

PER_PAGE = 50


@dataclass
class Gradebook:
    edition: Edition
    data: EditionScores
    rows: list[tuple[Enrolment, Verdict]]  # everyone, for exports
    page: int = 1
    pages: int = 1

    @property
    def assessments(self):
        return self.data.assessments

    def page_rows(self) -> list[tuple[Enrolment, Verdict, list[str]]]:
        """The rows of the current page with their cells as text, for the screen."""
        start = (self.page - 1) * PER_PAGE
        to_grade, late = _("to grade"), " " + _("(late)")
        percents, ungraded, late_keys = self.data.percents, self.data.ungraded, self.data.late
        out = []
        for enrolment, verdict in self.rows[start:start + PER_PAGE]:
            cells = []
            for a in self.assessments:
                key = (a.id, enrolment.user_id)
                value = percents.get(key)
                if value is None:
                    cells.append(to_grade if key in ungraded else "—")
                else:
                    cells.append(f"{value:.0f}" + (late if key in late_keys else ""))
            out.append((enrolment, verdict, cells))
        return out


def build(edition: Edition, page: int = 1) -> Gradebook:
    enrolments = participants(edition)
    data = gather(edition)
    verdicts = evaluate_edition(edition, enrolments=enrolments, data=data)
    rows = sorted(((e, verdicts[e.id]) for e in enrolments),
                  key=lambda row: (row[0].user.full_name.lower(), row[0].id))
    pages = max(1, -(-len(rows) // PER_PAGE))
    return Gradebook(edition, data, rows, min(max(page, 1), pages), pages)


def _table(book: Gradebook) -> list[list]:
    header = [_("Name"), _("Email"), _("Country")]
    header += [f"{a.title} (%)" for a in book.assessments]
    header += [_("Weighted grade (%)"), _("Live classes attended"), _("Complete"),
               _("What is missing"), _("Status"), "status_code"]
    lines = [header]
    for enrolment, verdict in book.rows:
        user = enrolment.user
        line = [user.full_name, user.email, user.country or ""]
        line += [verdict.scores.get(a.id) for a in book.assessments]
        line += [verdict.grade, verdict.attended, _("yes") if verdict.complete else _("no"),
                 " ".join(verdict.reasons), status_label(enrolment.status),
                 str(enrolment.status)]
        lines.append(line)
    return lines


def _safe_cell(value):
    # Spreadsheet formula injection: a name starting with = + - @ would run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def to_csv(book: Gradebook) -> str:
    return lines_to_csv(_table(book))


def to_xlsx(book: Gradebook) -> bytes:
    return lines_to_xlsx(_table(book), _("Gradebook"))


def lines_to_csv(lines: list[list]) -> str:
    """A header and rows as CSV, cells safe from spreadsheet formulas (any course export)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in lines:
        writer.writerow([_safe_cell(v) for v in line])
    return out.getvalue()


def lines_to_xlsx(lines: list[list], title: str) -> bytes:
    import xlsxwriter  # here, not at the top: a web worker that never exports never loads it

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(str(title)[:31])
    bold = workbook.add_format({"bold": True})
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            if value is None:
                continue
            if r == 0:
                sheet.write_string(r, c, str(value), bold)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(1, 2)
    workbook.close()
    return out.getvalue()
