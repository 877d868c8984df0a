"""Answering a survey through an invitation, in one transaction: the form's answers, the
survey's row (with the statistics dimensions the person agreed to share) and the invitation
flagged answered.

Anonymous surveys keep nothing that leads back to the person: the response has a random key,
no person and no time; the invitation is only flagged. In that same statement every
invitation row of the survey is rewritten, so the database's own bookkeeping (PostgreSQL's
row versions and their transaction ids) moves for all of them alike and does not point at
the one that just answered.
"""

from datetime import date

from sqlalchemy import select, update

from elearn.accounts.models import MemberState, User
from elearn.accounts.services.privacy import age_group
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms.answering import AskedForm, save_response

from .. import owners
from ..models import Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from ..tokens import hash_of


class AlreadyAnswered(Exception):
    pass


class NotOpen(Exception):
    pass


def invitation_by_token(token: str) -> SurveyInvitation | None:
    hashed = hash_of(token)
    if hashed is None:
        return None
    return db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.token_hash == hashed))


def is_open(survey: Survey, now=None) -> bool:
    now = now or utcnow()
    return survey.status == SurveyStatus.OPEN and (
        survey.closes_at is None or survey.closes_at > now)


def dimensions(user: User, survey: Survey) -> dict:
    """What the person agreed to share for statistics (the profile's consent, as elearn/stats
    counts it); nothing at all without that consent."""
    if user.stats_consent_at is None:
        return {}
    found = {"gender": user.gender, "country": user.country, "sector": user.sector,
             "age_band": age_group(user.year_of_birth, date.today().year) or user.age_group}
    if user.country:
        state = db.session.get(MemberState, user.country)
        found["subregion"] = state.subregion if state is not None else None
    owner = owners.of(survey)
    if owner is not None and owner.hybrid:
        found["mode"] = owners.attendance_mode(owner, user.id)
    return found


def submit(invitation: SurveyInvitation, asked: AskedForm, now=None) -> SurveyResponse:
    """Save a validated answer (the caller commits). AlreadyAnswered when the invitation was
    used, even by a request racing this one; NotOpen when the survey is not taking answers."""
    survey = invitation.survey
    if not is_open(survey, now):
        raise NotOpen()
    claimed = db.session.execute(
        update(SurveyInvitation).where(SurveyInvitation.id == invitation.id,
                                       SurveyInvitation.answered.is_(False))
        .values(answered=True).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise AlreadyAnswered()
    if survey.anonymous:
        db.session.execute(
            update(SurveyInvitation).where(SurveyInvitation.survey_id == survey.id)
            .values(answered=SurveyInvitation.answered)
            .execution_options(synchronize_session=False))
    user = db.session.get(User, invitation.user_id)
    response = save_response(survey.form.current_version, asked)
    db.session.flush()
    row = SurveyResponse(id=response.id, survey_id=survey.id,
                         user_id=None if survey.anonymous else user.id,
                         **dimensions(user, survey))
    db.session.add(row)
    db.session.flush()
    db.session.expire(invitation, ["answered"])
    return row
