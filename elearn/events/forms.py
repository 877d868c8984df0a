"""Event forms. Choices that depend on the database or the viewer's language are set by
`EventForm.setup()` in the view; times are entered in the event's own time zone."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from elearn.accounts.labels import SECTOR_LABELS, SUBREGION_LABELS
from elearn.accounts.time_zones import TimeZoneField
from elearn.form_checks import SensibleDate, SingleLine
from elearn.multilingual_forms import add_language_fields, require_main_language, texts_from

from .models import (
    AttendanceMode,
    EventKind,
    EventMode,
    EventStatus,
    ParticipantRole,
    RegistrationStatus,
)

KIND_LABELS = {
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.VIRTUAL_SEMINAR: _l("Virtual seminar"),
    EventKind.MEETING: _l("Meeting"),
    EventKind.ROUND_TABLE: _l("Round table"),
    EventKind.FORUM: _l("Forum"),
    EventKind.TRAINING: _l("Training"),
    EventKind.HACKATHON: _l("Hackathon"),
    EventKind.LIVE_CLASS: _l("Live class"),
}
MODE_LABELS = {
    EventMode.IN_PERSON: _l("In person"),
    EventMode.VIRTUAL: _l("Virtual"),
    EventMode.HYBRID: _l("Hybrid (in person and online)"),
}
ATTENDANCE_LABELS = {
    AttendanceMode.IN_PERSON: _l("In person"),
    AttendanceMode.ONLINE: _l("Online"),
}
STATUS_LABELS = {
    RegistrationStatus.PENDING: _l("Awaiting approval"),
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("Waiting list"),
    RegistrationStatus.REJECTED: _l("Not accepted"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}
ROLE_LABELS = {
    ParticipantRole.PARTICIPANT: _l("Participant"),
    ParticipantRole.SPEAKER: _l("Speaker"),
    ParticipantRole.PANELLIST: _l("Panellist"),
    ParticipantRole.CHAIR: _l("Chair"),
    ParticipantRole.MODERATOR: _l("Moderator"),
    ParticipantRole.ORGANISER: _l("Organiser"),
}
EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Published"),
    EventStatus.CANCELLED: _l("Cancelled"),
    EventStatus.COMPLETED: _l("Completed"),
}
def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(str(getattr(v, "value", v)), label) for v, label in pairs]


LANGUAGE_CHOICES = choices([("es", "Español"), ("en", "English"), ("pt", "Português"),
                            ("fr", "Français")])


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind of event"), choices=choices(KIND_LABELS.items()))
    # title_<language>, description_<language>: added after the class (add_language_fields)
    activity_id = SelectField(_l("Programme activity"), coerce=lambda v: int(v) if v else None,
                              validate_choice=True)
    timezone = TimeZoneField(_l("Time zone of the event"), default="America/Caracas")
    mode = SelectField(_l("Format"), choices=choices(MODE_LABELS.items()))
    language = SelectField(_l("Language of the event"), choices=LANGUAGE_CHOICES)
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200), SingleLine()])
    venue_address = StringField(_l("Address"),
                                validators=[Optional(), Length(max=300), SingleLine()])
    venue_city = StringField(_l("City"), validators=[Optional(), Length(max=120), SingleLine()])
    venue_country = SelectField(_l("Country of the venue"), validate_choice=True)
    registration_opens_at = DateTimeLocalField(_l("Registration opens"),
                                               validators=[Optional(), SensibleDate()])
    registration_closes_at = DateTimeLocalField(_l("Registration closes"),
                                                validators=[Optional(), SensibleDate()])
    capacity_in_person = IntegerField(_l("In-person seats"),
                                      validators=[Optional(), NumberRange(min=0, max=100000)])
    capacity_online = IntegerField(_l("Online seats"),
                                   validators=[Optional(), NumberRange(min=0, max=100000)])
    requires_approval = BooleanField(_l("Organisers approve each registration"))
    eligible_countries = SelectMultipleField(_l("Open only to these countries"))
    eligible_subregions = SelectMultipleField(
        _l("Open only to these sub-regions"),
        choices=choices(SUBREGION_LABELS.items()))
    eligible_sectors = SelectMultipleField(
        _l("Open only to these sectors"),
        choices=choices(SECTOR_LABELS.items()))
    public_officials_only = BooleanField(_l("Public officials only"))

    def setup(self, activities: list[tuple[int, str]], countries) -> "EventForm":
        none = SelectChoice("", _l("— none —"))
        self.activity_id.choices = [none] + choices(activities)
        grouped = [SelectChoice(code, name, optgroup=str(group))
                   for group, items in countries for code, name in items]
        self.venue_country.choices = [none] + grouped
        self.eligible_countries.choices = grouped
        return self

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return require_main_language(self, ("title",), self.language.data) and ok

    def validate_venue_name(self, field):
        needs = self.mode.data in (EventMode.IN_PERSON.value, EventMode.HYBRID.value)
        if needs and not (field.data or "").strip():
            from wtforms import ValidationError

            raise ValidationError(_l("A venue is required for an in-person or hybrid event."))

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            from wtforms import ValidationError

            raise ValidationError(_l("Registration must close after it opens."))


add_language_fields(EventForm, "title", StringField, _l("Title"), [Length(max=400), SingleLine()])
add_language_fields(EventForm, "description", TextAreaField, _l("Description"),
                    [Length(max=20000)])


class SessionForm(FlaskForm):
    """A session's title is optional (a one-slot agenda takes the event's); one given in
    another language needs one in the event's main language too, `main` (see validate)."""

    def __init__(self, *args, main: str = "es", **kwargs):
        super().__init__(*args, **kwargs)
        self.main = main

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if texts_from(self, "title"):
            ok = require_main_language(self, ("title",), self.main) and ok
        return ok

    # InputRequired, not DataRequired: the latter would hide "not a valid date" (30 February).
    starts_local = DateTimeLocalField(_l("Starts"), validators=[InputRequired(), SensibleDate()])
    ends_local = DateTimeLocalField(_l("Ends"), validators=[InputRequired(), SensibleDate()])
    room = StringField(_l("Room"), validators=[Optional(), Length(max=200), SingleLine()])
    speakers = StringField(_l("Speakers"),
                           validators=[Optional(), Length(max=500), SingleLine()])
    virtual_url = StringField(_l("Online link for this session (optional)"),
                              validators=[Optional(), SingleLine(), URL(), Length(max=500)])

    def validate_ends_local(self, field):
        if self.starts_local.data and field.data and field.data <= self.starts_local.data:
            from wtforms import ValidationError

            raise ValidationError(_l("A session must end after it starts."))


add_language_fields(SessionForm, "title", StringField, _l("Title"),
                    [Length(max=300), SingleLine()])


class RegisterForm(FlaskForm):
    # The service checks the mode against the event and says what is wrong in words.
    mode = RadioField(_l("How will you take part?"),
                      choices=choices(ATTENDANCE_LABELS.items()),
                      validators=[Optional()], validate_choice=False)


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (cancel, publish, approve...)."""


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the person)"),
                           validators=[DataRequired(), Length(max=500)])


class MoveForm(FlaskForm):
    mode = SelectField(_l("Move to"),
                       choices=choices(ATTENDANCE_LABELS.items()))


MESSAGE_LANGUAGES = ("en", "es", "pt", "fr")  # the interface's; a version may be written in each


class EmailForm(FlaskForm):
    """The message in each language (`subject_<code>`, `body_<code>`): the event's main
    language is required, the others optional; a version is its subject and its text."""

    status = SelectField(_l("Send to"), default="", choices=choices([
        ("", _l("Everyone registered (confirmed, pending, waiting list)")),
        (RegistrationStatus.CONFIRMED, _l("Confirmed only")),
        (RegistrationStatus.WAITLISTED, _l("Waiting list only")),
        (RegistrationStatus.PENDING, _l("Awaiting approval only")),
    ]))

    def __init__(self, *args, main: str = "es", **kwargs):
        super().__init__(*args, **kwargs)
        self.main = main if main in MESSAGE_LANGUAGES else "es"

    def versions(self) -> dict[str, dict[str, str]]:
        """{language: {"subject", "body"}} for each language written (after validate)."""
        found = {}
        for code in MESSAGE_LANGUAGES:
            subject = (self[f"subject_{code}"].data or "").strip()
            body = (self[f"body_{code}"].data or "").strip()
            if subject or body:
                found[code] = {"subject": subject, "body": body}
        return found

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for code in MESSAGE_LANGUAGES:
            subject, body = self[f"subject_{code}"], self[f"body_{code}"]
            given = bool((subject.data or "").strip()), bool((body.data or "").strip())
            if code == self.main or any(given):
                for field, filled in zip((subject, body), given, strict=True):
                    if not filled and not field.errors:
                        field.errors = [*field.errors, _l("Write the subject and the text in "
                                                           "this language, or leave both "
                                                           "empty.") if code != self.main
                                        else _l("The main language is required.")]
                        ok = False
        return ok


for _code in MESSAGE_LANGUAGES:
    setattr(EmailForm, f"subject_{_code}", StringField(
        _l("Subject"), validators=[Optional(), Length(max=200), SingleLine()]))
    setattr(EmailForm, f"body_{_code}", TextAreaField(
        _l("Message"), validators=[Optional(), Length(max=10000)]))


class OrganiserForm(FlaskForm):
    email = StringField(_l("Email of the co-organiser"),
                        validators=[DataRequired(), SingleLine(), Email(), Length(max=254)])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to the person)"),
                           validators=[DataRequired(), Length(max=500)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))


class SpeakerForm(FlaskForm):
    email = StringField(_l("Email of the speaker"),
                        validators=[DataRequired(), SingleLine(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices(
        (r, label) for r, label in ROLE_LABELS.items() if r != ParticipantRole.PARTICIPANT))
    # Blank: the service picks the event's only mode, or in person for a hybrid event.
    mode = SelectField(_l("Takes part"), choices=choices(
        [("", _l("As the event allows"))] + list(ATTENDANCE_LABELS.items())),
        validate_choice=True)
