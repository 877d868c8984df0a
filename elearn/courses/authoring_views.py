"""Authoring pages: courses, new editions and their instructors (programme managers only), and
an edition's structure — its modules and the "Manage" overview (its teaching staff).
Assessments and questions are in assessment_views.py. The rules are in services.authoring."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from elearn.accounts.permissions import is_programme_manager, require
from elearn.extensions import db
from elearn.multilingual_forms import fill_language_fields, texts_from
from elearn.programme.services import activity_choices

from .assessment_models import Assessment, QuizAttempt, Submission
from .authoring_forms import (
    CourseForm,
    InstructorsForm,
    ModuleForm,
    NewEditionForm,
    first_language,
)
from .errors import CourseError
from .models import Course, Edition, Lesson, Module
from .services import authoring
from .view_helpers import (
    aware,
    edition_values,
    form_page,
    get_or_404,
    local,
    move_in_order,
    programme_manager_required,
    refusal_page,
    refused,
    teach,
)


def _activities(form_field) -> None:
    form_field.choices = [SelectChoice(0, _("None"))] + [
        SelectChoice(value, label) for value, label in activity_choices()]


def _instructor_choices(form_field) -> None:
    form_field.choices = [SelectChoice(u.id, f"{u.full_name or u.email} <{u.email}>")
                          for u in authoring.instructor_choices()]


# --- courses --------------------------------------------------------------------------------

def _course_page(course: Course | None):
    form = CourseForm()
    _activities(form.activity_id)
    if course is not None and not form.is_submitted():
        form.languages.data = list(course.languages or [])
        form.activity_id.data = course.activity_id or 0
        for field in ("title", "description"):
            fill_language_fields(form, field, getattr(course, field))
    elif course is None and not form.is_submitted():
        form.languages.data = ["es", "en"]
    status = 200
    if form.validate_on_submit():
        values = {"title": texts_from(form, "title"),
                  "description": texts_from(form, "description"),
                  "languages": form.languages.data}
        values["activity_id"] = form.activity_id.data or None
        try:
            if course is None:
                course = authoring.create_course(values, actor=current_user)
            else:
                authoring.update_course(course, values, actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The course has been saved."), "success")
            return redirect(url_for("courses.course", course_id=course.id))
    elif form.is_submitted():
        status = 400
    title = _("Edit course") if course is not None else _("New course")
    return form_page("form.html", status, form=form, heading=title, course=course,
                     multilingual=["title", "description"],
                     main=first_language(form.languages.data),
                     back=url_for("courses.course", course_id=course.id) if course
                     else url_for("courses.catalogue"))


@programme_manager_required
def new_course():
    return _course_page(None)


@programme_manager_required
def edit_course(course_id: int):
    return _course_page(get_or_404(Course, course_id))


# --- editions -------------------------------------------------------------------------------

@programme_manager_required
def new_edition(course_id: int):
    course = get_or_404(Course, course_id)
    form = NewEditionForm()
    _activities(form.activity_id)
    _instructor_choices(form.instructors)
    if not form.is_submitted():
        form.timezone.data = "America/Caracas"
        form.language.data = (course.languages or ["es"])[0]
        form.require_required_passed.data = True
    status = 200
    if form.validate_on_submit():
        try:
            edition = authoring.create_edition(
                course, edition_values(form), form.instructors.data, actor=current_user,
                activity_id=form.activity_id.data or None)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The edition has been created as a draft. Add its modules and "
                    "assessments, then open it for applications."), "success")
            return redirect(url_for("courses.manage", edition_id=edition.id))
    elif form.is_submitted():
        status = 400
    return form_page("edition_form.html", status, form=form, course=course)


@programme_manager_required
def edition_instructors(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    form = InstructorsForm()
    _instructor_choices(form.instructors)
    if not form.is_submitted():
        form.instructors.data = [i.user_id for i in edition.instructors]
    status = 200
    if form.validate_on_submit():
        try:
            authoring.set_instructors(edition, form.instructors.data, actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The instructors have been saved."), "success")
            return redirect(url_for("courses.manage", edition_id=edition.id))
    elif form.is_submitted():
        status = 400
    return form_page("form.html", status, form=form, heading=_("Instructors"),
                     edition=edition, back=url_for("courses.manage", edition_id=edition.id))


@login_required
def manage(edition_id: int):
    edition = teach(edition_id)
    modules = db.session.scalars(
        select(Module).options(selectinload(Module.lessons))
        .where(Module.edition_id == edition.id).order_by(Module.position, Module.id)).all()
    items = db.session.scalars(
        select(Assessment).options(selectinload(Assessment.questions))
        .where(Assessment.edition_id == edition.id).order_by(Assessment.position)).all()
    work = dict(db.session.execute(
        select(QuizAttempt.assessment_id, func.count(QuizAttempt.id))
        .join(Assessment, Assessment.id == QuizAttempt.assessment_id)
        .where(Assessment.edition_id == edition.id).group_by(QuizAttempt.assessment_id)).all())
    work.update(db.session.execute(
        select(Submission.assessment_id, func.count(Submission.id))
        .join(Assessment, Assessment.id == Submission.assessment_id)
        .where(Assessment.edition_id == edition.id).group_by(Submission.assessment_id)).all())
    return render_template("courses/authoring/manage.html", edition=edition,
                           modules=modules, items=items, work=work,
                           may_author=is_programme_manager(current_user))


# --- modules --------------------------------------------------------------------------------

def _module_page(edition: Edition, module: Module | None):
    form = ModuleForm()
    form.main_language = edition.language
    tz = edition.timezone
    if module is not None and not form.is_submitted():
        form.process(obj=module)
        for field in ("title", "summary"):
            fill_language_fields(form, field, getattr(module, field))
        form.opens_at.data, form.closes_at.data = local(module.opens_at, tz), \
            local(module.closes_at, tz)
    status = 200
    if form.validate_on_submit():
        values = {"title": texts_from(form, "title"), "summary": texts_from(form, "summary")}
        values.update(opens_at=aware(form.opens_at.data, tz),
                      closes_at=aware(form.closes_at.data, tz),
                      hours=form.hours.data if form.hours.data is not None else 0)
        try:
            if module is None:
                authoring.add_module(edition, values, actor=current_user)
            else:
                authoring.update_module(module, values, actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The module has been saved."), "success")
            return redirect(url_for("courses.manage", edition_id=edition.id))
    elif form.is_submitted():
        status = 400
    heading = _("Edit module") if module is not None else _("New module")
    return form_page("form.html", status, form=form, heading=heading, edition=edition,
                     multilingual=["title", "summary"], main=edition.language,
                     back=url_for("courses.manage", edition_id=edition.id))


@login_required
def new_module(edition_id: int):
    return _module_page(teach(edition_id), None)


@login_required
def edit_module(module_id: int):
    module = get_or_404(Module, module_id)
    require("teach", module.edition)
    return _module_page(module.edition, module)


@login_required
def move_module(module_id: int):
    module = get_or_404(Module, module_id)
    return move_in_order(module.edition, module, module.edition, url_for(
        "courses.manage", edition_id=module.edition_id, _anchor=f"module-{module.id}"))


@login_required
def move_lesson(module_id: int, lesson_id: int):
    module = get_or_404(Module, module_id)
    lesson = get_or_404(Lesson, lesson_id)
    return move_in_order(module, lesson, module.edition, url_for(
        "courses.manage", edition_id=module.edition_id, _anchor=f"lesson-{lesson.id}"))


@login_required
def remove_module(module_id: int):
    module = get_or_404(Module, module_id)
    edition = module.edition
    require("teach", edition)
    try:
        authoring.remove_module(module, actor=current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    flash(_("The module has been removed."), "success")
    return redirect(url_for("courses.manage", edition_id=edition.id))

