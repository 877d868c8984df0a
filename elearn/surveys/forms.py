"""The organisers' survey settings and the host form of an answer page (which brings CSRF;
the questions themselves come from elearn.forms.answering)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange, Optional

from elearn.form_checks import SensibleDate

from .services.setup import MAX_REMINDER_DAYS

OPENS_WHEN_ENDED = "ended"
OPENS_ON_DATE = "date"


class SettingsForm(FlaskForm):
    anonymous = BooleanField(_l("Anonymous answers"))
    opens = RadioField(_l("Opens"), choices=[
        (OPENS_WHEN_ENDED, _l("When the last session ends")),
        (OPENS_ON_DATE, _l("On a date"))], default=OPENS_WHEN_ENDED,
        validators=[InputRequired()])
    opens_at = DateTimeLocalField(_l("Opening date and time"), validators=[
        Optional(), SensibleDate()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Closing date and time"), validators=[
        Optional(), SensibleDate()], format="%Y-%m-%dT%H:%M")
    reminder_after_days = IntegerField(
        _l("Remind those who have not answered after (days)"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_REMINDER_DAYS)], default=7)


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token ("Send invitations now")."""


class AnswerForm(FlaskForm):
    """The host of the questions: CSRF and the submit button."""
