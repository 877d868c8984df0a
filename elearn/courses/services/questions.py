"""Application questions of an edition: its teaching staff attach a form; the answers are
saved with the application, in its transaction; the applicant may change them while
applications are open; staff read, filter and export them, sensitive answers only when
`can(user, "read_sensitive", form)` (the instructors named on the edition).

A withdrawn or decided application keeps its answers; erasure removes them, and so does
deleting the edition."""


from flask_babel import gettext as _
from sqlalchemy import event as orm_event
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from elearn.accounts.permissions import can
from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms import answering, building, owned, reading
from elearn.forms.models import Form, FormPurpose, FormResponse, FormVersion

from ..errors import CourseError
from ..models import Edition, EditionStatus, Enrolment
from .enrolment import OPEN_STATES, apply

EMPTY = {"title": {"en": "Application questions", "es": "Preguntas de postulación",
                   "pt": "Perguntas de candidatura", "fr": "Questions de candidature"},
         "sections": [{"title": {}, "questions": []}]}

def _require_teach(edition: Edition, actor) -> None:
    if not can(actor, "teach", edition):
        raise CourseError(_("You do not have permission to do that."), 403)


def add_questions(edition: Edition, actor) -> Form:
    """The edition's application form, made empty when it has none yet (caller commits)."""
    _require_teach(edition, actor)
    if edition.application_form is not None:
        return edition.application_form
    form = building.from_definition(EMPTY, FormPurpose.REGISTRATION, "edition", edition.id)
    edition.application_form = form
    audit("edition.questions_added", edition, actor=actor, after={"form": form.id})
    return form


def remove_questions(edition: Edition, actor) -> None:
    """Stop asking. A form nobody answered is deleted; answers already given stay with their
    applications until erasure or the edition's deletion."""
    _require_teach(edition, actor)
    form = edition.application_form
    if form is None:
        raise CourseError(_("This edition asks no application questions."), 409)
    edition.application_form = None
    answered = db.session.scalar(select(exists().where(FormResponse.version_id.in_(
        select(FormVersion.id).where(FormVersion.form_id == form.id)))))
    if not answered:
        db.session.delete(form)
    audit("edition.questions_removed", edition, actor=actor, before={"form": form.id})


def asked_version(edition: Edition) -> FormVersion | None:
    form = edition.application_form
    version = form.current_version if form is not None else None
    return version if version is not None and version.questions else None


def apply_with_answers(edition: Edition, user, motivation: str, endorsement=None,
                       version: FormVersion | None = None,
                       asked: answering.AskedForm | None = None) -> Enrolment:
    """Apply and keep the (already validated) answers in the same transaction: a refused
    application writes nothing and stores no file."""
    enrolment = apply(edition, user, motivation, endorsement)
    if version is not None and asked is not None:
        enrolment.form_response = answering.save_response(version, asked)
    return enrolment


def answers_problem(enrolment: Enrolment, now=None) -> str | None:
    """Why the applicant may not change their answers now, or None."""
    edition = enrolment.edition
    now = now or utcnow()
    if enrolment.status not in OPEN_STATES:
        return _("This application can no longer be changed.")
    if asked_version(edition) is None:
        return _("This edition asks no application questions.")
    if edition.status != EditionStatus.OPEN or (
            edition.applications_close_at and now > edition.applications_close_at):
        return _("Applications for this edition are closed.")
    return None


def change_answers(enrolment: Enrolment, version: FormVersion, asked: answering.AskedForm,
                   actor) -> Enrolment:
    problem = answers_problem(enrolment)
    if problem:
        raise CourseError(problem, 409)
    if enrolment.user_id != getattr(actor, "id", None):
        raise CourseError(_("You do not have permission to do that."), 403)
    enrolment.form_response = answering.save_response(version, asked,
                                                      replacing=enrolment.form_response)
    # No answer in the audit trail: some are sensitive, and the trail is read more widely.
    audit("enrolment.answers_changed", enrolment, actor=actor)
    return enrolment


def reads_sensitive(edition: Edition, user) -> bool:
    form = edition.application_form
    return form is not None and bool(can(user, "read_sensitive", form))


def answers_of(enrolment: Enrolment, language: str, viewer) -> list[reading.ShownAnswer]:
    return owned.answers_for(enrolment.form_response, language, viewer,
                             own=enrolment.user_id == getattr(viewer, "id", None))


def answer_choices(edition: Edition, language: str, with_sensitive: bool):
    return owned.choices_for(edition.application_form, language, with_sensitive)


def answering_filter(edition: Edition, choice: str, with_sensitive: bool):
    return owned.filter_for(edition.application_form, choice, with_sensitive)


def answer_export(rows: list[Enrolment], edition: Edition, language: str, viewer):
    """(columns, {response id: {key: value}}) for the applications export."""
    return owned.export_for(edition.application_form,
                            [r.form_response_id for r in rows if r.form_response_id],
                            language, viewer)


def forget_answers(enrolment: Enrolment) -> None:
    """Erasure: the response and its uploaded files go."""
    if enrolment.form_response is not None:
        answering.delete_response(enrolment.form_response)
        enrolment.form_response = None


@orm_event.listens_for(Session, "before_flush")
def _forget_with_the_edition(session, _context, _instances) -> None:
    """Deleting an edition deletes the answers given to it (its enrolments go by the
    database's cascade, which would leave their responses behind) and its forms."""
    for obj in list(session.deleted):
        if not isinstance(obj, Edition):
            continue
        with session.no_autoflush:
            for enrolment in session.scalars(select(Enrolment).where(
                    Enrolment.edition_id == obj.id, Enrolment.form_response_id.is_not(None))):
                answering.delete_response(enrolment.form_response)
                enrolment.form_response = None
            for form in session.scalars(select(Form).where(
                    Form.owner_kind == "edition", Form.owner_id == obj.id,
                    Form.purpose == FormPurpose.REGISTRATION)):
                session.delete(form)
