"""The demo: past events and the first diploma edition have evaluations with varied answers,
given through the services; nobody is emailed."""

from collections import Counter

from sqlalchemy import select

from elearn import demo
from elearn.extensions import db
from elearn.forms.models import FormAnswer, FormQuestion
from elearn.mail.models import OutboxMessage
from elearn.surveys.models import Survey, SurveyResponse, SurveyStatus


def test_demo_surveys_have_plausible_answers(app):
    before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    demo.populate()
    answered = Counter(db.session.scalars(select(SurveyResponse.survey_id)))
    surveys = {s.id: s for s in db.session.scalars(select(Survey).where(
        Survey.id.in_(answered)))}
    assert {s.owner_kind for s in surveys.values()} == {"event", "edition"}
    assert all(s.status in (SurveyStatus.OPEN, SurveyStatus.CLOSED) for s in surveys.values())
    assert sum(answered.values()) >= 20 and max(answered.values()) <= 60
    edition = next(s for s in surveys.values() if s.owner_kind == "edition")
    assert not edition.anonymous and answered[edition.id] >= 5
    ratings = Counter(int(a.number) for a, q in db.session.execute(
        select(FormAnswer, FormQuestion).join(FormQuestion)
        .where(FormQuestion.key == "satisfaction")))
    assert len(ratings) >= 3 and ratings.most_common(1)[0][0] in (3, 4, 5)
    comments = set(db.session.scalars(select(FormAnswer.text).where(FormAnswer.text.is_not(None))))
    assert any("pymes" in c or "preguntas" in c for c in comments)
    assert any("questions" in c or "slides" in c for c in comments)
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == before
