"""Anonymity as a property of the rows: every column of survey_response, form_response,
form_answer and survey_invitation is read after people answer an anonymous survey, and
nothing in them joins an answer to a person; the order of the rows says nothing either. And
the data download / erasure: named answers are the person's, anonymous ones are not."""

from datetime import timedelta

from sqlalchemy import inspect, select, text

from elearn.accounts.services import erase_user, export_data
from elearn.extensions import db
from elearn.forms.models import FormAnswer, FormResponse
from elearn.surveys.models import SurveyInvitation, SurveyResponse

from .conftest import answers, attend, link_token, run_scheduler


def _rows(table: str) -> list[dict]:
    return [dict(r._mapping) for r in db.session.execute(text(f"SELECT * FROM {table}"))]


def _people(make_user, register, workshop, n):
    found = []
    for i in range(n):
        user = make_user(email=f"p{i}@example.org")
        register(workshop, user)
        attend(workshop, user)
        found.append(user)
    return found


def test_nothing_joins_an_anonymous_answer_to_a_person(app, client, workshop, survey,
                                                      make_user, register, mailbox):
    people = _people(make_user, register, workshop, 12)
    run_scheduler(max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1))
    invitations = _rows("survey_invitation")
    # Written at once in a shuffled order, all with one time: the ids say nothing.
    assert [r["user_id"] for r in invitations] != sorted(r["user_id"] for r in invitations)
    assert len({r["invited_at"] for r in invitations}) == 1

    answering = people[:5]
    for n, person in enumerate(answering):
        token = link_token(mailbox, person.email)
        assert client.post(f"/surveys/answer/{token}", data=answers(
            **{"q-improve": f"answer {n}"})).status_code == 200

    names = {p.email for p in people} | {p.full_name for p in people}
    person_columns = {"user_id", "created_at", "updated_at", "answered_at", "submitted_at"}
    for table in ("survey_response", "form_response", "form_answer"):
        columns = {c["name"] for c in inspect(db.engine).get_columns(table)}
        allowed = {"user_id"} if table == "survey_response" else set()  # NULL, checked below
        assert not columns & person_columns - allowed, (table, columns & person_columns)
    for row in _rows("survey_response"):
        assert row["user_id"] is None
        assert set(row) == {"id", "survey_id", "user_id", "gender", "country", "subregion",
                            "sector", "age_band", "mode"}
    assert {c["name"] for c in inspect(db.engine).get_columns("form_response")} == {
        "id", "version_id"}
    for row in _rows("form_answer"):
        assert not {str(v) for v in row.values() if v is not None} & names
    # Response keys are random, not a counter, and say nothing of the order of answering.
    ids = [r["id"] for r in _rows("form_response")]
    assert all(len(i) == 32 for i in ids) and len(set(ids)) == 5
    # The invitations only know *that* someone answered: no time, no response key, and every
    # row of the survey was rewritten alike (nothing marks the last one to answer).
    after = _rows("survey_invitation")
    assert {c["name"] for c in inspect(db.engine).get_columns("survey_invitation")} == {
        "id", "survey_id", "user_id", "token_hash", "answered", "invited_at", "reminded_at"}
    assert [r["id"] for r in after] == [r["id"] for r in invitations]  # order unchanged
    assert {r["user_id"] for r in after if r["answered"]} == {p.id for p in answering}
    response_ids = set(ids)
    for row in after:
        assert not {str(v) for v in row.values()} & response_ids
        assert row["invited_at"] == invitations[0]["invited_at"]
    # The answers themselves are all there.
    improve = sorted(a.text for a in db.session.scalars(select(FormAnswer))
                     if a.text and a.text.startswith("answer"))
    assert improve == [f"answer {n}" for n in range(5)]


def test_download_and_erasure(app, client, workshop, survey, make_user, register, mailbox):
    named_person, anonymous_person = _people(make_user, register, workshop, 2)
    run_scheduler(max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1))
    # One answer while anonymous; then (for the test) a named answer of the other person.
    token = link_token(mailbox, anonymous_person.email)
    client.post(f"/surveys/answer/{token}", data=answers(**{"q-improve": "anonymous words"}))
    db.session.execute(text("DELETE FROM survey_response"))  # let anonymity change
    db.session.execute(text("DELETE FROM form_answer"))
    db.session.execute(text("DELETE FROM form_response"))
    survey.anonymous = False
    db.session.commit()
    token = link_token(mailbox, named_person.email)
    client.post(f"/surveys/answer/{token}", data=answers(**{"q-improve": "named words"}))

    data = export_data(named_person)
    assert data["survey_invitations"][0]["answered"] is True
    shown = {a["question"]: a["answer"] for a in data["survey_answers"][0]["answers"]}
    assert shown["What should we improve?"] == "named words"
    assert export_data(anonymous_person)["survey_answers"] == []

    erase_user(named_person)
    erase_user(anonymous_person)
    db.session.commit()
    assert db.session.scalars(select(SurveyResponse)).all() == []
    assert db.session.scalars(select(FormResponse)).all() == []
    assert db.session.scalars(select(SurveyInvitation)).all() == []
