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
from elearn.form_checks import SensibleDate

from .forms import EditionSettingsForm

LANGUAGE_CHOICES = choices({"es": "Español", "en": "English", "pt": "Português", "fr": "Français"})
WHEN = "%Y-%m-%dT%H:%M"


class CourseForm(FlaskForm):
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=400)])
    title_es = StringField(_l("Title (Spanish)"), validators=[Optional(), Length(max=400)])
    description_en = TextAreaField(_l("Description (English)"),
                                   validators=[Optional(), Length(max=20_000)])
    description_es = TextAreaField(_l("Description (Spanish)"),
                                   validators=[Optional(), Length(max=20_000)])
    languages = SelectMultipleField(_l("Languages the material is in"),
                                    choices=LANGUAGE_CHOICES)
    activity_id = SelectField(_l("Activity of the work programme"), coerce=int,
                              validate_choice=False)


class NewEditionForm(EditionSettingsForm):
    activity_id = SelectField(_l("Activity of the work programme (if the edition has its "
                                 "own)"), coerce=int, validate_choice=False)
    instructors = SelectMultipleField(_l("Instructors"), coerce=int, validate_choice=False)


class InstructorsForm(FlaskForm):
    instructors = SelectMultipleField(_l("Instructors"), coerce=int, validate_choice=False)


class ModuleForm(FlaskForm):
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=300)])
    title_es = StringField(_l("Title (Spanish)"), validators=[Optional(), Length(max=300)])
    summary_en = TextAreaField(_l("Summary (English)"), validators=[Length(max=10_000)])
    summary_es = TextAreaField(_l("Summary (Spanish)"), validators=[Length(max=10_000)])
    opens_at = DateTimeLocalField(_l("Opens (edition time zone, empty: open now)"),
                                  format=WHEN, validators=[Optional(), SensibleDate()])
    closes_at = DateTimeLocalField(_l("Closes (edition time zone, optional)"), format=WHEN,
                                   validators=[Optional(), SensibleDate()])
    hours = FloatField(_l("Hours of training (for certificates)"),
                       validators=[Optional(), NumberRange(min=0, max=1000)], default=0)


class _AssessmentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    module_id = SelectField(_l("Module"), coerce=int, validate_choice=False)
    instructions = TextAreaField(_l("Instructions"), validators=[Length(max=20_000)])
    due_at = DateTimeLocalField(_l("Due (edition time zone, optional)"), format=WHEN,
                                validators=[Optional()])
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
    text = StringField(_l("Option"), validators=[Length(max=500)])
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
    numeric_answer = StringField(_l("Correct number"), validators=[Length(max=50)])
    tolerance = FloatField(_l("Accepted difference (±)"), default=0,
                           validators=[Optional(), NumberRange(min=0)])
