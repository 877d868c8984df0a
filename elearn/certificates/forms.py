"""Certificate forms. File contents (PNG, PDF) are checked in the services, by content."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from elearn.form_checks import SingleLine

from .models import CertificateKind, CertificateStatus, JobStatus, SubjectType
from .subjects import MAX_SUBJECT_ID
from .texts import LANGUAGES

KIND_LABELS = {
    CertificateKind.PARTICIPATION: _l("Participation in an event"),
    CertificateKind.DIPLOMA: _l("Course diploma"),
    CertificateKind.HACKATHON_PARTICIPATION: _l("Hackathon participation"),
    CertificateKind.HACKATHON_AWARD: _l("Hackathon award"),
    CertificateKind.SPEAKER: _l("Speaker acknowledgement"),
    CertificateKind.INSTRUCTOR: _l("Instructor acknowledgement"),
}

STATUS_LABELS = {
    CertificateStatus.VALID: _l("Valid"),
    CertificateStatus.REVOKED: _l("Revoked"),
    CertificateStatus.SUPERSEDED: _l("Replaced by a corrected certificate"),
}

JOB_STATUS_LABELS = {
    JobStatus.QUEUED: _l("Waiting to start"),
    JobStatus.RUNNING: _l("Running"),
    JobStatus.FINISHED: _l("Finished"),
    JobStatus.FAILED: _l("Stopped"),
}

SUBJECT_LABELS = {
    SubjectType.EVENT: _l("Events"),
    SubjectType.EDITION: _l("Course editions"),
    SubjectType.HACKATHON: _l("Hackathons"),
}


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: typing a code changes nothing

    code = StringField(_l("Verification code"),
                       validators=[DataRequired(), SingleLine(), Length(max=60)])


class UploadPdfForm(FlaskForm):
    pdf = FileField(_l("The certificate PDF you received"))


class TemplateForm(FlaskForm):
    kind = SelectField(_l("Kind of certificate"),
                       choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    subject_id = IntegerField(
        _l("Only for this event, edition or hackathon (number; empty for every one)"),
        validators=[Optional(), NumberRange(min=1, max=MAX_SUBJECT_ID)])
    name = StringField(_l("Template name"),
                       validators=[DataRequired(), SingleLine(), Length(max=200)])
    organisation_name = StringField(_l("Organisation name as printed"),
                                    validators=[DataRequired(), SingleLine(), Length(max=300)])
    min_attendance_percent = IntegerField(
        _l("Share of sessions a participant must attend (%)"), default=75,
        validators=[DataRequired(), NumberRange(min=1, max=100)])
    hours_override = DecimalField(_l("Hours of training to print (empty: computed)"),
                                  places=1, validators=[Optional(), NumberRange(min=0, max=2000)])
    active = BooleanField(_l("In use"), default=True)
    place = StringField(_l("Place of issue as printed (empty: the organisation's seat)"),
                        validators=[Optional(), SingleLine(), Length(max=120)])
    logo = FileField(_l("Logo (PNG or JPEG, optional; without one the organisation's logo "
                        "prints)"))
    remove_logo = BooleanField(_l("Print the organisation's logo instead of this one"))
    seal = FileField(_l("Seal (PNG or JPEG, optional)"))
    remove_seal = BooleanField(_l("Remove the seal"))


for _lang in LANGUAGES:
    setattr(TemplateForm, f"heading_{_lang}", StringField(
        _l("Heading (%(language)s), empty for the standard one", language=_lang),
        validators=[Optional(), SingleLine(), Length(max=120)]))
    setattr(TemplateForm, f"organisation_{_lang}", StringField(
        _l("Organisation name (%(language)s), empty for the standard one", language=_lang),
        validators=[Optional(), SingleLine(), Length(max=300)]))


def signatory_title_field(signatory_id: int, language: str) -> str:
    return f"signatory_{signatory_id}_title_{language}"


def template_form_class(template=None) -> type[TemplateForm]:
    """The template form with, for each of the template's signatories, a title per language
    (English required by the service when the field is sent, the others optional)."""
    if template is None or not template.signatories:
        return TemplateForm
    fields = {}
    for signatory in template.signatories:
        for language in LANGUAGES:
            fields[signatory_title_field(signatory.id, language)] = StringField(
                _l("Title of %(name)s (%(language)s)", name=signatory.name, language=language),
                validators=[Optional(), SingleLine(), Length(max=200)])
    return type("TemplateFormWithSignatories", (TemplateForm,), fields)


class SignatoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), SingleLine(), Length(max=200)])
    title = StringField(_l("Title (English)"),
                        validators=[DataRequired(), SingleLine(), Length(max=200)])
    signature = FileField(_l("Signature image (PNG, optional)"))


for _lang in LANGUAGES[1:]:
    setattr(SignatoryForm, f"title_{_lang}", StringField(
        _l("Title (%(language)s), empty to print the English one", language=_lang),
        validators=[Optional(), SingleLine(), Length(max=200)]))


# Each language by its own name, as people look for their language.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"}


class LanguageChoice(FlaskForm):
    """The certificate's language (default: each holder's preferred one) and, for a
    bilingual certificate, a second language printed under it."""

    language = SelectField(_l("Language of the certificate"), default="", choices=[
        SelectChoice("", _l("Each person's preferred language")),
        *(SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items())])
    second_language = SelectField(_l("Also in (bilingual certificate)"), default="", choices=[
        SelectChoice("", _l("No second language")),
        *(SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items())])


class IssueForm(LanguageChoice):
    person_id = HiddenField(validators=[DataRequired(), SingleLine()])
    justification = TextAreaField(
        _l("Justification (admins only, for someone who does not qualify)"),
        validators=[Optional(), Length(max=2000)])


class BulkForm(LanguageChoice):
    kind = HiddenField(validators=[DataRequired(), SingleLine()])


class ResumeForm(FlaskForm):
    """Only the CSRF token: resuming a stalled bulk issue."""


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking (shown to the activity's staff only)"),
                           validators=[DataRequired(), Length(max=2000)])


class ReissueForm(FlaskForm):
    reason = StringField(_l("What was corrected"),
                         validators=[Optional(), SingleLine(), Length(max=300)])
