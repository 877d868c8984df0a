from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from elearn.form_checks import SingleLine

from .services import setting


def _default_min_share() -> int:
    # Called per form, so a changed ATTENDANCE_MIN_SHARE shows without a restart.
    return round(setting("ATTENDANCE_MIN_SHARE", 0.5) * 100)


class ScanForm(FlaskForm):
    code = StringField(_l("Ticket code"),
                       validators=[DataRequired(), Length(max=300), SingleLine()],
                       render_kw={"autocomplete": "off", "autocapitalize": "off",
                                  "spellcheck": "false", "autofocus": True})


class SelfCheckInForm(FlaskForm):
    code = StringField(_l("Session code"),
                       validators=[DataRequired(), Length(max=20), SingleLine()],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "inputmode": "text"})


class ImportForm(FlaskForm):
    report = FileField(_l("Attendance report (CSV)"), validators=[FileRequired()])
    min_share = IntegerField(_l("Minimum share of the session to count as present (%)"),
                             default=_default_min_share, validators=[NumberRange(min=0, max=100)])


class ProviderImportForm(FlaskForm):
    """Reading the live meeting list: no minimum share, since a poll cannot know minutes."""

    poll = HiddenField(default="1")


class LateRecordingForm(FlaskForm):
    """Recording attendance after the session's window closed: why (kept in the audit log)."""

    reason = TextAreaField(_l("Why is attendance recorded after the session?"),
                           validators=[DataRequired(), Length(max=300)])
