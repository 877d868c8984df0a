"""The builder's forms: texts in each interface language (one field per language), a question's
settings and condition, options. Checked here field by field; the rules about the form as a
whole (conditions on earlier questions, limits) are in editing.py."""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from elearn.form_checks import SingleLine, has_control_characters

from .answering import CheckboxesField
from .editing import LANGUAGES, MAX_OPTIONS, QuestionValues
from .models import FormPurpose, FormQuestion, QuestionType

TITLE_MAX, TEXT_MAX, INFO_MAX, HELP_MAX, LABEL_MAX = 300, 500, 3000, 1000, 200
NUMBER_LIMIT = 1e12

TYPE_LABELS = {
    QuestionType.SHORT_TEXT: _l("Short text"),
    QuestionType.LONG_TEXT: _l("Long text"),
    QuestionType.SINGLE_CHOICE: _l("Single choice"),
    QuestionType.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionType.YES_NO: _l("Yes or no"),
    QuestionType.RATING: _l("Rating scale (1 to 5)"),
    QuestionType.NUMBER: _l("Number"),
    QuestionType.DATE: _l("Date"),
    QuestionType.COUNTRY: _l("Country"),
    QuestionType.FILE: _l("File upload"),
    QuestionType.INFO: _l("Information (no answer)"),
}
PURPOSE_LABELS = {
    FormPurpose.REGISTRATION: _l("Registration questions"),
    FormPurpose.SURVEY: _l("Evaluation survey"),
}
_LINES = re.compile(r"\r\n|\r|\n")


def texts_of(form, name: str) -> dict:
    """{language: text} of the fields `<name>_<language>`, empty ones left out."""
    found = {}
    for lang in LANGUAGES:
        field = form._fields.get(f"{name}_{lang}")
        value = (field.data or "").strip() if field is not None else ""
        if value:
            found[lang] = value
    return found


def fill_texts(form, name: str, texts: dict | None) -> None:
    for lang in LANGUAGES:
        field = form._fields.get(f"{name}_{lang}")
        if field is not None:
            field.data = (texts or {}).get(lang, "")


def _add_error(field, message) -> None:
    field.errors = [*field.errors, message]


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[InputRequired(), AnyOf(["up", "down"])])


class TitleForm(FlaskForm):
    """A title in each language (the form's, a section's)."""

    title_en = StringField(_l("Title"), [Optional(), Length(max=TITLE_MAX), SingleLine()])
    title_es = StringField(_l("Title"), [Optional(), Length(max=TITLE_MAX), SingleLine()])
    title_pt = StringField(_l("Title"), [Optional(), Length(max=TITLE_MAX), SingleLine()])
    title_fr = StringField(_l("Title"), [Optional(), Length(max=TITLE_MAX), SingleLine()])

    def __init__(self, *args, required_language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.required_language = required_language

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.required_language and not texts_of(self, "title"):
            _add_error(self[f"title_{self.required_language}"], _("Give a title."))
            ok = False
        return ok


class OptionForm(FlaskForm):
    label_en = StringField(_l("Option"), [Optional(), Length(max=LABEL_MAX), SingleLine()])
    label_es = StringField(_l("Option"), [Optional(), Length(max=LABEL_MAX), SingleLine()])
    label_pt = StringField(_l("Option"), [Optional(), Length(max=LABEL_MAX), SingleLine()])
    label_fr = StringField(_l("Option"), [Optional(), Length(max=LABEL_MAX), SingleLine()])

    def __init__(self, *args, main: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.main = main

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not texts_of(self, "label").get(self.main):
            _add_error(self[f"label_{self.main}"],
                       _("Write the option in the form's main language."))
            ok = False
        return ok


class TypeForm(FlaskForm):
    """Step one of a new question: its type (a GET form: choosing changes nothing)."""

    class Meta:
        csrf = False

    type = RadioField(_l("Type of question"), validators=[InputRequired()],
                      choices=[SelectChoice(t.value, label) for t, label in TYPE_LABELS.items()])
    section = HiddenField()


class QuestionForm(FlaskForm):
    """Base of the per-type classes `question_form_class` makes."""

    question_type: QuestionType
    creating: bool

    def __init__(self, *args, main: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.main = main
        self.option_labels: list[dict] = []
        self.condition_key: str | None = None
        self.condition_values: list[str] = []

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not texts_of(self, "text").get(self.main):
            _add_error(self[f"text_{self.main}"],
                       _("Write the question in the form's main language."))
            ok = False
        low, high = self._fields.get("minimum"), self._fields.get("maximum")
        if low is not None and not low.errors and not high.errors and \
                low.data is not None and high.data is not None and low.data > high.data:
            _add_error(high, _("The largest number must not be below the smallest."))
            ok = False
        if self.creating and self.question_type.has_options:
            ok = self._read_options() and ok
        return self._read_condition() and ok

    def _read_options(self) -> bool:
        lines = {}
        for lang in LANGUAGES:
            field = self[f"options_{lang}"]
            lines[lang] = [line.strip() for line in _LINES.split(field.data or "")
                           if line.strip()]
            if any(has_control_characters(line) for line in lines[lang]):
                _add_error(field, _("Each option must be a single line of text."))
                return False
            if any(len(line) > LABEL_MAX for line in lines[lang]):
                _add_error(field, _("An option has at most %(n)s characters.", n=LABEL_MAX))
                return False
        main = lines[self.main]
        if not main:
            _add_error(self[f"options_{self.main}"],
                       _("Give at least one option, one per line, in the form's main language."))
            return False
        if len(main) > MAX_OPTIONS:
            _add_error(self[f"options_{self.main}"],
                       _("A question has at most %(n)s options.", n=MAX_OPTIONS))
            return False
        for lang, found in lines.items():
            if found and len(found) != len(main):
                _add_error(self[f"options_{lang}"], _(
                    "Give as many lines as in the main language (%(n)s), in the same order.",
                    n=len(main)))
                return False
        self.option_labels = [{lang: lines[lang][i] for lang in LANGUAGES if lines[lang]}
                              for i in range(len(main))]
        return True

    def _read_condition(self) -> bool:
        field = self.condition
        if field.errors:
            return False
        pairs = [value.split("=", 1) for value in field.data or []]
        keys = {key for key, _value in pairs}
        if len(keys) > 1:
            _add_error(field, _("Choose answers of one question only."))
            return False
        self.condition_key = keys.pop() if keys else None
        self.condition_values = [value for _key, value in pairs]
        return True

    def values(self) -> QuestionValues:
        kind = self.question_type
        settings: dict = {}
        if kind is QuestionType.RATING:
            settings = {end: texts_of(self, end) for end in ("low", "high")
                        if texts_of(self, end)}
        elif kind is QuestionType.NUMBER:
            settings = {name: _number(self[field].data)
                        for name, field in (("min", "minimum"), ("max", "maximum"))
                        if self[field].data is not None}
        answered = kind.answered
        return QuestionValues(
            type=kind, section=self.section.data, text=texts_of(self, "text"),
            help=texts_of(self, "help"), settings=settings,
            required=answered and self.required.data,
            sensitive=answered and self.sensitive.data,
            condition_key=self.condition_key, condition_values=self.condition_values or None,
            options=self.option_labels)

    def fill(self, question: FormQuestion, section_number: int) -> None:
        fill_texts(self, "text", question.text)
        fill_texts(self, "help", question.help)
        if question.type is QuestionType.RATING:
            fill_texts(self, "low", question.settings.get("low"))
            fill_texts(self, "high", question.settings.get("high"))
        if question.type is QuestionType.NUMBER:
            self.minimum.data = question.settings.get("min")
            self.maximum.data = question.settings.get("max")
        if question.type.answered:
            self.required.data = question.required
            self.sensitive.data = question.sensitive
        self.section.data = section_number
        self.condition.data = [f"{question.condition_key}={value}"
                               for value in question.condition_values or []]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def question_form_class(kind: QuestionType, creating: bool) -> type[QuestionForm]:
    """The question page's form for one type: text and help in each language, and only the
    settings that type has (rating labels, number range, options when it is new)."""
    one_line = kind is not QuestionType.INFO
    attrs: dict = {"question_type": kind, "creating": creating}
    for lang in LANGUAGES:
        if one_line:
            attrs[f"text_{lang}"] = StringField(
                _l("Question"), [Optional(), Length(max=TEXT_MAX), SingleLine()])
        else:
            attrs[f"text_{lang}"] = TextAreaField(_l("Text to read"),
                                                  [Optional(), Length(max=INFO_MAX)])
        attrs[f"help_{lang}"] = TextAreaField(_l("Help text"), [Optional(), Length(max=HELP_MAX)])
        if kind is QuestionType.RATING:
            for end, label in (("low", _l("Label of 1 (the lowest)")),
                               ("high", _l("Label of 5 (the highest)"))):
                attrs[f"{end}_{lang}"] = StringField(
                    label, [Optional(), Length(max=LABEL_MAX), SingleLine()])
        if creating and kind.has_options:
            attrs[f"options_{lang}"] = TextAreaField(_l("Options, one per line"),
                                                     [Optional(), Length(max=20000)])
    attrs["section"] = SelectField(_l("Section"), coerce=int, choices=[])
    attrs["required"] = BooleanField(_l("An answer is required"))
    attrs["sensitive"] = BooleanField(_l("Sensitive answers"))
    if kind is QuestionType.NUMBER:
        limit = [Optional(), NumberRange(min=-NUMBER_LIMIT, max=NUMBER_LIMIT)]
        attrs["minimum"] = FloatField(_l("Smallest number accepted"), limit)
        attrs["maximum"] = FloatField(_l("Largest number accepted"), limit)
    attrs["condition"] = CheckboxesField(_l("Show this question only after these answers"),
                                         choices=[], validate_choice=True)
    return type(f"{kind.name.title()}QuestionForm", (QuestionForm,), attrs)
