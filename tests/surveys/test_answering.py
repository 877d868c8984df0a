"""Answering: the personal link works once without logging in, the page says whether answers
are anonymous, bad answers and hostile links get a page (never a 500, nothing written), and a
logged-in person who attended answers from their own page."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.forms.models import FormAnswer, FormResponse
from elearn.surveys.models import SurveyInvitation, SurveyResponse

from .conftest import answers, link_token, run_scheduler


@pytest.fixture
def opened(workshop, people, survey, mailbox):
    run_scheduler(max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1))
    return survey


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_personal_link_works_once_without_logging_in(app, client, opened, people,
                                                        mailbox):
    token = link_token(mailbox, "present@example.org")
    page = client.get(f"/surveys/answer/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your answers are anonymous." in html
    assert "How did you take part?" in html and "Venue and logistics" in html

    done = client.post(f"/surveys/answer/{token}", data=answers())
    assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True)
    assert _count(SurveyResponse) == 1 and _count(FormResponse) == 1
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.user_id == people["present"].id))
    assert invitation.answered

    again = client.get(f"/surveys/answer/{token}")
    assert again.status_code == 410 and "Already answered" in again.get_data(as_text=True)
    assert client.post(f"/surveys/answer/{token}", data=answers()).status_code == 410
    assert _count(SurveyResponse) == 1


def test_missing_required_answers_are_asked_again_and_nothing_is_written(
        app, client, opened, mailbox):
    token = link_token(mailbox, "present@example.org")
    refused = client.post(f"/surveys/answer/{token}",
                          data=answers(**{"q-satisfaction": None, "q-mode": "by pigeon"}))
    assert refused.status_code == 400
    assert _count(FormResponse) == 0 and _count(FormAnswer) == 0
    assert not db.session.scalar(select(SurveyInvitation.answered).where(
        SurveyInvitation.token_hash.is_not(None)).limit(1))


@pytest.mark.parametrize("token", [
    "bad-token", "x" * 2000, "%0d%0aSet-Cookie:x=1", "<script>alert(1)</script>",
    "' OR 1=1 --", "A" * 43,
])
def test_hostile_links_get_the_unknown_link_page(app, client, opened, token):
    for method in (client.get, client.post):
        response = method(f"/surveys/answer/{token}", data=answers())
        assert response.status_code == 404
        assert "<script>alert" not in response.get_data(as_text=True)
    assert _count(SurveyResponse) == 0


def test_a_link_before_the_survey_opens_says_so(app, client, workshop, people, survey):
    from elearn.surveys.tokens import hash_of, token_for

    token = token_for(survey.id, people["present"].id)
    db.session.add(SurveyInvitation(survey_id=survey.id, user_id=people["present"].id,
                                    token_hash=hash_of(token)))
    db.session.commit()
    page = client.get(f"/surveys/answer/{token}")
    assert page.status_code == 409 and "not open yet" in page.get_data(as_text=True)


def test_a_logged_in_attendee_answers_from_their_own_page(app, client, login, opened,
                                                         people, make_user, workshop):
    login(people["present"])
    mine = client.get("/events/mine").get_data(as_text=True)
    url = f"/surveys/event/{workshop.id}/answer"
    assert url in mine
    assert client.get(url).status_code == 200
    assert client.post(url, data=answers()).status_code == 200
    assert url not in client.get("/events/mine").get_data(as_text=True)
    assert client.get(url).status_code == 410

    client.get("/logout")
    login(people["registered"])  # registered, never attended
    assert url not in client.get("/events/mine").get_data(as_text=True)
    assert client.get(url).status_code == 403
    assert client.post(url, data=answers()).status_code == 403
    assert _count(SurveyResponse) == 1


def test_named_survey_keeps_the_person_and_the_consented_dimensions_only(
        app, client, workshop, people, survey, mailbox):
    survey.anonymous = False
    db.session.commit()
    run_scheduler(max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1))
    for who in ("present", "late"):
        token = link_token(mailbox, f"{who}@example.org")
        assert client.post(f"/surveys/answer/{token}", data=answers(
            **{"q-mode": "online", "q-platform": "2", "q-venue": None})).status_code == 200
    rows = {r.user_id: r for r in db.session.scalars(select(SurveyResponse))}
    consented = rows[people["present"].id]
    assert (consented.gender.value, consented.country, consented.sector.value,
            consented.subregion.value) == ("woman", "CL", "government", "south_america")
    assert consented.age_band and consented.mode.value == "in_person"  # a hybrid workshop
    refused = rows[people["late"].id]  # no consent to the statistical use of the profile
    assert (refused.gender, refused.country, refused.subregion, refused.sector,
            refused.age_band, refused.mode) == (None,) * 6
