"""The annual report's pages: choose a period and a language, read the report on the page,
download it as PDF, Word or the CSV/XLSX annex. Programme managers and admins only: the report
covers the whole work programme."""

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from elearn.accounts.permissions import is_programme_manager

from . import documents
from .annex import FORMATS
from .outline import headings
from .period import Period, all_periods, parse_period

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _bad_request(message: str):
    abort(Response(render_template("error.html", code=400, title=_("Bad request"),
                                   message=message), 400))


def _allowed() -> None:
    if not is_programme_manager(current_user):
        abort(403)


def _period(text: str) -> Period:
    period = parse_period(text)
    if period is None:
        abort(404)
    return period


def _language() -> str:
    """The language asked (?lang=), else the reader's when the report is written in it."""
    lang = request.args.get("lang") or ""  # not stripped: "es\r\n" is no language
    if not lang:
        reader = str(get_locale() or "en")
        return reader if reader in documents.LANGUAGES else "en"
    if lang not in documents.LANGUAGES:
        _bad_request(_("The report is written in English, Spanish, Portuguese or French."))
    return lang


@login_required
def index():
    _allowed()
    reader = str(get_locale() or "en")
    return render_template("reports/index.html", periods=all_periods(),
                           report_languages=documents.LANGUAGES, reader=reader)


@login_required
def generate():
    """The chooser's form (GET, nothing changes): on to the report asked for."""
    _allowed()
    period = parse_period(request.args.get("period"))
    if period is None:
        _bad_request(_("Choose a year of the work programme or the whole period."))
    return redirect(url_for("reports.show", period=period.slug, lang=_language()))


@login_required
def show(period: str):
    _allowed()
    found, lang = _period(period), _language()
    with force_locale(lang):
        report, title, subtitle, blocks = documents.report_outline(found.year, lang)
        article = render_template("reports/_article.html", title=title, subtitle=subtitle,
                                  blocks=blocks, contents=headings(blocks), lang=lang)
    return render_template("reports/report.html", period=found, title=title, lang=lang,
                           article=Markup(article), report_languages=documents.LANGUAGES,
                           formats=FORMATS)


def _download(data: bytes, kind: str, name: str) -> Response:
    return Response(data, mimetype=CONTENT_TYPES[kind].split(";")[0],
                    content_type=CONTENT_TYPES[kind], headers={
                        "Content-Disposition": f'attachment; filename="{name}"'})


@login_required
def pdf(period: str):
    _allowed()
    found, lang = _period(period), _language()
    return _download(documents.build_report_pdf(found.year, lang), "pdf",
                     f"report-{found.slug}-{lang}.pdf")


@login_required
def docx(period: str):
    _allowed()
    found, lang = _period(period), _language()
    return _download(documents.build_report_docx(found.year, lang), "docx",
                     f"report-{found.slug}-{lang}.docx")


@login_required
def annex(period: str, fmt: str):
    _allowed()
    found, lang = _period(period), _language()
    if fmt not in FORMATS:
        abort(404)
    return _download(documents.build_annex(found.year, fmt, lang), fmt,
                     f"report-annex-{found.slug}-{lang}.{fmt}")
