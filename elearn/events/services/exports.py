"""CSV and XLSX of an event's registrations. Never a gender column: gender is not shown per
person to organisers (statistics report it in aggregate). After the fixed columns, one column
per registration question (sensitive ones only for whoever may read them)."""

import csv
import io

from flask_babel import gettext as _

from elearn.accounts.labels import SECTOR_LABELS, label
from elearn.accounts.services import country_name

from ..forms import ATTENDANCE_LABELS, ROLE_LABELS, STATUS_LABELS
from ..models import Event, Registration
from .questions import answer_export


def _columns() -> list[str]:
    # Each label column in the reader's language has its stable code beside it, for machines
    # (and for sorting in a spreadsheet whatever language it was exported in).
    return [_("Name"), _("Email"), _("Country"), _("Country code"), _("Institution"),
            _("Sector"), _("Sector code"), _("Job title"), _("Public official"),
            _("Mode"), _("Mode code"), _("Status"), _("Status code"), _("Role"),
            _("Role code"), _("Registered at (UTC)"), _("Waiting since (UTC)")]


def _row(reg: Registration, lang: str) -> list:
    user = reg.user
    sector = user.sector.value if user.sector else ""
    return [
        user.full_name, user.email, country_name(user.country, lang) if user.country else "",
        user.country or "", user.institution or "",
        label(SECTOR_LABELS, user.sector) if user.sector else "", sector,
        user.job_title or "", _("yes") if user.is_public_official else _("no"),
        label(ATTENDANCE_LABELS, reg.mode), reg.mode.value,
        label(STATUS_LABELS, reg.status), reg.status.value,
        label(ROLE_LABELS, reg.role), reg.role.value,
        reg.created_at.strftime("%Y-%m-%d %H:%M"),
        reg.waitlisted_at.strftime("%Y-%m-%d %H:%M") if reg.waitlisted_at else "",
    ]


def _safe(value):
    # A cell starting with = + - @ runs as a formula in spreadsheets (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _table(regs: list[Registration], lang: str, event: Event | None, viewer):
    """The heading and the rows: fixed columns, then one per question."""
    questions, answers = answer_export(regs, event, lang, viewer)
    heading = _columns() + [title for _key, title in questions]
    rows = []
    for reg in regs:
        given = answers.get(reg.form_response_id or "", {})
        rows.append(_row(reg, lang) + [given.get(key, "") for key, _title in questions])
    return heading, rows


def registrations_csv(regs: list[Registration], lang: str, event: Event | None = None,
                      viewer=None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    heading, rows = _table(regs, lang, event, viewer)
    writer.writerow([_safe(v) for v in heading])
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return out.getvalue()


def registrations_xlsx(regs: list[Registration], lang: str, event: Event | None = None,
                       viewer=None) -> bytes:
    import xlsxwriter  # here, not at the top: a web worker that never exports never loads it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Registrations")[:31])
    bold = book.add_format({"bold": True})
    heading, rows = _table(regs, lang, event, viewer)
    for col, title in enumerate(heading):
        sheet.write_string(0, col, title, bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write_string(r, col, str(value))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
