"""The report's builders, each a plain function returning the file's bytes, in the language
asked whatever the reader's: the views call them now, and they can be registered as
background "prepared downloads" as they are."""

from flask import current_app
from flask_babel import force_locale

from .annex import FORMATS, annex_csv, annex_xlsx
from .figures import Report, build_report
from .outline import build_outline
from .pdf import LOGO
from .period import Period

LANGUAGES = ("en", "es", "pt", "fr")


class ReportError(ValueError):
    """A period, language or format that does not exist."""


def _checked(year: int | None, lang: str) -> Period:
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ReportError("year")
    from .period import FIRST_YEAR, LAST_YEAR

    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise ReportError("year")
    if lang not in LANGUAGES:
        raise ReportError("lang")
    return Period(year)


def organisation(lang: str) -> str:
    names = current_app.config.get("ORGANISATION_NAMES") or {}
    return names.get(lang) or current_app.config["ORGANISATION_NAME"]


def report_outline(year: int | None, lang: str) -> tuple[Report, str, str, list]:
    """(report, title, subtitle, blocks) in `lang`; call inside force_locale(lang)."""
    report = build_report(_checked(year, lang), lang)
    title, subtitle, blocks = build_outline(report, lang, organisation(lang))
    return report, title, subtitle, blocks


def build_report_pdf(year: int | None, lang: str) -> bytes:
    """The report of `year` (None: the whole 2022–2026 period) as a PDF in `lang`."""
    from .pdf import render_pdf

    _checked(year, lang)
    with force_locale(lang):
        _report, title, subtitle, blocks = report_outline(year, lang)
        return render_pdf(title, subtitle, blocks, organisation(lang))


def build_report_docx(year: int | None, lang: str) -> bytes:
    """The report as an editable Word document in `lang`."""
    from .word import render_docx

    _checked(year, lang)
    with force_locale(lang):
        _report, title, subtitle, blocks = report_outline(year, lang)
        return render_docx(title, subtitle, blocks, organisation(lang), logo=LOGO)


def build_annex(year: int | None, fmt: str, lang: str = "en") -> bytes:
    """The annex (one row per activity and year) as "csv" or "xlsx"."""
    period = _checked(year, lang)
    if fmt not in FORMATS:
        raise ReportError("fmt")
    with force_locale(lang):
        return annex_csv(period, lang) if fmt == "csv" else annex_xlsx(period, lang)
