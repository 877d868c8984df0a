"""A survey with crafted answers for the results tests, written as rows (the answering pages
are tested with the surveys themselves): every count below is known by hand."""

import uuid

from sqlalchemy import select

from elearn.extensions import db
from elearn.forms.building import from_definition
from elearn.forms.models import (
    FormAnswer,
    FormPurpose,
    FormQuestion,
    FormResponse,
    QuestionOption,
)
from elearn.surveys.models import Survey, SurveyInvitation, SurveyResponse, SurveyStatus

DEFINITION = {
    "title": {"en": "Evaluation of the activity", "es": "Evaluación de la actividad"},
    "sections": [{"title": {"en": "Opinion"}, "questions": [
        {"key": "satisfaction", "type": "rating", "required": True,
         "text": {"en": "Overall satisfaction", "es": "Satisfacción general"},
         "settings": {"low": {"en": "Very poor", "es": "Muy malo"},
                      "high": {"en": "Excellent", "es": "Excelente"}}},
        {"key": "topics", "type": "multiple_choice",
         "text": {"en": "Most useful topics", "es": "Temas más útiles"},
         "options": [{"key": "finance", "label": {"en": "Finance", "es": "Finanzas"}},
                     {"key": "export", "label": {"en": "Exports", "es": "Exportación"}},
                     {"key": "digital", "label": {"en": "Digital", "es": "Digital"}}]},
        {"key": "recommend", "type": "yes_no", "required": True,
         "text": {"en": "Would you recommend it?", "es": "¿La recomendaría?"}},
        {"key": "improve", "type": "long_text",
         "text": {"en": "What should we improve?", "es": "¿Qué deberíamos mejorar?"}},
        {"key": "hours", "type": "number", "settings": {"min": 0, "max": 100},
         "text": {"en": "Hours spent", "es": "Horas dedicadas"}},
    ]}],
}


def make_survey(owner, *, anonymous=True, definition=DEFINITION, kind="event") -> Survey:
    """The survey of `owner` (the one made with it, if any) over a new form."""
    form = from_definition(definition, FormPurpose.SURVEY, kind, owner.id)
    survey = db.session.scalar(select(Survey).where(Survey.owner_kind == kind,
                                                    Survey.owner_id == owner.id))
    if survey is None:
        survey = Survey(form_id=form.id, owner_kind=kind, owner_id=owner.id)
        db.session.add(survey)
    survey.form_id, survey.anonymous, survey.status = form.id, anonymous, SurveyStatus.OPEN
    db.session.flush()
    return survey


def invite(survey, users, answered: int) -> None:
    for n, user in enumerate(users):
        db.session.add(SurveyInvitation(survey_id=survey.id, user_id=user.id,
                                        token_hash=uuid.uuid4().hex * 2, answered=n < answered))
    db.session.flush()


def answer(survey, version, given: dict, **dimensions) -> str:
    """One response: {key: value} with option keys (a list for multiple choice), "yes"/"no",
    a number or a text; `dimensions` as SurveyResponse columns."""
    questions = {q.key: q for q in db.session.scalars(
        select(FormQuestion).where(FormQuestion.version_id == version.id))}
    response = FormResponse(version_id=version.id)
    db.session.add(response)
    db.session.flush()
    for key, value in given.items():
        q = questions[key]
        if q.type.has_options:
            for option_key in value if isinstance(value, list) else [value]:
                option = db.session.scalar(select(QuestionOption).where(
                    QuestionOption.question_id == q.id, QuestionOption.key == option_key))
                db.session.add(FormAnswer(response_id=response.id, question_id=q.id,
                                          option_id=option.id))
        elif value in ("yes", "no"):
            db.session.add(FormAnswer(response_id=response.id, question_id=q.id,
                                      number=1.0 if value == "yes" else 0.0))
        elif isinstance(value, (int, float)):
            db.session.add(FormAnswer(response_id=response.id, question_id=q.id,
                                      number=float(value)))
        else:
            db.session.add(FormAnswer(response_id=response.id, question_id=q.id, text=value))
    db.session.add(SurveyResponse(id=response.id, survey_id=survey.id,
                                  user_id=None if survey.anonymous else dimensions.pop("user_id",
                                                                                      None),
                                  **dimensions))
    db.session.flush()
    return response.id


# 32 responses. Gender: 12 women, 10 men, 2 non-binary, 8 not stated. Country: VE 14, JM 10,
# MX 8. Mode: 20 in person, 12 online.
GENDERS = ["woman"] * 12 + ["man"] * 10 + ["non_binary"] * 2 + [None] * 8
COUNTRIES = ["VE"] * 14 + ["JM"] * 10 + ["MX"] * 8
MODES = ["in_person"] * 20 + ["online"] * 12
# Satisfaction 1..5: 5, 5, 6, 8, 8 people; spread so that every group has each answer.
SATISFACTION = [1, 2, 3, 4, 5] * 6 + [4, 5]
RECOMMEND = ["yes"] * 24 + ["no"] * 8
TOPICS = [["finance"], ["finance", "digital"], ["export"], ["digital"]] * 8


def crafted(survey, people=None) -> None:
    version = survey.form.current_version
    for n in range(32):
        given = {"satisfaction": SATISFACTION[n], "recommend": RECOMMEND[(n * 7) % 32],
                 "topics": TOPICS[n], "hours": 10 + n % 3}
        if n % 4 == 0:
            given["improve"] = f"More time for question {n}"
        answer(survey, version, given, gender=GENDERS[(n * 5) % 32],
               country=COUNTRIES[(n * 3) % 32], mode=MODES[(n * 11) % 32])
    if people is not None:
        invite(survey, people, 32)
    db.session.commit()
