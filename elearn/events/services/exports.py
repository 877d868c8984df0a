"""CSV and XLSX of an event's registrations. Never a gender column: gender is not shown per
person to organisers (statistics report it in aggregate)."""

import csv
import io

import xlsxwriter
from flask_babel import gettext as _

from elearn.accounts.services import country_name

from ..models import Registration


def _columns() -> list[str]:
    return [_("Name"), _("Email"), _("Country"), _("Institution"), _("Sector"),
            _("Job title"), _("Public official"), _("Mode"), _("Status"), _("Role"),
            _("Registered at (UTC)"), _("Waiting since (UTC)")]


def _row(reg: Registration, lang: str) -> list:
    user = reg.user
    return [
        user.full_name, user.email, country_name(user.country, lang) if user.country else "",
        user.institution or "", user.sector.value if user.sector else "",
        user.job_title or "", _("yes") if user.is_public_official else _("no"),
        reg.mode.value, reg.status.value, reg.role.value,
        reg.created_at.strftime("%Y-%m-%d %H:%M"),
        reg.waitlisted_at.strftime("%Y-%m-%d %H:%M") if reg.waitlisted_at else "",
    ]


def _safe(value):
    # A cell starting with = + - @ runs as a formula in spreadsheets (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def registrations_csv(regs: list[Registration], lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_columns())
    for reg in regs:
        writer.writerow([_safe(v) for v in _row(reg, lang)])
    return out.getvalue()


def registrations_xlsx(regs: list[Registration], lang: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Registrations")[:31])
    bold = book.add_format({"bold": True})
    for col, title in enumerate(_columns()):
        sheet.write_string(0, col, title, bold)
    for r, reg in enumerate(regs, start=1):
        for col, value in enumerate(_row(reg, lang)):
            sheet.write_string(r, col, str(value))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
