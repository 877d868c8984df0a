"""Outputs' forms (Flask-WTF: CSRF on every POST)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from elearn.form_checks import SensibleDate, SingleLine
from elearn.multilingual_forms import add_language_fields, require_main_language

from .labels import KIND_LABELS, LANGUAGE_LABELS, STATUS_LABELS, VISIBILITY_LABELS
from .models import OUTPUT_LANGUAGES, Visibility


class ActionForm(FlaskForm):
    """A button that changes something (remove): only the CSRF token."""


class OutputForm(FlaskForm):
    # "Belongs to": the event itself or one of its sessions (choices set by the view).
    attach_to = SelectField(_l("Belongs to"), choices=[], validate_choice=True)
    kind = SelectField(_l("Kind"), validators=[InputRequired()],
                       choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    # title_en, title_es, title_pt, title_fr: added after the class.
    file = FileField(_l("File"))
    url = StringField(_l("Or a link (https://…)"),
                      validators=[Optional(), SingleLine(), Length(max=1000)])
    language = SelectField(_l("Language of the document"),
                           choices=[SelectChoice(code, LANGUAGE_LABELS[code])
                                    for code in OUTPUT_LANGUAGES],
                           validators=[InputRequired()])
    published_on = DateField(_l("Date"), validators=[DataRequired(), SensibleDate()])
    visibility = RadioField(_l("Who may see it"),
                            choices=[SelectChoice(v.value, label)
                                     for v, label in VISIBILITY_LABELS.items()],
                            default=Visibility.PUBLIC.value, validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        # The title is needed in the document's own language; others are optional.
        ok = super().validate(extra_validators)
        return require_main_language(self, ("title",), self.language.data) and ok


add_language_fields(OutputForm, "title", StringField, _l("Title"), [SingleLine(), Length(max=300)])


class VerdictForm(FlaskForm):
    state = RadioField(_l("Status"), choices=[
        SelectChoice("", _l("Computed from what happened (planned or in progress)")),
        SelectChoice("delivered", STATUS_LABELS["delivered"]),
        SelectChoice("not_delivered", STATUS_LABELS["not_delivered"]),
    ], default="", validators=[Optional()])
    reason = TextAreaField(_l("Reason (needed when not delivered)"),
                           validators=[Optional(), Length(max=2000)])
