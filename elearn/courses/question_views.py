"""Application questions of an edition (URLs in blueprint.py): its staff add them (then the
form editor), remove them and read one application with its answers; the applicant changes
their answers while applications are open."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.permissions import require
from elearn.extensions import db
from elearn.forms import answering

from .errors import CourseError
from .forms import ActionForm
from .labels import ENROLMENT_STATUS_LABELS
from .models import Enrolment
from .services import enrolment as enrolment_service
from .services import questions
from .view_helpers import get_or_404, refusal_page, teach, visible_edition


@login_required
def add_questions(edition_id: int):
    edition = teach(edition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    form = questions.add_questions(edition, current_user)
    db.session.commit()
    return redirect(url_for("forms.edit", form_id=form.id), 303)


@login_required
def remove_questions(edition_id: int):
    edition = teach(edition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        questions.remove_questions(edition, current_user)
    except CourseError as exc:
        return refusal_page(exc, url_for("courses.hub", edition_id=edition.id))
    db.session.commit()
    flash(_("Application questions are no longer asked. Answers already given are kept "
            "with each application."), "success")
    return redirect(url_for("courses.hub", edition_id=edition.id) + "#questions", 303)


@login_required
def application(enrolment_id: int):
    """One application as its reviewers read it: motivation, endorsement and answers
    (sensitive answers only for whoever may read them, marked)."""
    row = get_or_404(Enrolment, enrolment_id)
    require("teach", row.edition)
    return render_template(
        "courses/application.html", enrolment=row, edition=row.edition,
        status_names=ENROLMENT_STATUS_LABELS,
        answers=questions.answers_of(row, str(get_locale()), current_user))


@login_required
def answers(edition_id: int):
    """The applicant's answers, changed while applications are open."""
    edition = visible_edition(edition_id)
    mine = enrolment_service.find(edition, current_user)
    if mine is None:
        abort(404)
    problem = questions.answers_problem(mine)
    if problem:
        flash(problem, "error")
        return redirect(url_for("courses.edition", edition_id=edition.id), 303)
    version = questions.asked_version(edition)
    host = ActionForm()
    status = 200
    lang = str(get_locale())
    if request.method == "POST":
        asked = answering.ask(version, lang, request.form, request.files,
                               response=mine.form_response)
        valid = host.validate_on_submit()
        if asked.validate() and valid:
            questions.change_answers(mine, version, asked, current_user)
            db.session.commit()
            flash(_("Your answers were saved."), "success")
            return redirect(url_for("courses.edition", edition_id=edition.id), 303)
        status = 400
    else:
        asked = answering.ask(version, lang, response=mine.form_response)
    return render_template("courses/answers.html", edition=edition, asked=asked,
                           host=host), status
