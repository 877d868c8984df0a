"""Authoring assessments (quizzes, assignments) and quiz questions, for an edition's teaching
staff. The rules are in services.assessment_authoring; the URLs in blueprint.py."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from elearn.accounts.permissions import require
from elearn.extensions import db

from .assessment_models import Assessment, AssessmentKind, Question, QuestionKind
from .authoring_forms import AssignmentForm, QuestionForm, QuizForm
from .errors import CourseError
from .models import Edition, Module
from .services import assessment_authoring as authoring
from .view_helpers import (
    aware,
    form_page,
    get_or_404,
    local,
    move_in_order,
    refusal_page,
    refused,
    teach,
)

KIND_FORMS = {AssessmentKind.QUIZ: QuizForm, AssessmentKind.ASSIGNMENT: AssignmentForm}


def _module_choices(form, edition: Edition) -> None:
    modules = db.session.scalars(db.select(Module).where(Module.edition_id == edition.id)
                                 .order_by(Module.position)).all()
    form.module_id.choices = [SelectChoice(0, _("No module"))] + [
        SelectChoice(m.id, m.text_noted("title")) for m in modules]


def _values(form, kind: AssessmentKind, tz: str) -> dict:
    fields = authoring.QUIZ_FIELDS if kind == AssessmentKind.QUIZ \
        else authoring.ASSIGNMENT_FIELDS
    values = {name: getattr(form, name).data for name in fields}
    values["module_id"] = form.module_id.data or None
    values["due_at"] = aware(form.due_at.data, tz)
    if values["weight"] is None:
        values["weight"] = 0.0
    return values


def _assessment_page(edition: Edition, kind: AssessmentKind, item: Assessment | None):
    form = KIND_FORMS[kind]()
    _module_choices(form, edition)
    if item is not None and not form.is_submitted():
        form.process(obj=item)
        form.module_id.data = item.module_id or 0
        form.due_at.data = local(item.due_at, edition.timezone)
        if kind == AssessmentKind.ASSIGNMENT:
            form.late_policy.data = item.late_policy.value
    status = 200
    if form.validate_on_submit():
        try:
            values = _values(form, kind, edition.timezone)
            if item is None:
                item = authoring.create(edition, kind, values, actor=current_user)
            else:
                authoring.update(item, values, actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The assessment has been saved."), "success")
            if item.is_quiz:
                return redirect(url_for("courses.questions", assessment_id=item.id))
            return redirect(url_for("courses.manage", edition_id=edition.id))
    elif form.is_submitted():
        status = 400
    if kind == AssessmentKind.QUIZ:
        heading = _("Edit quiz") if item is not None else _("New quiz")
    else:
        heading = _("Edit assignment") if item is not None else _("New assignment")
    return form_page("form.html", status, form=form, heading=heading, edition=edition,
                     back=url_for("courses.manage", edition_id=edition.id))


@login_required
def new_quiz(edition_id: int):
    return _assessment_page(teach(edition_id), AssessmentKind.QUIZ, None)


@login_required
def new_assignment(edition_id: int):
    return _assessment_page(teach(edition_id), AssessmentKind.ASSIGNMENT, None)


def _staff_assessment(assessment_id: int) -> Assessment:
    item = get_or_404(Assessment, assessment_id)
    require("teach", item.edition)
    return item


@login_required
def edit_assessment(assessment_id: int):
    item = _staff_assessment(assessment_id)
    return _assessment_page(item.edition, item.kind, item)


@login_required
def remove_assessment(assessment_id: int):
    item = _staff_assessment(assessment_id)
    edition_id = item.edition_id
    try:
        authoring.remove(item, actor=current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    flash(_("The assessment has been removed."), "success")
    return redirect(url_for("courses.manage", edition_id=edition_id))


# --- questions ------------------------------------------------------------------------------

def _quiz(assessment_id: int) -> Assessment:
    item = _staff_assessment(assessment_id)
    if not item.is_quiz:
        abort(404)
    return item


@login_required
def questions(assessment_id: int):
    quiz = _quiz(assessment_id)
    return render_template("courses/authoring/questions.html", quiz=quiz,
                           edition=quiz.edition, locked=authoring.work_count(quiz) > 0,
                           Kind=QuestionKind)


def _answer(form: QuestionForm):
    kind = form.kind.data
    if kind == QuestionKind.TRUE_FALSE.value:
        return {"true": True, "false": False}.get(form.true_false.data)
    if kind == QuestionKind.NUMERIC.value:
        try:
            return float((form.numeric_answer.data or "").strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _question_page(quiz: Assessment, question: Question | None):
    form = QuestionForm()
    if question is not None and not form.is_submitted():
        options = [{"text": t, "correct": c} for t, c in authoring.options_of(question)]
        form = QuestionForm(data={
            "kind": question.kind.value, "text": question.text, "points": question.points,
            "options": options, "tolerance": question.tolerance,
            "true_false": ("true" if question.correct[0] else "false")
            if question.kind == QuestionKind.TRUE_FALSE else "",
            "numeric_answer": f"{question.correct[0]:g}"
            if question.kind == QuestionKind.NUMERIC else ""})
        while len(form.options) < 5:
            form.options.append_entry()
    status = 200
    if form.validate_on_submit():
        values = {"options": [(o.text.data, o.correct.data) for o in form.options],
                  "answer": _answer(form), "tolerance": form.tolerance.data or 0,
                  "points": form.points.data, "actor": current_user}
        try:
            if question is None:
                authoring.add_question(quiz, form.kind.data, form.text.data, **values)
            else:
                authoring.update_question(question, form.kind.data, form.text.data, **values)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The question has been saved."), "success")
            return redirect(url_for("courses.questions", assessment_id=quiz.id))
    elif form.is_submitted():
        status = 400
    return form_page("question_form.html", status, form=form, quiz=quiz,
                     edition=quiz.edition, question=question)


@login_required
def new_question(assessment_id: int):
    quiz = _quiz(assessment_id)
    return _question_page(quiz, None)


@login_required
def edit_question(question_id: int):
    question = get_or_404(Question, question_id)
    require("teach", question.assessment.edition)
    return _question_page(question.assessment, question)


@login_required
def remove_question(question_id: int):
    question = get_or_404(Question, question_id)
    quiz = question.assessment
    require("teach", quiz.edition)
    try:
        authoring.remove_question(question, actor=current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    flash(_("The question has been removed."), "success")
    return redirect(url_for("courses.questions", assessment_id=quiz.id))


@login_required
def move_question(assessment_id: int, question_id: int):
    quiz = get_or_404(Assessment, assessment_id)
    question = get_or_404(Question, question_id)
    return move_in_order(quiz, question, quiz.edition, url_for(
        "courses.questions", assessment_id=quiz.id, _anchor=f"question-{question.id}"))
