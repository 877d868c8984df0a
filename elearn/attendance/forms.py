from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange


class ScanForm(FlaskForm):
    code = StringField(_l("Ticket code"), validators=[DataRequired(), Length(max=300)],
                       render_kw={"autocomplete": "off", "autocapitalize": "off",
                                  "spellcheck": "false", "autofocus": True})


class SelfCheckInForm(FlaskForm):
    code = StringField(_l("Session code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "inputmode": "text"})


class ImportForm(FlaskForm):
    report = FileField(_l("Attendance report (CSV)"), validators=[FileRequired()])
    min_share = IntegerField(_l("Minimum share of the session to count as present (%)"),
                             default=50, validators=[NumberRange(min=0, max=100)])


class ProviderImportForm(FlaskForm):
    min_share = IntegerField(_l("Minimum share of the session to count as present (%)"),
                             default=50, validators=[NumberRange(min=0, max=100)])
