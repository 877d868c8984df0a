"""Asking a form: the fields of one version for a page, checked on the server, and the answers
saved. The host page brings its own Flask-WTF form (and with it the CSRF token); the questions
are a plain WTForms form bound to the same request, prefixed `q-`, so no JavaScript is needed:
a question shown only after a given answer is always on the page with a hint, and the server
ignores it (and its "required") when the earlier answer does not call for it.

    asked = ask(version, language, request.form, request.files)
    if host_form.validate_on_submit() & asked.validate(): save_response(version, asked)
"""

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import (
    DateField,
    FileField,
    FloatField,
    Form,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from elearn import storage, uploads
from elearn.accounts.services.members import country_choices, is_valid_country
from elearn.extensions import db
from elearn.form_checks import SensibleDate, SingleLine

from .models import FormAnswer, FormQuestion, FormResponse, FormVersion, QuestionType
from .texts import in_language

FILES = storage.area("form_files", "FORM_FILES_DIR")
FILE_KINDS = {uploads.PDF, uploads.PNG, uploads.JPEG, uploads.DOCX}
FILE_LIMIT = 5 * 1024 * 1024
SHORT_LIMIT, LONG_LIMIT = 500, 5000
RATING_POINTS = ("1", "2", "3", "4", "5")
PREFIX = "q-"


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


@dataclass
class Shown:
    """A question as the page shows it: its field (None for an information block) and, for a
    conditional one, the sentence saying when to answer it."""
    question: FormQuestion
    field: object | None
    text: str
    help: str
    when: str | None
    section_title: str | None  # set on the first question of each section
    # A file question already answered in the response being changed: the file kept when the
    # field is left empty (linked so the person can check what they sent).
    given: FormAnswer | None = None


def _yes_no():
    return [("yes", _("Yes")), ("no", _("No"))]


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _rating_choices(question: FormQuestion, language: str):
    low = in_language(question.settings.get("low"), language)
    high = in_language(question.settings.get("high"), language)
    labels = {"1": low, "5": high}
    return [(p, f"{p} – {labels[p]}" if labels.get(p) else p) for p in RATING_POINTS]


def _field(question: FormQuestion, language: str):
    text = in_language(question.text, language)
    kind = question.type
    if kind is QuestionType.SHORT_TEXT:
        return StringField(text, [Optional(), Length(max=SHORT_LIMIT), SingleLine()])
    if kind is QuestionType.LONG_TEXT:
        return TextAreaField(text, [Optional(), Length(max=LONG_LIMIT)])
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        choices = [(o.key, in_language(o.label, language)) for o in question.options]
        cls = RadioField if kind is QuestionType.SINGLE_CHOICE else CheckboxesField
        return cls(text, choices=_choices(choices), validate_choice=True,
                   validators=[Optional()] if kind is QuestionType.SINGLE_CHOICE else [])
    if kind is QuestionType.YES_NO:
        return RadioField(text, choices=_choices(_yes_no()), validators=[Optional()])
    if kind is QuestionType.RATING:
        return RadioField(text, choices=_choices(_rating_choices(question, language)),
                          validators=[Optional()])
    if kind is QuestionType.NUMBER:
        low, high = question.settings.get("min"), question.settings.get("max")
        checks = [Optional(), _finite]
        if low is not None or high is not None:
            checks.append(NumberRange(min=low, max=high))
        return FloatField(text, checks)
    if kind is QuestionType.DATE:
        return DateField(text, [Optional(), SensibleDate()])
    if kind is QuestionType.COUNTRY:
        choices = [("", _("Choose a country"))] + [
            (code, name) for _group, names in country_choices(language) for code, name in names]
        return SelectField(text, choices=_choices(choices), validate_choice=False)
    if kind is QuestionType.FILE:
        return FileField(text)
    raise ValueError(kind)


def _finite(form, field) -> None:
    """Refuse "nan" and "inf": they parse as floats, no answer means them, and they spoil means."""
    if isinstance(field.data, float) and not math.isfinite(field.data):
        raise ValidationError(_("Enter a number."))


def _condition_text(question: FormQuestion, by_key: dict[str, FormQuestion], language: str) -> str:
    earlier = by_key.get(question.condition_key)
    if earlier is None:
        return ""
    labels = {o.key: in_language(o.label, language) for o in earlier.options}
    labels.update(dict(_yes_no()))
    values = [labels.get(v, v) for v in question.condition_values or []]
    return _("Answer only if you answered “%(values)s” to “%(question)s”.",
             values=" / ".join(values), question=in_language(earlier.text, language))


class AskedForm(Form):
    """The questions of one version, bound to a request. Built by `ask`."""

    shown: list[Shown]

    def field_of(self, question: FormQuestion):
        return self._fields.get(question.key)

    def chosen(self, key: str) -> set[str]:
        field = self._fields.get(key)
        if field is None or field.data in (None, "", []):
            return set()
        return set(field.data) if isinstance(field.data, list) else {str(field.data)}

    def asks(self, question: FormQuestion) -> bool:
        """Whether the answers given call for this question (its condition, recursively)."""
        if not question.condition_key:
            return True
        earlier = self._by_key.get(question.condition_key)
        if earlier is None or not self.asks(earlier):
            return False
        return bool(self.chosen(earlier.key) & set(question.condition_values or []))

    def validate(self, extra_validators=None) -> bool:
        ok = True
        for entry in self.shown:
            question, field = entry.question, entry.field
            if field is None:
                continue
            if not self.asks(question):
                field.data = None
                field.errors = []
                continue
            if not field.validate(self):
                ok = False
                continue
            if question.required and _empty(field.data):
                field.errors = [_("Answer this question.")]
                ok = False
            elif question.type is QuestionType.COUNTRY and field.data \
                    and not is_valid_country(field.data):
                field.errors = [_("Choose a country from the list.")]
                ok = False
            elif question.type is QuestionType.FILE and not _empty(field.data):
                ok = _check_file(field) and ok
        return ok


def _empty(value) -> bool:
    if isinstance(value, FileStorage):
        return not value.filename
    return value is None or value == "" or value == [] or (
        isinstance(value, str) and not value.strip())


def _check_file(field) -> bool:
    data = uploads.read_limited(field.data.stream, FILE_LIMIT)
    try:
        kind = uploads.check(data, FILE_KINDS, FILE_LIMIT)
    except uploads.UploadRefused as refused:
        field.errors = [{
            uploads.Refusal.EMPTY: _l("The file is empty."),
            uploads.Refusal.TOO_LARGE: _l("The file is larger than %(mb)s MB.",
                                          mb=refused.limit_mb),
            uploads.Refusal.WRONG_KIND: _l("Upload a PDF, Word document, PNG or JPEG file."),
        }[refused.reason]]
        return False
    field.checked = (data, kind)
    return True


def ask(version: FormVersion, language: str, formdata=None, files=None,
        response: FormResponse | None = None) -> AskedForm:
    """The questions of `version` as a form bound to the request (or showing `response`'s
    answers when there is no request data). A file already given in `response` is named with
    its question whenever `response` answers this same version (only then is it kept)."""
    questions = list(version.questions)
    fields = {q.key: _field(q, language) for q in questions if q.type.answered}
    form_class = type("Asked", (AskedForm,), fields)
    data = None
    if formdata is not None and files:
        data = formdata.copy()
        for name, upload in files.items():
            data.add(name, upload)
    initial = _initial(response) if response is not None and formdata is None else {}
    form = form_class(formdata=data if data is not None else formdata, prefix=PREFIX,
                      data=initial)
    form._by_key = {q.key: q for q in questions}
    given = {a.question_id: a for a in response.answers if a.stored_name} \
        if response is not None and response.version_id == version.id else {}
    shown, last_section = [], None
    for q in questions:
        field = form._fields.get(q.key)
        if field is not None:
            field.flags.required = q.required
        first = q.section_id != last_section
        last_section = q.section_id
        shown.append(Shown(
            question=q, field=field, text=in_language(q.text, language),
            help=in_language(q.help, language),
            when=_condition_text(q, form._by_key, language) if q.condition_key else None,
            section_title=in_language(q.section.title, language) if first else None,
            given=given.get(q.id)))
    form.shown = shown
    return form


def _initial(response: FormResponse) -> dict:
    values: dict = {}
    for answer in response.answers:
        q = answer.question
        if q.type is QuestionType.MULTIPLE_CHOICE:
            values.setdefault(q.key, []).append(answer.option.key)
        elif q.type is QuestionType.SINGLE_CHOICE:
            values[q.key] = answer.option.key
        elif q.type is QuestionType.YES_NO:
            values[q.key] = "yes" if answer.number else "no"
        elif q.type is QuestionType.RATING:
            values[q.key] = str(int(answer.number))
        elif q.type is QuestionType.NUMBER:
            values[q.key] = answer.number
        elif q.type is QuestionType.DATE:
            values[q.key] = answer.day
        elif q.type is not QuestionType.FILE:
            values[q.key] = answer.text
    return values


def answers_of(form: AskedForm) -> list[FormAnswer]:
    """Unsaved FormAnswer rows for a validated form (files are stored now)."""
    found = []
    for entry in form.shown:
        q, field = entry.question, entry.field
        if field is None or not form.asks(q) or _empty(field.data):
            continue
        options = {o.key: o for o in q.options}
        if q.type is QuestionType.SINGLE_CHOICE:
            found.append(FormAnswer(question=q, option=options[field.data]))
        elif q.type is QuestionType.MULTIPLE_CHOICE:
            found += [FormAnswer(question=q, option=options[key]) for key in field.data]
        elif q.type is QuestionType.YES_NO:
            found.append(FormAnswer(question=q, number=1.0 if field.data == "yes" else 0.0))
        elif q.type in (QuestionType.RATING, QuestionType.NUMBER):
            found.append(FormAnswer(question=q, number=float(field.data)))
        elif q.type is QuestionType.DATE:
            found.append(FormAnswer(question=q, day=field.data))
        elif q.type is QuestionType.FILE:
            data, kind = field.checked
            stored = uploads.store(FILES, data, uploads.EXTENSIONS[kind],
                                   uploads.CONTENT_TYPES[kind])
            found.append(FormAnswer(question=q, stored_name=stored,
                                filename=uploads.safe_filename(field.data.filename, kind)))
        else:
            found.append(FormAnswer(question=q, text=field.data.strip()))
    return found


def save_response(version: FormVersion, form: AskedForm,
                  replacing: FormResponse | None = None) -> FormResponse:
    """A new response (added to the session, not committed) with the validated answers. When
    `replacing` is given, its answers are replaced (a file question left empty keeps the file
    already given) — the response keeps the version it was first given under only if that is
    still `version`; otherwise the old response is deleted and a new one made."""
    answers = answers_of(form)
    if replacing is not None and replacing.version_id == version.id:
        kept_files = {a.question_id: a for a in replacing.answers
                      if a.stored_name and not any(n.question_id == a.question_id
                                                    for n in answers)}
        for old in list(replacing.answers):
            if old.question_id in kept_files:
                continue
            if old.stored_name:
                uploads.remove(FILES, old.stored_name)
            replacing.answers.remove(old)
        db.session.flush()
        replacing.answers.extend(answers)
        return replacing
    if replacing is not None:
        delete_response(replacing)
    response = FormResponse(version=version, answers=answers)
    db.session.add(response)
    return response


def delete_response(response: FormResponse) -> None:
    """Remove a response and its uploaded files (erasure, a cancelled registration...)."""
    for answer in response.answers:
        if answer.stored_name:
            uploads.remove(FILES, answer.stored_name)
    db.session.delete(response)


def require_answers_valid(form: AskedForm) -> None:
    """For callers without a page (CLI, demo): raise with the first error."""
    if not form.validate():
        errors = {k: v for k, v in form.errors.items() if v}
        raise ValidationError(str(errors))
