"""Account forms. Choices that depend on the viewer's language (countries) are set in the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from elearn.form_checks import SingleLine

from .labels import (
    GENDER_PROFILE_LABELS,
    SECTOR_PROFILE_LABELS,
    SUBREGION_LABELS,
    choices,
)
from .time_zones import TimeZoneField

LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("es", "Español"),
                    SelectChoice("pt", "Português"), SelectChoice("fr", "Français")]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"),
                       validators=[DataRequired(), SingleLine(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class _NewPassword:
    """New password + confirmation, checked against the strength rule in services."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))])

    def email_for_password_check(self) -> str | None:
        return None

    def validate_password(self, field):
        from .services import password_problems

        problems = password_problems(field.data or "", self.email_for_password_check())
        if problems:
            raise ValidationError(" ".join(problems))


class SignupForm(_NewPassword, FlaskForm):
    email = EmailField(_l("Email"),
                       validators=[DataRequired(), SingleLine(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name, as it should appear on your certificates"),
                            validators=[DataRequired(), SingleLine(), Length(max=200)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    country = SelectField(_l("Country (optional)"), validate_choice=False)

    def email_for_password_check(self):
        return self.email.data


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("Email"),
                       validators=[DataRequired(), SingleLine(), Email(), Length(max=254)])


class ResetPasswordForm(_NewPassword, FlaskForm):
    pass


class ChangePasswordForm(_NewPassword, FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(), Length(max=200)])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def email_for_password_check(self):
        return self._user.email if self._user else None


GENDER_CHOICES = [SelectChoice("", _l("I would rather not answer this question now")),
                  *choices(GENDER_PROFILE_LABELS)]
SECTOR_CHOICES = [SelectChoice("", _l("Not given")), *choices(SECTOR_PROFILE_LABELS)]
SUBREGION_CHOICES = choices(SUBREGION_LABELS)


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name, as it should appear on your certificates"),
                            validators=[DataRequired(), SingleLine(), Length(max=200)])
    country = SelectField(_l("Country"), validate_choice=False)
    institution = StringField(_l("Institution"),
                              validators=[Optional(), SingleLine(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=SECTOR_CHOICES)
    job_title = StringField(_l("Job title"),
                            validators=[Optional(), SingleLine(), Length(max=200)])
    is_public_official = BooleanField(_l("I am a public official"))
    # A year, not a date: the service checks it against year_of_birth_range().
    year_of_birth = IntegerField(_l("Year of birth (optional)"), validators=[Optional()])
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    timezone = TimeZoneField(_l("Time zone"), blank=_l("The site's default time zone"))
    gender = SelectField(_l("Gender (optional)"), choices=GENDER_CHOICES)
    gender_other = StringField(_l("Your gender, in your own words (optional)"),
                               validators=[Optional(), SingleLine(), Length(max=100)])
    stats_consent = BooleanField(
        _l("I agree that my profile is used, without my name, in statistics of participation"))


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New email address"),
                       validators=[DataRequired(), SingleLine(), Email(), Length(max=254)])
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])


class EraseForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])
    understood = BooleanField(_l("I understand that my account will be erased and I cannot undo "
                                 "this"), validators=[InputRequired()])


class MemberStateForm(FlaskForm):
    country = SelectField(_l("Country"), validate_choice=False, validators=[DataRequired()])
    subregion = SelectField(_l("Sub-region"), choices=SUBREGION_CHOICES)


class PlainForm(FlaskForm):
    """Only the CSRF token: for buttons whose values are read from the request directly."""
