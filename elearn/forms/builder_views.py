"""The organiser's form builder: the list of forms one may edit, the editor of one form (title,
sections, the questions listed), and the preview as participants see it. Questions and options
have their own pages (question_views.py). URLs are in blueprint.py.

Every change goes through editing.py, which starts from `building.editable_version`; a refused
change rolls the whole request back, and the page says why with a 4xx.
"""

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.permissions import can
from elearn.extensions import db

from . import answering, editing
from .forms import (
    PURPOSE_LABELS,
    TYPE_LABELS,
    ActionForm,
    MoveForm,
    TitleForm,
    fill_texts,
    texts_of,
)
from .models import Form, FormQuestion, QuestionType
from .rules import owner_of
from .texts import in_language

VERSION_NOTE = _l("People already answered this form; your changes apply to new answers. "
                  "Earlier answers keep the wording they were given under.")
OWNER_KINDS = {"event": _l("Event"), "edition": _l("Course edition"),
               "hackathon": _l("Hackathon")}


# --- shared by the builder's views ------------------------------------------------------------

def language() -> str:
    return str(get_locale())


def editable_form(form_id: int) -> Form:
    form = db.session.get(Form, form_id)
    if form is None:
        abort(404)
    if not can(current_user, "edit", form):
        abort(403)
    return form


def change(form: Form, apply: Callable[[], object]):
    """Run one edit; commit it, or roll everything back. Returns (result, refusal): after a
    change that started a new version, the page says that earlier answers keep their wording."""
    before = form.current_version_id
    try:
        result = apply()
        db.session.flush()
    except editing.EditRefused as refused:
        db.session.rollback()
        return None, refused
    made_version = form.current_version_id != before
    db.session.commit()
    if made_version:
        flash(VERSION_NOTE, "warning")
    return result, None


def condition_text(question: FormQuestion, version, lang: str) -> str | None:
    if not question.condition_key:
        return None
    source = editing.question_by_key(version, question.condition_key)
    if source is None:
        return None
    labels = {o.key: in_language(o.label, lang) for o in source.options}
    labels.update(yes=_("Yes"), no=_("No"))
    return _("Shown only after the answer “%(values)s” to “%(question)s”.",
             values=" / ".join(labels.get(v, v) for v in question.condition_values or []),
             question=in_language(source.text, lang))


def _owner_name(form: Form, lang: str) -> str:
    """The event, edition or hackathon a form belongs to, by its own title fields (forms sit
    below those domains and cannot import them)."""
    owner = owner_of(form)
    if owner is None:
        return ""
    subject = getattr(owner, "event", None) or owner
    course = getattr(owner, "course", None)

    # Multilingual models (elearn.multilingual) read their own fields: text(field, language).
    if course is not None:
        return f"{course.text('title', lang)} — {owner.text('name', lang)}"
    return subject.text("title", lang)


# --- the list ---------------------------------------------------------------------------------

@login_required
def mine():
    """Every form the person may edit: those of the events, editions and hackathon they run
    (and the shipped templates for the Secretariat)."""
    lang = language()
    rows = []
    for form in db.session.scalars(select(Form).order_by(Form.owner_kind, Form.owner_id,
                                                         Form.id)):
        if can(current_user, "edit", form):
            rows.append({"form": form, "title": in_language(form.title, lang),
                         "purpose": PURPOSE_LABELS[form.purpose],
                         "kind": OWNER_KINDS.get(form.owner_kind or "", _("Template")),
                         "owner": _owner_name(form, lang)})
    return render_template("forms/mine.html", rows=rows)


# --- the editor -------------------------------------------------------------------------------

def editor_page(form: Form, status: int = 200, error=None, title_form=None, section_form=None):
    lang = language()
    version = form.current_version
    if title_form is None:
        title_form = TitleForm(formdata=None, required_language=editing.main_language(form))
        fill_texts(title_form, "title", form.title)
    sections = []
    for number, section in enumerate(version.sections if version else [], start=1):
        rows = [{"question": q, "text": in_language(q.text, lang),
                 "type": TYPE_LABELS[q.type], "when": condition_text(q, version, lang)}
                for q in section.questions]
        sections.append({"number": number, "section": section, "rows": rows,
                         "title": in_language(section.title, lang)})
    return render_template(
        "forms/edit.html", form=form, version=version, sections=sections,
        title=in_language(form.title, lang), purpose=PURPOSE_LABELS[form.purpose],
        owner=_owner_name(form, lang), answered=editing.answered(form), error=error,
        title_form=title_form,
        section_form=section_form or TitleForm(formdata=None, prefix="section"),
        questions_count=len(version.questions) if version else 0,
        max_questions=editing.MAX_QUESTIONS, languages=form_languages()), status


def form_languages() -> dict:
    return {code: name for code, name in current_app.config["LANGUAGES"].items()
            if code in editing.LANGUAGES}


@login_required
def edit(form_id: int):
    return editor_page(editable_form(form_id))


def _back(form: Form, anchor: str | None = None):
    return redirect(url_for("forms.edit", form_id=form.id, _anchor=anchor))


@login_required
def save_title(form_id: int):
    form = editable_form(form_id)
    title_form = TitleForm(required_language=editing.main_language(form))
    if not title_form.validate_on_submit():
        return editor_page(form, 400, title_form=title_form)
    _result, refused = change(form, lambda: editing.set_title(form, texts_of(title_form,
                                                                            "title")))
    if refused:
        return editor_page(form, refused.status, refused.message)
    flash(_("Title saved."), "success")
    return _back(form)


@login_required
def add_section(form_id: int):
    form = editable_form(form_id)
    section_form = TitleForm(prefix="section")
    if not section_form.validate_on_submit():
        return editor_page(form, 400, section_form=section_form)
    _result, refused = change(form, lambda: editing.add_section(
        form, texts_of(section_form, "title")))
    if refused:
        return editor_page(form, refused.status, refused.message)
    flash(_("Section added."), "success")
    count = len(form.current_version.sections)
    return _back(form, f"section-{count}")


@login_required
def edit_section(form_id: int, section: int):
    form = editable_form(form_id)
    found = editing.section_at(form.current_version, section) if form.current_version else None
    if found is None:
        abort(404)
    title_form = TitleForm(prefix="section")
    if request.method == "POST" and title_form.validate_on_submit():
        _result, refused = change(form, lambda: editing.rename_section(
            form, section, texts_of(title_form, "title")))
        if refused is None:
            flash(_("Section saved."), "success")
            return _back(form, f"section-{section}")
        return editor_page(form, refused.status, refused.message)
    if request.method == "GET":
        fill_texts(title_form, "title", found.title)
    return render_template("forms/section.html", form=form, number=section,
                           title_form=title_form, languages=form_languages(),
                           form_title=in_language(form.title, language())), \
        400 if request.method == "POST" else 200


@login_required
def move_section(form_id: int, section: int):
    form = editable_form(form_id)
    move = MoveForm()
    if not move.validate_on_submit():
        abort(400)
    _result, refused = change(form, lambda: editing.move_section(
        form, section, move.direction.data, language()))
    if refused:
        return editor_page(form, refused.status, refused.message)
    return _back(form, f"section-{section + (-1 if move.direction.data == 'up' else 1)}")


@login_required
def remove_section(form_id: int, section: int):
    form = editable_form(form_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    _result, refused = change(form, lambda: editing.remove_section(form, section))
    if refused:
        return editor_page(form, refused.status, refused.message)
    flash(_("Section removed."), "success")
    return _back(form)


# --- the preview ------------------------------------------------------------------------------

@login_required
def preview(form_id: int):
    """The form as participants see it, in any interface language; answers sent here are
    checked as they would be, and never saved."""
    form = editable_form(form_id)
    version = form.current_version
    if version is None:
        abort(404)
    wanted = request.args.get("lang", "")
    lang = wanted if wanted in editing.LANGUAGES else language()
    posted = request.method == "POST"
    if posted and not ActionForm().validate_on_submit():
        abort(400)
    with force_locale(lang):
        asked = answering.ask(version, lang, request.form if posted else None,
                              request.files if posted else None)
        accepted = asked.validate() if posted else None
        questions_html = render_template("forms/_preview_questions.html", asked=asked)
    has_file = any(q.type is QuestionType.FILE for q in version.questions)
    return render_template(
        "forms/preview.html", form=form, lang=lang, languages=form_languages(),
        title=in_language(form.title, lang), questions_html=questions_html,
        accepted=accepted, has_file=has_file), 400 if accepted is False else 200
