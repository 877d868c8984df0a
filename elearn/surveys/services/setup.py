"""A survey for an event, an edition or the hackathon, and its settings."""

from datetime import datetime

from sqlalchemy import exists, select

from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms.building import from_definition
from elearn.forms.models import FormPurpose

from .. import owners
from ..models import Survey, SurveyResponse, SurveyStatus
from ..templates import EVALUATION, TEMPLATE_KEY

MAX_REMINDER_DAYS = 60


class SurveyError(Exception):
    """A change refused, with the sentence to show."""


def survey_of(kind: str, owner_id: int) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.owner_kind == kind,
                                                  Survey.owner_id == owner_id))


def attach(kind: str, owner_id: int) -> Survey:
    """The owner's survey, made from the standard evaluation when it has none (idempotent)."""
    found = survey_of(kind, owner_id)
    if found is not None:
        return found
    form = from_definition(EVALUATION, FormPurpose.SURVEY, kind, owner_id,
                           template_key=TEMPLATE_KEY)
    survey = Survey(form=form, owner_kind=kind, owner_id=owner_id, anonymous=True,
                    reminder_after_days=7, status=SurveyStatus.SCHEDULED)
    db.session.add(survey)
    refresh_status(survey)
    db.session.flush()
    return survey


def opening_moment(survey: Survey) -> datetime | None:
    """When the survey opens: its date, else when the owner's last session ends (read now, so
    moving a session moves the opening too); None while there is nothing to go by."""
    if survey.opens_at is not None:
        return survey.opens_at
    owner = owners.of(survey)
    return owners.last_session_end(owner) if owner is not None else None


def refresh_status(survey: Survey) -> None:
    """Draft (no date to open on yet) or scheduled, for a survey not yet opened."""
    if survey.status in (SurveyStatus.DRAFT, SurveyStatus.SCHEDULED):
        survey.status = (SurveyStatus.SCHEDULED if opening_moment(survey) is not None
                         else SurveyStatus.DRAFT)


def has_answers(survey: Survey) -> bool:
    return bool(db.session.scalar(select(exists().where(SurveyResponse.survey_id == survey.id))))


def update_settings(survey: Survey, *, anonymous: bool, opens_at: datetime | None,
                    closes_at: datetime | None, reminder_after_days: int, actor) -> None:
    """Change the settings. Anonymity is fixed by the first answer: people answered under the
    promise they were given."""
    if anonymous != survey.anonymous and has_answers(survey):
        raise SurveyError("anonymity-fixed")
    if not 1 <= reminder_after_days <= MAX_REMINDER_DAYS:
        raise SurveyError("reminder-range")
    opening = opens_at or (survey.opened_at if survey.status != SurveyStatus.DRAFT else None)
    if closes_at is not None and opening is not None and closes_at <= opening:
        raise SurveyError("closes-before-opening")
    before = {"anonymous": survey.anonymous, "opens_at": _iso(survey.opens_at),
              "closes_at": _iso(survey.closes_at),
              "reminder_after_days": survey.reminder_after_days}
    survey.anonymous = anonymous
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.reminder_after_days = reminder_after_days
    # A closed survey whose closing date moves to the future opens again.
    if survey.status == SurveyStatus.CLOSED and (closes_at is None or closes_at > utcnow()):
        survey.status = SurveyStatus.OPEN
        survey.closed_at = None
    refresh_status(survey)
    record("surveys.settings_changed", survey, actor=actor, before=before,
           after={"anonymous": anonymous, "opens_at": _iso(opens_at),
                  "closes_at": _iso(closes_at), "reminder_after_days": reminder_after_days})


def _iso(value):
    return value.isoformat() if value is not None else None
