"""Hackathon forms (Flask-WTF: CSRF on every POST)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from elearn.form_checks import SensibleDate, SingleLine
from elearn.multilingual_forms import add_language_fields, require_main_language, texts_from

from .models import Declaration, Normalisation

LOCAL = "%Y-%m-%dT%H:%M"


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class RegisterForm(FlaskForm):
    discipline = StringField(_l("Your discipline (e.g. economics, software engineering)"),
                             validators=[SingleLine(), DataRequired(), Length(max=120)])
    skills = TextAreaField(_l("Skills you bring"), validators=[Optional(), Length(max=2000)])
    declaration = RadioField(_l("I declare that I am"), choices=[
        SelectChoice(Declaration.STUDENT.value, _l("a student at my institution")),
        SelectChoice(Declaration.STAFF.value, _l("academic or research staff at my institution")),
    ], validators=[InputRequired()])
    # Not ticked for them: being listed to captains is the person's choice.
    looking_for_team = BooleanField(_l("I am looking for a team (captains may invite me)"),
                                    default=False)
    accept_terms = BooleanField(_l("I have read and accept the rules and terms"),
                                validators=[DataRequired()])


class WithdrawForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand, and I want to withdraw from the hackathon"),
        validators=[DataRequired(message=_l("Tick the box to confirm that you want to "
                                            "withdraw."))])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[SingleLine(), DataRequired(), Length(max=120)])


class JoinForm(FlaskForm):
    code = StringField(_l("Join code"), validators=[SingleLine(), DataRequired(), Length(max=40)])


class InviteForm(FlaskForm):
    user_id = HiddenField(validators=[DataRequired()])


class SubmissionForm(FlaskForm):
    title = StringField(_l("Project title"),
                        validators=[SingleLine(), DataRequired(), Length(max=200)])
    challenge_id = SelectField(_l("Challenge"), coerce=int, validators=[InputRequired()])
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=5000)])
    problem = TextAreaField(_l("Problem addressed"),
                            validators=[DataRequired(), Length(max=5000)])
    repository_url = StringField(_l("Repository address (https://…)"),
                                 validators=[SingleLine(), Optional(), Length(max=500)])
    video_url = StringField(_l("Demo video address (https://…)"),
                            validators=[SingleLine(), Optional(), Length(max=500)])
    file = FileField(_l("Presentation (PDF or PPTX, optional)"))
    original_work = BooleanField(_l("We declare that this is our team's original work"),
                                 validators=[DataRequired()])
    version = HiddenField()


class _InHackathonLanguage(FlaskForm):
    """Texts written in any language, required in the hackathon event's: the view passes
    `main_language`."""

    def __init__(self, *args, main_language: str = "es", **kwargs):
        super().__init__(*args, **kwargs)
        self.main_language = main_language


class SettingsForm(_InHackathonLanguage):
    team_size_min = IntegerField(_l("Smallest team"), validators=[InputRequired(),
                                                                  NumberRange(1, 50)])
    team_size_max = IntegerField(_l("Largest team"), validators=[InputRequired(),
                                                                 NumberRange(1, 50)])
    min_disciplines = IntegerField(_l("Disciplines each team needs (0: no rule)"),
                                   validators=[InputRequired(), NumberRange(0, 50)])
    registration_deadline = DateTimeLocalField(_l("Registration deadline"), format=LOCAL,
                                               validators=[Optional(), SensibleDate()])
    submission_opens_at = DateTimeLocalField(_l("Submissions open"), format=LOCAL,
                                             validators=[Optional(), SensibleDate()])
    submission_deadline = DateTimeLocalField(_l("Submission deadline"), format=LOCAL,
                                             validators=[Optional(), SensibleDate()])
    judging_opens_at = DateTimeLocalField(_l("Judging opens"), format=LOCAL,
                                          validators=[Optional(), SensibleDate()])
    judging_closes_at = DateTimeLocalField(_l("Judging closes"), format=LOCAL,
                                           validators=[Optional(), SensibleDate()])
    results_at = DateTimeLocalField(_l("Results date"), format=LOCAL,
                                    validators=[Optional(), SensibleDate()])
    judges_per_submission = IntegerField(_l("Judges per submission"),
                                         validators=[InputRequired(), NumberRange(1, 20)])
    normalisation = SelectField(_l("Score normalisation"), choices=[
        SelectChoice(Normalisation.ZSCORE.value, _l("z-score per judge and criterion")),
        SelectChoice(Normalisation.RAW.value, _l("raw scores")),
    ])

    def validate(self, extra_validators=None):
        # Rules are optional; once written, the hackathon's language must have them.
        valid = super().validate(extra_validators)
        if texts_from(self, "rules"):
            valid = require_main_language(self, ("rules",), self.main_language) and valid
        return valid


class ChallengeForm(_InHackathonLanguage):
    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return require_main_language(self, ("title",), self.main_language) and valid


class CriterionForm(_InHackathonLanguage):
    weight = FloatField(_l("Weight"), validators=[InputRequired(), NumberRange(min=0.01)])
    scale_min = IntegerField(_l("Lowest score"), default=1, validators=[InputRequired()])
    scale_max = IntegerField(_l("Highest score"), default=10, validators=[InputRequired()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return require_main_language(self, ("name",), self.main_language) and valid


add_language_fields(SettingsForm, "rules", TextAreaField, _l("Rules and terms"),
                    [Length(max=20000)])
add_language_fields(ChallengeForm, "title", StringField, _l("Title"),
                    [SingleLine(), Length(max=300)])
add_language_fields(ChallengeForm, "description", TextAreaField, _l("Description"),
                    [Length(max=20000)])
add_language_fields(CriterionForm, "name", StringField, _l("Criterion"),
                    [SingleLine(), Length(max=200)])


class ExtensionForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int, validators=[InputRequired()])
    deadline = DateTimeLocalField(_l("New deadline (hackathon time zone)"), format=LOCAL,
                                  validators=[InputRequired(), SensibleDate()])
    reason = StringField(_l("Reason"), validators=[SingleLine(), Optional(), Length(max=500)])


class ConflictForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"),
                         validators=[SingleLine(), Optional(), Length(max=500)])
