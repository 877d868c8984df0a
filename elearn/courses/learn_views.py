"""Participant pages: the edition's modules (locked until they open), lessons and downloads,
quizzes and assignments. Only accepted participants and the edition's staff get in."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.permissions import can, require
from elearn.db_types import utcnow
from elearn.extensions import db

from .assessment_models import Assessment, QuestionKind, QuizAttempt, Submission
from .errors import CourseError
from .forms import AssignmentForm
from .models import Enrolment, Lesson, LessonFile
from .services import assignments, quizzes
from .services.access import require_open_for
from .services.progress import mark_viewed, modules_with_lessons, progress
from .view_helpers import (
    get_or_404,
    refusal_page,
    refused,
    send_download,
    upload_of,
    visible_edition,
)


def _enrolment(edition):
    return db.session.scalar(select(Enrolment).where(Enrolment.edition_id == edition.id,
                                                     Enrolment.user_id == current_user.id))


def _open_lesson_or_403(lesson: Lesson):
    edition = lesson.module.edition
    require("learn", edition)
    if not lesson.module.is_open(utcnow()) and not can(current_user, "teach", edition):
        abort(403)
    return edition


@login_required
def learn(edition_id: int):
    edition = visible_edition(edition_id)
    require("learn", edition)
    enrolment = _enrolment(edition)
    mine = progress(enrolment) if enrolment and enrolment.status.is_participant else None
    assessments = db.session.scalars(select(Assessment).where(Assessment.edition_id == edition.id)
                                     .order_by(Assessment.position)).all()
    return render_template("courses/learn.html", edition=edition, progress=mine,
                           modules=modules_with_lessons(edition), assessments=assessments,
                           now=utcnow())


@login_required
def lesson(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    edition = _open_lesson_or_403(lesson)
    enrolment = _enrolment(edition)
    if enrolment is not None and enrolment.status.is_participant:
        mark_viewed(lesson, current_user)
        db.session.commit()
    before, after = _neighbours(lesson, edition)
    return render_template("courses/lesson.html", lesson=lesson, module=lesson.module,
                           edition=edition, previous=before, next=after)


def _neighbours(lesson: Lesson, edition) -> tuple[Lesson | None, Lesson | None]:
    """The lessons before and after this one, across modules in the order participants see
    them; a module still locked is skipped for participants (its lessons would answer 403)."""
    now, teaching = utcnow(), can(current_user, "teach", edition)
    ordered = [item for module in modules_with_lessons(edition)
               if teaching or module.is_open(now)
               for item in sorted(module.lessons, key=lambda x: (x.position, x.id))]
    ids = [item.id for item in ordered]
    if lesson.id not in ids:
        return None, None
    at = ids.index(lesson.id)
    return (ordered[at - 1] if at > 0 else None,
            ordered[at + 1] if at + 1 < len(ordered) else None)


@login_required
def lesson_file(file_id: int):
    row = get_or_404(LessonFile, file_id)
    _open_lesson_or_403(row.lesson)
    return send_download(row.stored_name, row.filename, row.content_type)


@login_required
def assessment(assessment_id: int):
    item = get_or_404(Assessment, assessment_id)
    require("learn", item.edition)
    context = {"assessment": item, "edition": item.edition, "now": utcnow()}
    if item.is_quiz:
        context["attempts"] = quizzes.attempts_of(item, current_user)
        context["feedback"] = quizzes.feedback_visible(item)
        context["state"] = quizzes.state_for(
            item, context["attempts"], may_take=_may_take(item), now=context["now"])
        return render_template("courses/quiz.html", **context)
    context["submission"] = assignments.submission_of(item, current_user)
    context["form"] = AssignmentForm()
    context["may_hand_in"] = _may_take(item)
    return render_template("courses/assignment.html", **context)


def _may_take(item: Assessment) -> bool:
    """An accepted participant whose module is open (staff and past participants look)."""
    try:
        require_open_for(item, current_user, utcnow())
    except CourseError:
        return False
    return True


@login_required
def start_quiz(assessment_id: int):
    item = get_or_404(Assessment, assessment_id)
    require("learn", item.edition)
    try:
        attempt = quizzes.start(item, current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    return redirect(url_for("courses.attempt", attempt_id=attempt.id))


def _answers_from_form(item: Assessment) -> dict:
    answers = {}
    for question in item.questions:
        name = f"q{question.id}"
        if question.kind == QuestionKind.MULTIPLE:
            answers[str(question.id)] = request.form.getlist(name)
        else:
            answers[str(question.id)] = request.form.get(name)
    return answers


@login_required
def attempt(attempt_id: int):
    row = get_or_404(QuizAttempt, attempt_id)
    require("view", row)
    item = row.assessment
    if request.method == "POST":
        try:
            quizzes.submit(row, current_user, _answers_from_form(item))
        except CourseError as exc:
            return refusal_page(exc)
        db.session.commit()
        flash(_("Your answers have been submitted."), "success")
        return redirect(url_for("courses.attempt", attempt_id=row.id))
    feedback = quizzes.feedback_visible(item)
    return render_template("courses/attempt.html", attempt=row, assessment=item,
                           edition=item.edition, deadline=quizzes.deadline(row),
                           results=quizzes.results(row) if row.submitted_at and feedback
                           else None)


@login_required
def submit_assignment(assessment_id: int):
    item = get_or_404(Assessment, assessment_id)
    require("learn", item.edition)
    form = AssignmentForm()
    context = {"assessment": item, "edition": item.edition, "now": utcnow(), "form": form,
               "may_hand_in": True}
    if not form.validate_on_submit():
        context["submission"] = assignments.submission_of(item, current_user)
        return render_template("courses/assignment.html", **context), 400
    try:
        submission = assignments.submit(item, current_user, form.text.data, upload_of("upload"))
    except CourseError as exc:
        status = refused(exc)
        context["submission"] = assignments.submission_of(item, current_user)
        return render_template("courses/assignment.html", **context), status
    db.session.commit()
    flash(_("Your work has been handed in.") + (" " + _("It is marked as late.")
                                                if submission.is_late else ""), "success")
    return redirect(url_for("courses.assessment", assessment_id=item.id))


@login_required
def submission(submission_id: int):
    row = get_or_404(Submission, submission_id)
    require("view", row)
    return render_template("courses/submission.html", submission=row,
                           assessment=row.assessment, edition=row.assessment.edition)


@login_required
def submission_file(submission_id: int):
    row = get_or_404(Submission, submission_id)
    require("view", row)
    if not row.stored_name:
        abort(404)
    return send_download(row.stored_name, row.filename, row.content_type)
