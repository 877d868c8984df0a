"""The organisers' survey page: reached from the event dashboard, settings saved in the
event's time zone, anonymity fixed once someone answered, "send invitations now", and bad
input refused with a message."""

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.surveys.models import SurveyInvitation, SurveyStatus

from .conftest import answers, link_token

SETTINGS = {"anonymous": "y", "opens": "date", "opens_at": "2030-03-01T09:00",
            "closes_at": "2030-03-20T18:00", "reminder_after_days": "5"}


def test_settings_from_the_event_dashboard(app, client, login, organiser, workshop, survey):
    login(organiser)
    url = f"/surveys/event/{workshop.id}"
    assert url in client.get(f"/organise/events/{workshop.id}").get_data(as_text=True)
    page = client.get(url)
    assert page.status_code == 200 and "Send invitations now" in page.get_data(as_text=True)
    saved = client.post(url, data=SETTINGS)
    assert saved.status_code == 302
    db.session.refresh(survey)
    # Caracas is UTC-4: 09:00 there is 13:00 UTC.
    assert (survey.opens_at.hour, survey.opens_at.day) == (13, 1)
    assert survey.reminder_after_days == 5 and survey.status == SurveyStatus.SCHEDULED


def test_bad_settings_are_refused_with_a_message(app, client, login, organiser, workshop,
                                                 survey):
    login(organiser)
    url = f"/surveys/event/{workshop.id}"
    for bad in ({"reminder_after_days": "100000000000000000000"},
                {"reminder_after_days": "-1"}, {"opens": "sometime"},
                {"closes_at": "2030-02-01T09:00"},  # before the opening
                {"opens_at": "not a date"}):
        response = client.post(url, data={**SETTINGS, **bad})
        assert response.status_code in (200, 400), bad
        assert 'class="error"' in response.get_data(as_text=True) or \
            "flash error" in response.get_data(as_text=True), bad
    db.session.refresh(survey)
    assert survey.opens_at is None and survey.reminder_after_days == 7


def test_send_now_and_anonymity_fixed_after_the_first_answer(
        app, client, login, organiser, workshop, people, survey, mailbox):
    login(organiser)
    url = f"/surveys/event/{workshop.id}"
    assert client.post(f"{url}/send").status_code == 302
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.OPEN
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 2
    other = client.application.test_client()
    token = link_token(mailbox, "present@example.org")
    assert other.post(f"/surveys/answer/{token}", data=answers()).status_code == 200

    page = client.get(url).get_data(as_text=True)
    assert "can no longer change" in page and "disabled" in page
    client.post(url, data={**SETTINGS, "anonymous": "", "opens": "ended"})
    db.session.refresh(survey)
    assert survey.anonymous  # unchanged: people answered under that promise
    # Sending again invites nobody twice.
    mailbox.clear()
    client.post(f"{url}/send")
    assert mailbox.messages == []


def test_other_organisers_are_kept_out(app, client, login, make_user, workshop, survey):
    login(make_user(roles=["organiser"]))
    assert client.get(f"/surveys/event/{workshop.id}").status_code == 403
    assert client.post(f"/surveys/event/{workshop.id}/send").status_code == 403
    assert client.get("/surveys/event/99999999").status_code == 404
    assert client.get("/surveys/event/99999999999999999999999").status_code == 404
