"""Course pages for everyone: catalogue, course and edition pages, applying, "my courses".
The URLs are listed in blueprint.py."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.permissions import can, is_programme_manager
from elearn.extensions import db
from elearn.forms import answering
from elearn.multilingual import reader_language, sql_text

from .errors import CourseError
from .forms import ApplyForm, EditionStatusForm
from .models import Course, Edition, EditionStatus, Enrolment, EnrolmentStatus
from .services import editions as edition_service
from .services import enrolment as enrolment_service
from .services import questions
from .services.eligibility import describe
from .services.progress import progress
from .view_helpers import (
    VISIBLE,
    get_or_404,
    refusal_page,
    refused,
    upload_of,
    visible_edition,
)


def catalogue():
    courses = db.session.scalars(
        select(Course).options(selectinload(Course.editions))
        .order_by(sql_text(Course.title, reader_language()))).all()
    return render_template("courses/catalogue.html", courses=courses, visible=VISIBLE,
                           may_author=is_programme_manager(current_user))


def course(course_id: int):
    course = get_or_404(Course, course_id)
    editions = [e for e in course.editions
                if e.status in VISIBLE or can(current_user, "teach", e)]
    return render_template("courses/course.html", course=course, editions=editions,
                           may_author=is_programme_manager(current_user))


def edition(edition_id: int):
    edition = visible_edition(edition_id)
    mine = reason = None
    if current_user.is_authenticated:
        mine = enrolment_service.find(edition, current_user)
        if mine is None:
            problem = enrolment_service.application_problem(edition, current_user)
            reason = problem[0] if problem else None
    status_form = None
    if can(current_user, "teach", edition):
        status_form = EditionStatusForm(data={"status": edition.status.value})
    return render_template("courses/edition.html", edition=edition, course=edition.course,
                           conditions=describe(edition), mine=mine, reason=reason,
                           status_form=status_form,
                           answers=questions.answers_of(mine, str(get_locale()), current_user)
                           if mine is not None else [],
                           may_change_answers=mine is not None
                           and questions.answers_problem(mine) is None)


@login_required
def apply(edition_id: int):
    edition = visible_edition(edition_id)
    form = ApplyForm()
    problem = enrolment_service.application_problem(edition, current_user)
    if problem:
        flash(problem[0], "error")
        return render_template("courses/apply.html", edition=edition, form=None), problem[1]
    version = questions.asked_version(edition)
    lang = str(get_locale())
    posted = request.method == "POST"
    asked = None
    if version is not None:
        asked = (answering.ask(version, lang, request.form, request.files) if posted
                 else answering.ask(version, lang))
    valid = form.validate_on_submit()
    # Both checked, so every error shows at once; invalid answers write nothing.
    if asked is not None and posted:
        valid = asked.validate() and valid
    page = {"edition": edition, "form": form, "asked": asked}
    if valid:
        try:
            questions.apply_with_answers(edition, current_user, form.motivation.data,
                                         upload_of("endorsement"), version, asked)
        except CourseError as exc:
            status = refused(exc)
            return render_template("courses/apply.html", **page), status
        db.session.commit()
        flash(_("Your application has been received. You will get an email with the "
                "decision."), "success")
        return redirect(url_for("courses.edition", edition_id=edition.id))
    status = 400 if posted else 200
    return render_template("courses/apply.html", **page), status


@login_required
def withdraw(edition_id: int):
    edition = visible_edition(edition_id)
    enrolment = enrolment_service.find(edition, current_user)
    if enrolment is None:
        abort(404)
    try:
        enrolment_service.withdraw(enrolment, actor=current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    flash(_("You have withdrawn from this edition."), "success")
    return redirect(url_for("courses.my_courses"))


@login_required
def my_courses():
    enrolments = db.session.scalars(
        select(Enrolment).options(selectinload(Enrolment.edition).selectinload(Edition.course))
        .where(Enrolment.user_id == current_user.id).order_by(Enrolment.applied_at.desc())
    ).all()
    progresses = {e.id: progress(e) for e in enrolments if e.status.is_participant}
    teaching = db.session.scalars(
        select(Edition).where(Edition.instructors.any(user_id=current_user.id))
        .order_by(Edition.starts_on.desc())).all()
    return render_template("courses/mine.html", enrolments=enrolments, progresses=progresses,
                           teaching=teaching, Status=EnrolmentStatus)


@login_required
def set_status(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    if not can(current_user, "teach", edition):
        abort(403)
    form = EditionStatusForm()
    if not form.validate_on_submit():
        return refusal_page(CourseError(_("Choose a status."), 400))
    if form.status.data == EditionStatus.COMPLETED and edition.status != EditionStatus.COMPLETED:
        # Completing records everyone's result: only through the closing confirmation.
        return redirect(url_for("courses.close", edition_id=edition.id))
    edition_service.set_status(edition, EditionStatus(form.status.data), actor=current_user)
    db.session.commit()
    flash(_("The edition status has been changed."), "success")
    return redirect(url_for("courses.edition", edition_id=edition.id))
