"""Results pages of a survey (for whoever may edit its form: the organisers of the event, the
instructors of the edition, programme managers), their exports, and satisfaction across the
programme (programme managers). Protected figures for everyone, administrators included:
these pages and files are made to be shared."""

from flask import Response, abort, render_template, request
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.permissions import can, is_programme_manager
from elearn.courses.labels import edition_name
from elearn.extensions import db
from elearn.forms.rules import owner_of
from elearn.forms.texts import in_language
from elearn.stats.view_helpers import title_of

from . import results, results_exports, results_programme
from .models import Survey
from .results_charts import answer_bars
from .results_labels import DIMENSION_LABELS

MAX_ID = 2**31 - 1
ANSWERS_PER_PAGE = 50


def _render(template: str, **context):
    return render_template(template, pct=format_percent, dec=format_decimal, **context)


def _language() -> str:
    return str(get_locale() or "en")


def _bad_request(message: str):
    abort(Response(render_template("error.html", code=400, message=message), 400))


def _survey(survey_id: int) -> Survey:
    if not 0 < survey_id <= MAX_ID:
        abort(404)
    survey = db.get_or_404(Survey, survey_id)
    if not can(current_user, "edit", survey.form):
        abort(403)
    return survey


def _title(survey: Survey) -> str:
    owner = owner_of(survey.form)
    if survey.owner_kind == "edition" and owner is not None:
        name = edition_name(owner)
    elif survey.owner_kind == "hackathon" and owner is not None:
        name = title_of(owner.event)
    else:
        name = title_of(owner) if owner is not None else ""
    form_title = in_language(survey.form.title, _language())
    return f"{form_title}: {name}" if name else form_title


def _dimension() -> str:
    by = request.args.get("by", "gender")
    if by not in results.DIMENSIONS:
        _bad_request(_("Results cannot be broken down by %(value)s.", value=by[:40]))
    return by


def _results(survey: Survey, dimension: str = "gender"):
    return results.survey_results(
        survey, _language(), dimension=dimension,
        with_sensitive=can(current_user, "read_sensitive", survey.form))


@login_required
def survey_results(survey_id: int):
    survey = _survey(survey_id)
    dimension = _dimension()
    found = _results(survey, dimension)
    return _render("surveys/results.html", survey=survey, title=_title(survey),
                           results=found, dimension=dimension, dimensions=DIMENSION_LABELS,
                           chart=answer_bars, shown=results.OPEN_SHOWN)


@login_required
def survey_answers(survey_id: int, key: str):
    """Every answer to one open question, a page at a time, never by group."""
    survey = _survey(survey_id)
    page = request.args.get("page", "1")
    if not page.isascii() or not page.isdigit() or not 1 <= int(page) <= 100_000:
        _bad_request(_("The page must be a number from 1."))
    page = int(page)
    found = _results(survey)
    question = next((r for r in found.questions if r.question.key == key
                     and r.question.open), None)
    if question is None and not found.withheld:
        abort(404)
    answers = [] if found.withheld else results.open_answers(
        survey.id, [question.question], limit=ANSWERS_PER_PAGE,
        offset=(page - 1) * ANSWERS_PER_PAGE).get(key, [])
    total = (question.answered or 0) if question else 0
    return _render("surveys/results_answers.html", survey=survey,
                           title=_title(survey), results=found, question=question,
                           answers=answers, page=page,
                           more=page * ANSWERS_PER_PAGE < total)


def _download(survey_id: int, kind: str):
    survey = _survey(survey_id)
    found = _results(survey)
    title = _title(survey)
    name = f"survey-{survey.id}-results.{kind}"
    if kind == "csv":
        body, mimetype = results_exports.results_csv(found, title), "text/csv"
    elif kind == "xlsx":
        body = results_exports.results_xlsx(found, title)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, mimetype = results_exports.results_pdf(found, title), "application/pdf"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@login_required
def results_csv(survey_id: int):
    return _download(survey_id, "csv")


@login_required
def results_xlsx(survey_id: int):
    return _download(survey_id, "xlsx")


@login_required
def results_pdf(survey_id: int):
    return _download(survey_id, "pdf")


@login_required
def satisfaction():
    """Mean overall satisfaction by activity, thematic area and year (programme managers)."""
    if not is_programme_manager(current_user):
        abort(403)
    year = (request.args.get("year") or "").strip()
    if year and (not year.isascii() or not year.isdigit() or not 1990 <= int(year) <= 2100):
        _bad_request(_("The year must be a number between 1990 and 2100."))
    year = int(year) if year else None
    levels = [(level, label, results_programme.satisfaction_by(level, year))
              for level, label in (("activity", _("By activity")),
                                   ("area", _("By thematic area")), ("year", _("By year")))]
    return _render("surveys/results_satisfaction.html", levels=levels, year=year,
                           minimum=results_programme.settings()[1])
