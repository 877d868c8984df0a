"""Course forms. Rules (eligibility, windows, seats, file types) are checked in the services;
forms only check shape."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from elearn.accounts.labels import SECTOR_LABELS, SUBREGION_LABELS, choices
from elearn.accounts.time_zones import TimeZoneField
from elearn.form_checks import SensibleDate, SingleLine
from elearn.multilingual_forms import add_language_fields, require_main_language


class PlainName:
    """Refuse markup in a name: it is printed on pages, in emails and on certificates as
    typed, so "<b>" would show as such everywhere."""

    def __call__(self, form, field):
        if isinstance(field.data, str) and ("<" in field.data or ">" in field.data):
            raise ValidationError(_l("Write the name as plain text, without HTML tags."))


def add_edition_name_fields(form_class, label):
    """An edition's name in each language (name_en, name_es, name_pt, name_fr); the one in
    the edition's language is required (`require_main_language` in validate())."""
    return add_language_fields(form_class, "name", StringField, label,
                               [Length(max=200), SingleLine(), PlainName()])


class ApplyForm(FlaskForm):
    motivation = TextAreaField(
        _l("Why do you want to take part, and how will you use what you learn?"),
        validators=[DataRequired(), Length(max=5000)])
    endorsement = FileField(_l("Endorsement letter from your institution (PDF, optional)"))


class EditionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[
        SelectChoice("draft", _l("Draft (hidden)")),
        SelectChoice("open", _l("Open for applications")),
        SelectChoice("running", _l("Running")), SelectChoice("completed", _l("Completed"))])


class ReviewFilterForm(FlaskForm):
    class Meta:
        csrf = False

    country = StringField(_l("Country code"), validators=[Optional(), Length(max=2), SingleLine()])
    gender = SelectField(_l("Gender"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    # An answer to the application questions ("key=value"); choices set by the view.
    answer = SelectField(_l("Answer"), validate_choice=False)


class ActionForm(FlaskForm):
    """A button that changes something: CSRF only."""


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[
        SelectChoice("accept", _l("Accept")),
        SelectChoice("waitlist", _l("Put on the waiting list")),
        SelectChoice("reject", _l("Reject"))])
    reason = TextAreaField(_l("Reason (sent to the applicant when rejecting)"),
                           validators=[Length(max=500)])


class AssignmentForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), validators=[Length(max=100_000)])
    upload = FileField(_l("Document (PDF, Word, Excel, PowerPoint or image)"))


class GradeForm(FlaskForm):
    score = StringField(_l("Score"), validators=[DataRequired(), Length(max=20), SingleLine()])
    comments = TextAreaField(_l("Comments for the participant"),
                             validators=[Length(max=10_000)])


class CopyEditionForm(FlaskForm):
    """The copy keeps the edition's language: the view sets `main_language` to it."""

    main_language = "es"
    offset_days = IntegerField(_l("Move every date by (days)"),
                               validators=[InputRequired(), NumberRange(min=-3660, max=3660)])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return require_main_language(self, ("name",), self.main_language) and valid


add_edition_name_fields(CopyEditionForm, _l("Name of the new edition"))


class LiveClassForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), SingleLine()])
    starts_at = DateTimeLocalField(_l("Starts (edition time zone)"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(), SensibleDate()])
    ends_at = DateTimeLocalField(_l("Ends (edition time zone)"), format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired(), SensibleDate()])
    url = URLField(_l("Class link (https)"), validators=[Optional(), Length(max=500), SingleLine()])


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300), SingleLine()])
    body = TextAreaField(_l("Text (Markdown)"), validators=[Length(max=200_000)])
    video_url = URLField(_l("Video link (YouTube or Vimeo, optional)"),
                         validators=[Optional(), Length(max=500), SingleLine()])
    upload = FileField(_l("Add a file (PDF, Word, Excel, PowerPoint or image)"))


class EditionSettingsForm(FlaskForm):
    starts_on = DateField(_l("Starts on"), validators=[DataRequired(), SensibleDate()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired(), SensibleDate()])
    timezone = TimeZoneField(_l("Time zone"), validators=[DataRequired()])
    language = SelectField(_l("Teaching language"), choices=[
        SelectChoice("es", "Español"), SelectChoice("en", "English"),
        SelectChoice("pt", "Português"), SelectChoice("fr", "Français")])
    capacity = IntegerField(_l("Places (empty: no limit)"),
                            validators=[Optional(), NumberRange(min=1, max=100_000)])
    applications_open_at = DateTimeLocalField(_l("Applications open (edition time zone)"),
                                              format="%Y-%m-%dT%H:%M",
                                              validators=[Optional(), SensibleDate()])
    applications_close_at = DateTimeLocalField(_l("Applications close (edition time zone)"),
                                               format="%Y-%m-%dT%H:%M",
                                               validators=[Optional(), SensibleDate()])
    eligible_countries = StringField(_l("Only these countries (ISO codes, comma-separated)"),
                                     validators=[Optional(), Length(max=400), SingleLine()])
    eligible_subregions = SelectMultipleField(_l("Only these sub-regions"),
                                              choices=choices(SUBREGION_LABELS))
    eligible_sectors = SelectMultipleField(_l("Only these sectors"),
                                           choices=choices(SECTOR_LABELS))
    public_officials_only = BooleanField(_l("Public officials only"))
    min_grade = FloatField(_l("Minimum weighted grade to complete (%, empty: none)"),
                           validators=[Optional(), NumberRange(min=0, max=100)])
    min_attendance_percent = IntegerField(
        _l("Minimum share of live classes attended (%, empty: none)"),
        validators=[Optional(), NumberRange(min=0, max=100)])
    require_required_passed = BooleanField(_l("Every required assessment must be passed"))
    require_final_passed = BooleanField(_l("The final assignment must be passed"))

    def validate(self, extra_validators=None):
        # The name in the teaching language is the one that must exist.
        valid = super().validate(extra_validators)
        return require_main_language(self, ("name",), self.language.data) and valid


add_edition_name_fields(EditionSettingsForm, _l("Name"))
