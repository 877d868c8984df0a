"""A question's own page in the builder: add one (type first, then its wording in each
language, settings, condition), change it, move it, remove it; the options of a choice
question. Questions and options are named by key in URLs: a new version copies rows, so ids
change while keys stay. URLs are in blueprint.py."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import SelectChoice

from . import editing
from .builder_views import change, editable_form, editor_page, form_languages, language
from .forms import (
    TYPE_LABELS,
    ActionForm,
    MoveForm,
    OptionForm,
    QuestionForm,
    TypeForm,
    fill_texts,
    question_form_class,
    texts_of,
)
from .models import Form, FormQuestion, FormVersion, QuestionType
from .texts import in_language

SENSITIVE_HINT = _l("Health, accessibility: only the organisers of this event will see the "
                    "answers.")


def _current_question(form: Form, key: str) -> tuple[FormVersion, FormQuestion]:
    version = form.current_version
    question = editing.question_by_key(version, key) if version is not None else None
    if question is None:
        abort(404)
    return version, question


def _section_number(version: FormVersion, question: FormQuestion) -> int:
    return list(version.sections).index(question.section) + 1


def _condition_groups(version: FormVersion, shown: list[FormQuestion], lang: str) -> list:
    """The answers a condition may wait for, grouped by question, for the checkboxes."""
    groups = []
    for source in shown:
        if source.type is QuestionType.YES_NO:
            labels = [("yes", _("Yes")), ("no", _("No"))]
        else:
            labels = [(o.key, in_language(o.label, lang)) for o in source.options]
        groups.append({"text": in_language(source.text, lang), "key": source.key,
                       "values": [(f"{source.key}={value}", label) for value, label in labels]})
    return groups


def _prepare(qform: QuestionForm, version: FormVersion, question: FormQuestion | None,
             section_number: int) -> list:
    """Fill the choices of the section list and of the condition; returns the condition groups
    shown (the earlier questions only; any other is refused with a message on saving)."""
    lang = language()
    qform.section.choices = [
        SelectChoice(n, f"{n}. {in_language(s.title, lang) or _('Untitled section')}")
        for n, s in enumerate(version.sections, start=1)]
    sources = editing.condition_sources(version, question.key if question else None)
    qform.condition.choices = [SelectChoice(f"{s.key}={v}", v) for s in sources
                               for v in editing.values_of(s)]
    order = editing.ordered_questions(version)
    if question is not None:
        earlier = order[:order.index(question)]
    else:
        earlier = [q for s in list(version.sections)[:section_number] for q in s.questions]
    return _condition_groups(version, [s for s in sources if s in earlier], lang)


def _question_page(form: Form, qform: QuestionForm, kind: QuestionType, groups: list,
                   question: FormQuestion | None = None, status: int = 200, error=None,
                   option_form: OptionForm | None = None):
    lang = language()
    options = [{"option": o, "label": in_language(o.label, lang)}
               for o in (question.options if question is not None else [])]
    return render_template(
        "forms/question.html", form=form, qform=qform, kind=kind, kind_label=TYPE_LABELS[kind],
        question=question, groups=groups, error=error, languages=form_languages(),
        main=editing.main_language(form), options=options, sensitive_hint=SENSITIVE_HINT,
        option_form=option_form or OptionForm(formdata=None, prefix="option"),
        form_title=in_language(form.title, lang),
        text=in_language(question.text, lang) if question is not None else None), status


@login_required
def new_question(form_id: int):
    form = editable_form(form_id)
    version = form.current_version
    if version is None or not version.sections:
        return editor_page(form, 409, _("Add a section first: questions go in sections."))
    number = request.args.get("section", 1, type=int)
    number = number if 1 <= number <= len(version.sections) else 1
    if "type" not in request.args:
        return _type_page(form, TypeForm(formdata=None, section=number))
    try:
        kind = QuestionType(request.args["type"])
    except ValueError:
        chooser = TypeForm(formdata=request.args)
        chooser.validate()
        return _type_page(form, chooser, 400)
    qform = question_form_class(kind, creating=True)(main=editing.main_language(form))
    groups = _prepare(qform, version, None, number)
    if request.method == "GET":
        qform.section.data = number
        return _question_page(form, qform, kind, groups)
    if not qform.validate_on_submit():
        return _question_page(form, qform, kind, groups, status=400)
    values = qform.values()
    added, refused = change(form, lambda: editing.add_question(form, values, language()))
    if refused:
        version = form.current_version
        groups = _prepare(qform, version, None, number)
        return _question_page(form, qform, kind, groups, status=refused.status,
                              error=refused.message)
    flash(_("Question added."), "success")
    return redirect(url_for("forms.edit", form_id=form.id, _anchor=f"q-{added.key}"))


def _type_page(form: Form, chooser: TypeForm, status: int = 200):
    return render_template("forms/question_type.html", form=form, chooser=chooser,
                           form_title=in_language(form.title, language())), status


@login_required
def edit_question(form_id: int, key: str):
    form = editable_form(form_id)
    version, question = _current_question(form, key)
    qform = question_form_class(question.type, creating=False)(main=editing.main_language(form))
    groups = _prepare(qform, version, question, _section_number(version, question))
    if request.method == "GET":
        qform.fill(question, _section_number(version, question))
        return _question_page(form, qform, question.type, groups, question)
    if not qform.validate_on_submit():
        return _question_page(form, qform, question.type, groups, question, 400)
    values = qform.values()
    _result, refused = change(form, lambda: editing.update_question(form, key, values,
                                                                    language()))
    if refused:
        version, question = _current_question(form, key)
        groups = _prepare(qform, version, question, _section_number(version, question))
        return _question_page(form, qform, question.type, groups, question, refused.status,
                              refused.message)
    flash(_("Question saved."), "success")
    return redirect(url_for("forms.edit", form_id=form.id, _anchor=f"q-{key}"))


def _refused_on_question(form: Form, key: str, refused, option_form=None):
    version, question = _current_question(form, key)
    qform = question_form_class(question.type, creating=False)(
        formdata=None, main=editing.main_language(form))
    groups = _prepare(qform, version, question, _section_number(version, question))
    qform.fill(question, _section_number(version, question))
    return _question_page(form, qform, question.type, groups, question, refused.status,
                          refused.message, option_form)


@login_required
def move_question(form_id: int, key: str):
    form = editable_form(form_id)
    _current_question(form, key)
    move = MoveForm()
    if not move.validate_on_submit():
        abort(400)
    _result, refused = change(form, lambda: editing.move_question(
        form, key, move.direction.data, language()))
    if refused:
        return editor_page(form, refused.status, refused.message)
    return redirect(url_for("forms.edit", form_id=form.id, _anchor=f"q-{key}"))


@login_required
def remove_question(form_id: int, key: str):
    form = editable_form(form_id)
    _version, question = _current_question(form, key)
    if request.method == "GET":
        return render_template("forms/remove_question.html", form=form, question=question,
                               text=in_language(question.text, language()),
                               answered=editing.answered(form))
    if not ActionForm().validate_on_submit():
        abort(400)
    _result, refused = change(form, lambda: editing.remove_question(form, key, language()))
    if refused:
        return editor_page(form, refused.status, refused.message)
    flash(_("Question removed."), "success")
    return redirect(url_for("forms.edit", form_id=form.id))


# --- options ----------------------------------------------------------------------------------

def _choice_question(form: Form, key: str) -> FormQuestion:
    _version, question = _current_question(form, key)
    if not question.type.has_options:
        abort(404)
    return question


def _to_options(form: Form, key: str):
    return redirect(url_for("forms.edit_question", form_id=form.id, key=key,
                            _anchor="options"))


@login_required
def add_option(form_id: int, key: str):
    form = editable_form(form_id)
    _choice_question(form, key)
    option_form = OptionForm(main=editing.main_language(form), prefix="option")
    if not option_form.validate_on_submit():
        return _refused_on_question(form, key, editing.EditRefused(
            _("Check the new option."), 400), option_form)
    _result, refused = change(form, lambda: editing.add_option(
        form, key, texts_of(option_form, "label")))
    if refused:
        return _refused_on_question(form, key, refused, option_form)
    flash(_("Option added."), "success")
    return _to_options(form, key)


@login_required
def edit_option(form_id: int, key: str, option: str):
    form = editable_form(form_id)
    question = _choice_question(form, key)
    found = editing.option_by_key(question, option)
    if found is None:
        abort(404)
    option_form = OptionForm(main=editing.main_language(form), prefix="option")
    status, error = 200, None
    if request.method == "GET":
        fill_texts(option_form, "label", found.label)
    elif option_form.validate_on_submit():
        _result, refused = change(form, lambda: editing.rename_option(
            form, key, option, texts_of(option_form, "label")))
        if refused is None:
            flash(_("Option saved."), "success")
            return _to_options(form, key)
        status, error = refused.status, refused.message
    else:
        status = 400
    return render_template("forms/option.html", form=form, key=key, option=option,
                           option_form=option_form, error=error, languages=form_languages(),
                           main=editing.main_language(form),
                           text=in_language(question.text, language())), status


@login_required
def move_option(form_id: int, key: str, option: str):
    form = editable_form(form_id)
    _choice_question(form, key)
    move = MoveForm()
    if not move.validate_on_submit():
        abort(400)
    _result, refused = change(form, lambda: editing.move_option(form, key, option,
                                                                move.direction.data))
    if refused:
        return _refused_on_question(form, key, refused)
    return _to_options(form, key)


@login_required
def remove_option(form_id: int, key: str, option: str):
    form = editable_form(form_id)
    _choice_question(form, key)
    if not ActionForm().validate_on_submit():
        abort(400)
    _result, refused = change(form, lambda: editing.remove_option(form, key, option,
                                                                  language()))
    if refused:
        return _refused_on_question(form, key, refused)
    flash(_("Option removed."), "success")
    return _to_options(form, key)
