"""Forms of the calendar and video pages (kept apart from the events forms they don't share)."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from elearn.form_checks import SingleLine

from .models import VideoProvider

PROVIDER_LABELS = {
    VideoProvider.NONE: _l("No online meeting"),
    VideoProvider.MANUAL: _l("A link I paste (Zoom, Teams, Webex or any other)"),
    VideoProvider.JITSI: _l("Jitsi Meet (a room is created for the event)"),
    VideoProvider.BIGBLUEBUTTON: _l("BigBlueButton (our meeting server)"),
}


class ConfirmForm(FlaskForm):
    """A button-only POST: just the CSRF token."""


class VideoSettingsForm(FlaskForm):
    provider = RadioField(
        _l("Online meeting"),
        choices=[SelectChoice(p.value, label) for p, label in PROVIDER_LABELS.items()],
        validators=[DataRequired(message=_l("Choose how people join online."))],
    )
    manual_url = StringField(
        _l("Meeting link"),
        validators=[SingleLine(),
                    Length(max=500, message=_l("The link is too long (500 characters at most)."))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )

    def validate_manual_url(self, field):
        if self.provider.data != VideoProvider.MANUAL.value:
            return
        if not field.data:
            raise ValidationError(_l("Paste the meeting link people should use."))
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(
                _l("Enter a full web address starting with https:// (or http://).")
            )
