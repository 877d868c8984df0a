"""Registration questions of an event (interpretation, accessibility, visa letter...): the
organisers attach a form; the answers are saved with the registration, in its transaction;
the person may change them while registration is open; organisers read, filter and export
them, sensitive answers only when `can(user, "read_sensitive", form)`.

A cancelled registration keeps its answers (organisers may still need them: a visa letter
already asked for, a late change of plans); erasure removes them, and so does deleting the
event."""


from flask_babel import gettext as _
from sqlalchemy import event as orm_event
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.audit.services import record
from elearn.extensions import db
from elearn.forms import answering, building, owned, reading
from elearn.forms.models import Form, FormPurpose, FormResponse, FormVersion

from ..models import Event, Registration
from .common import Conflict, EventError
from .registration import ACTIVE, register, registration_window_problem

# A form starts with one empty section; the organiser adds the questions in the editor.
EMPTY = {"title": {"en": "Registration questions", "es": "Preguntas de inscripción",
                   "pt": "Perguntas de inscrição", "fr": "Questions d'inscription"},
         "sections": [{"title": {}, "questions": []}]}
# "question key=answer value" from the dashboard's filter (keys are [a-z0-9_]; option keys too).

def add_questions(event: Event, actor: User) -> Form:
    """The event's registration form, made empty when it has none yet (caller commits)."""
    if not can(actor, "manage", event):
        raise EventError(_("You do not have permission to manage this event."), status=403)
    if event.registration_form is not None:
        return event.registration_form
    form = building.from_definition(EMPTY, FormPurpose.REGISTRATION, "event", event.id)
    event.registration_form = form
    record("event.questions_added", event, actor=actor, after={"form": form.id})
    return form


def has_responses(form: Form) -> bool:
    return bool(db.session.scalar(select(exists().where(
        FormResponse.version_id.in_(select(FormVersion.id).where(
            FormVersion.form_id == form.id))))))


def remove_questions(event: Event, actor: User) -> None:
    """Stop asking. A form nobody answered is deleted; answers already given stay with their
    registrations (shown per person, exported) until erasure or the event's deletion."""
    if not can(actor, "manage", event):
        raise EventError(_("You do not have permission to manage this event."), status=403)
    form = event.registration_form
    if form is None:
        raise Conflict(_("This event asks no registration questions."))
    event.registration_form = None
    if not has_responses(form):
        db.session.delete(form)
    record("event.questions_removed", event, actor=actor, before={"form": form.id})


def asked_version(event: Event) -> FormVersion | None:
    """The version a registration answers now, or None when there is nothing to ask."""
    form = event.registration_form
    version = form.current_version if form is not None else None
    return version if version is not None and version.questions else None


def register_with_answers(event: Event, user: User, mode=None, version: FormVersion | None = None,
                          asked: answering.AskedForm | None = None) -> Registration:
    """Register and keep the (already validated) answers in the same transaction: when the
    registration is refused, nothing is written, and no file is stored."""
    reg = register(event, user, mode)
    if version is not None and asked is not None:
        reg.form_response = answering.save_response(version, asked, replacing=reg.form_response)
    return reg


def answers_problem(reg: Registration) -> str | None:
    """Why the person may not change their answers now, or None."""
    if reg.status not in ACTIVE:
        return _("This registration is not active.")
    if asked_version(reg.event) is None:
        return _("This event asks no registration questions.")
    return registration_window_problem(reg.event)


def change_answers(reg: Registration, version: FormVersion, asked: answering.AskedForm,
                   actor: User) -> Registration:
    problem = answers_problem(reg)
    if problem:
        raise Conflict(problem)
    if not can(actor, "view", reg):
        raise EventError(_("You do not have permission to do that."), status=403)
    reg.form_response = answering.save_response(version, asked, replacing=reg.form_response)
    # No answer in the audit trail: some are sensitive, and the trail is read more widely.
    record("event.answers_changed", reg, actor=actor)
    return reg


def reads_sensitive(event: Event, user: User) -> bool:
    form = event.registration_form
    return form is not None and bool(can(user, "read_sensitive", form))


def answers_of(reg: Registration, language: str, viewer: User) -> list[reading.ShownAnswer]:
    return owned.answers_for(reg.form_response, language, viewer,
                             own=reg.user_id == getattr(viewer, "id", None))


def answer_choices(event: Event, language: str, with_sensitive: bool) -> list[tuple[str, str]]:
    return owned.choices_for(event.registration_form, language, with_sensitive)


def answering_filter(event: Event, choice: str, with_sensitive: bool):
    return owned.filter_for(event.registration_form, choice, with_sensitive)


def answer_export(regs: list[Registration], event: Event | None, language: str,
                  viewer: User | None) -> tuple[list[tuple[str, str]], dict[str, dict]]:
    """(columns, {response id: {key: value}}) for the registrations export."""
    form = event.registration_form if event is not None else None
    return owned.export_for(form, [r.form_response_id for r in regs if r.form_response_id],
                            language, viewer)


def forget_answers(reg: Registration) -> None:
    """Erasure: the response and its uploaded files go."""
    if reg.form_response is not None:
        answering.delete_response(reg.form_response)
        reg.form_response = None


@orm_event.listens_for(Session, "before_flush")
def _forget_with_the_event(session, _context, _instances) -> None:
    """Deleting an event deletes the answers given to it (the registrations go by cascade,
    their responses would be left behind with nobody's name on them) and its form."""
    for obj in list(session.deleted):
        if not isinstance(obj, Event):
            continue
        with session.no_autoflush:
            for reg in obj.registrations:
                if reg.form_response is not None:
                    answering.delete_response(reg.form_response)
            # Its registration forms, the one asked now and any removed earlier.
            for form in session.scalars(select(Form).where(
                    Form.owner_kind == "event", Form.owner_id == obj.id,
                    Form.purpose == FormPurpose.REGISTRATION)):
                session.delete(form)
