"""Writing lessons: staff add or edit a lesson's text (Markdown, sanitised on save), its video
link and its downloadable files."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.permissions import require
from elearn.extensions import db

from .errors import CourseError
from .forms import LessonForm
from .models import Lesson, Module
from .services import editions
from .view_helpers import get_or_404, refused, upload_of


def _save(form: LessonForm, module: Module, lesson: Lesson | None):
    if lesson is None:
        lesson = editions.add_lesson(module, form.title.data, form.body.data or "",
                                     form.video_url.data, actor=current_user)
    else:
        editions.update_lesson(lesson, form.title.data, form.body.data or "",
                               form.video_url.data, actor=current_user)
    upload = upload_of("upload")
    if upload is not None:
        editions.add_lesson_file(lesson, upload[0], upload[1], actor=current_user)
    return lesson


def _edit(module: Module, lesson: Lesson | None):
    require("teach", module.edition)
    form = LessonForm(obj=None)
    if lesson is not None and not form.is_submitted():
        form.title.data, form.body.data = lesson.title, lesson.body_markdown
        form.video_url.data = lesson.video_url
    status = 200
    if form.validate_on_submit():
        try:
            saved = _save(form, module, lesson)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The lesson has been saved."), "success")
            return redirect(url_for("courses.lesson", lesson_id=saved.id))
    elif form.is_submitted():
        status = 400
    return render_template("courses/lesson_form.html", form=form, module=module,
                           lesson=lesson, edition=module.edition), status


@login_required
def new_lesson(module_id: int):
    return _edit(get_or_404(Module, module_id), None)


@login_required
def edit_lesson(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    return _edit(lesson.module, lesson)
