"""The tallies of a closed survey are counted once and kept (results._tallies): never while
the survey is open, and counted anew when what they were counted from changes (a response
erased, the survey opened again and answered, closed again)."""

import copy
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import delete, event

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms.models import FormResponse
from elearn.surveys import results
from elearn.surveys.models import Survey, SurveyResponse, SurveyStatus
from elearn.surveys.services.lifecycle import close_due

from .results_data import DEFINITION, answer, crafted, make_survey


@pytest.fixture
def survey(app, make_user, make_event):
    made = make_survey(make_event(make_user(roles=["organiser"])))
    crafted(made, [make_user() for _ in range(40)])
    return made.id


def _satisfaction(app, survey_id):
    """(people who answered, counts of 1..5, whether the answers were counted this time)."""
    counted = []
    listener = lambda _c, _cur, statement, *_a: counted.append(  # noqa: E731
        statement.lstrip().startswith("WITH profiles"))
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        with app.test_request_context(), force_locale("en"):
            found = results.survey_results(db.session.get(Survey, survey_id), "en")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    q = next(r for r in found.questions if r.question.key == "satisfaction")
    return q.answered, [c for _l, c, _s in q.counts], any(counted)


def _five(survey_id, gender="woman"):
    survey = db.session.get(Survey, survey_id)
    answer(survey, survey.form.current_version, {"satisfaction": 5, "recommend": "yes"},
           gender=gender, country="VE", mode="online")
    db.session.commit()


def _close(survey_id):
    db.session.get(Survey, survey_id).closes_at = utcnow() - timedelta(minutes=1)
    assert close_due() == 1
    db.session.commit()


def test_an_open_survey_is_counted_at_each_reading(app, survey):
    assert _satisfaction(app, survey) == (32, [6, 6, 6, 7, 7], True)
    _five(survey)  # an answer arrives while open: the next reading has it
    assert _satisfaction(app, survey) == (33, [6, 6, 6, 7, 8], True)
    assert _satisfaction(app, survey)[2]  # and nothing is kept while open
    assert not app.extensions.get("closed_survey_tallies")


def test_a_closed_survey_is_counted_once_until_its_answers_change(app, survey):
    _close(survey)
    assert _satisfaction(app, survey) == (32, [6, 6, 6, 7, 7], True)
    assert _satisfaction(app, survey) == (32, [6, 6, 6, 7, 7], False)  # kept
    # A response erased (its person's data removed): one fewer response, counted anew.
    gone = db.session.scalars(SurveyResponse.__table__.select()
                              .where(SurveyResponse.survey_id == survey)
                              .with_only_columns(SurveyResponse.id)).first()
    db.session.execute(delete(FormResponse).where(FormResponse.id == gone))
    db.session.commit()
    erased = _satisfaction(app, survey)
    assert erased[0] == 31 and sum(erased[1]) == 31 and erased[2]
    # Opened again: an answer that arrives is read at once, and after closing again too.
    reopened = db.session.get(Survey, survey)
    reopened.status, reopened.closed_at = SurveyStatus.OPEN, None
    db.session.commit()
    _five(survey, gender="man")
    assert _satisfaction(app, survey)[0] == 32
    _close(survey)
    again = _satisfaction(app, survey)
    assert again[0] == 32 and again[1][4] == erased[1][4] + 1 and again[2]
    assert not _satisfaction(app, survey)[2]


def test_readers_of_sensitive_questions_get_tallies_of_their_own(app, make_user, make_event):
    definition = copy.deepcopy(DEFINITION)
    definition["sections"][0]["questions"].append(
        {"key": "access", "type": "yes_no", "sensitive": True,
         "text": {"en": "Do you need step-free access?"}})
    made = make_survey(make_event(make_user(roles=["organiser"])), definition=definition)
    crafted(made)
    for n in range(32):
        _five(made.id, gender=["woman", "man"][n % 2])
    _close(made.id)
    keys = []
    with app.test_request_context():
        for sensitive in (True, False, True):
            found = results.survey_results(db.session.get(Survey, made.id), "en",
                                           with_sensitive=sensitive)
            keys.append({r.question.key for r in found.questions})
    assert "access" in keys[0] and "access" not in keys[1] and keys[2] == keys[0]
    assert len(app.extensions["closed_survey_tallies"]) == 2
