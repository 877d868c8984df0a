"""What the surveys domain holds about a person, for the data download and erasure.

A named (not anonymous) answer is the person's: it is in their download and erasure removes
it. An anonymous answer is not the person's data any more — nothing stored with it says who
gave it, so it can be neither found for them nor removed; what is theirs is the invitation
(that they were asked, and whether they answered), which the download lists and erasure
removes."""

from flask_babel import get_locale
from sqlalchemy import select

from elearn.accounts.services import erasure_hooks, export_providers
from elearn.extensions import db
from elearn.forms.answering import delete_response
from elearn.forms.models import FormResponse
from elearn.forms.reading import shown_answers

from . import owners
from .models import Survey, SurveyInvitation, SurveyResponse


def _title(survey: Survey) -> str:
    owner = owners.of(survey)
    return owner.title("en") if owner is not None else ""


def export(user) -> dict:
    language = str(get_locale() or "en")
    invitations = db.session.execute(
        select(SurveyInvitation, Survey).join(Survey, Survey.id == SurveyInvitation.survey_id)
        .where(SurveyInvitation.user_id == user.id).order_by(Survey.id)).all()
    named = db.session.execute(
        select(SurveyResponse, Survey).join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.user_id == user.id).order_by(Survey.id)).all()
    return {
        "survey_invitations": [
            {"survey": _title(survey), "anonymous": survey.anonymous,
             "invited_at": inv.invited_at.isoformat(),
             "reminded_at": inv.reminded_at.isoformat() if inv.reminded_at else None,
             "answered": inv.answered}
            for inv, survey in invitations],
        "survey_answers": [
            {"survey": _title(survey),
             "answers": [{"question": a.question, "answer": a.value}
                         for a in shown_answers(db.session.get(FormResponse, row.id),
                                                language, with_sensitive=True)]}
            for row, survey in named],
    }


def erase(user) -> None:
    for row in db.session.scalars(select(SurveyResponse).where(
            SurveyResponse.user_id == user.id)).all():
        response = db.session.get(FormResponse, row.id)
        db.session.delete(row)
        if response is not None:
            delete_response(response)
    for invitation in db.session.scalars(select(SurveyInvitation).where(
            SurveyInvitation.user_id == user.id)).all():
        db.session.delete(invitation)


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
