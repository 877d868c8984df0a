"""Forms of the authoring pages. They only check shape; the rules are in
services.authoring and services.assessment_authoring."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from elearn.accounts.labels import choices
from elearn.form_checks import SensibleDate, SingleLine
from elearn.multilingual import LANGUAGE_NAMES
from elearn.multilingual_forms import add_language_fields, require_main_language

from .forms import EditionSettingsForm

LANGUAGES = ("es", "en", "pt", "fr")  # the order a course's languages are kept in
LANGUAGE_CHOICES = choices({lang: LANGUAGE_NAMES[lang] for lang in LANGUAGES})
WHEN = "%Y-%m-%dT%H:%M"


def first_language(languages) -> str:
    """A course's main language: the first of its languages in the site's order."""
    chosen = [str(lang) for lang in languages or []]
    return next((lang for lang in LANGUAGES if lang in chosen), "es")


class CourseForm(FlaskForm):
    languages = SelectMultipleField(_l("Languages the material is in"),
                                    choices=LANGUAGE_CHOICES)
    activity_id = SelectField(_l("Activity of the work programme"), coerce=int,
                              validate_choice=False)

    def validate(self, extra_validators=None):
        # The title in the course's first language is the one that must exist.
        valid = super().validate(extra_validators)
        if not self.languages.data:
            self.languages.errors = [*self.languages.errors, _l(
                "Choose at least one language the material is in.")]
            return False
        return require_main_language(self, ("title",), first_language(self.languages.data)) \
            and valid


add_language_fields(CourseForm, "title", StringField, _l("Title"),
                    [Length(max=400), SingleLine()])
add_language_fields(CourseForm, "description", TextAreaField, _l("Description"),
                    [Length(max=20_000)])


class NewEditionForm(EditionSettingsForm):
    activity_id = SelectField(_l("Activity of the work programme (if the edition has its "
                                 "own)"), coerce=int, validate_choice=False)
    instructors = SelectMultipleField(_l("Instructors"), coerce=int, validate_choice=False)


class InstructorsForm(FlaskForm):
    instructors = SelectMultipleField(_l("Instructors"), coerce=int, validate_choice=False)


class ModuleForm(FlaskForm):
    """The view sets `main_language` to the edition's language."""

    main_language = "es"
    opens_at = DateTimeLocalField(_l("Opens (edition time zone, empty: open now)"),
                                  format=WHEN, validators=[Optional(), SensibleDate()])
    closes_at = DateTimeLocalField(_l("Closes (edition time zone, optional)"), format=WHEN,
                                   validators=[Optional(), SensibleDate()])
    hours = FloatField(_l("Hours of training (for certificates)"),
                       validators=[Optional(), NumberRange(min=0, max=1000)], default=0)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return require_main_language(self, ("title",), self.main_language) and valid


add_language_fields(ModuleForm, "title", StringField, _l("Title"),
                    [Length(max=300), SingleLine()])
add_language_fields(ModuleForm, "summary", TextAreaField, _l("Summary"), [Length(max=10_000)])


class _AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), SingleLine()])
    module_id = SelectField(_l("Module"), coerce=int, validate_choice=False)
    instructions = TextAreaField(_l("Instructions"), validators=[Length(max=20_000)])
    due_at = DateTimeLocalField(_l("Due (edition time zone, optional)"), format=WHEN,
                                validators=[Optional(), SensibleDate()])
    pass_mark = FloatField(_l("Pass mark (%)"), default=60,
                           validators=[DataRequired(), NumberRange(min=0, max=100)])
    weight = FloatField(_l("Weight in the final grade"), default=1,
                        validators=[Optional(), NumberRange(min=0, max=1000)])
    required = BooleanField(_l("Required to complete the course"), default=True)


class QuizForm(_AssessmentForm):
    max_attempts = IntegerField(_l("Attempts allowed (empty: no limit)"),
                                validators=[Optional(), NumberRange(min=1, max=100)])
    time_limit_minutes = IntegerField(_l("Time limit in minutes (empty: none)"),
                                      validators=[Optional(), NumberRange(min=1, max=1440)])


class AssignmentForm(_AssessmentForm):
    late_policy = SelectField(_l("Work handed in after the due date"), choices=choices({
        "flag": _l("Accept it, marked late"), "refuse": _l("Refuse it")}))
    max_score = FloatField(_l("Maximum score (rubric)"), default=100,
                           validators=[DataRequired(), NumberRange(min=0.01, max=100_000)])
    is_final = BooleanField(_l("This is the final assignment"))
    accepts_file = BooleanField(_l("Participants hand in a file"), default=True)
    accepts_text = BooleanField(_l("Participants write a text answer"), default=True)


class OptionForm(Form):
    text = StringField(_l("Option"), validators=[Length(max=500), SingleLine()])
    correct = BooleanField(_l("Correct"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=choices({
        "single": _l("Single choice"), "multiple": _l("Multiple choice"),
        "true_false": _l("True or false"), "numeric": _l("Number")}))
    text = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=5000)])
    points = FloatField(_l("Points"), default=1,
                        validators=[DataRequired(), NumberRange(min=0.01, max=1000)])
    options = FieldList(FormField(OptionForm), min_entries=5, max_entries=10)
    true_false = SelectField(_l("The statement is"), choices=choices({
        "": _l("(choose)"), "true": _l("True"), "false": _l("False")}),
        validate_choice=False)
    numeric_answer = StringField(_l("Correct number"), validators=[Length(max=50), SingleLine()])
    tolerance = FloatField(_l("Accepted difference (±)"), default=0,
                           validators=[Optional(), NumberRange(min=0)])
