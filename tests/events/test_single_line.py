"""A line break in a one-line field (an event's title or venue, a session's title, the subject
of an organiser's email) would split an email header or a calendar line: it is refused at the
form with a message, nothing written and nothing sent. Years out of range are refused too."""

import pytest
from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import Event, EventSession
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import deliver_committed

MESSAGE = "This field must be a single line of text."
EVENT_FORM = {
    "kind": "meeting", "title_en": "Regional meeting", "title_es": "Reunión regional",
    "activity_id": "", "timezone": "America/Panama", "mode": "hybrid", "language": "es",
    "venue_name": "Hotel Panamá", "venue_city": "Panama City", "venue_country": "PA",
}
HOSTILE = ["Meeting\r\nBcc: everyone@example.org", "Meeting\nDTSTART:20300101", "Tab\there",
           "Line\u2028separator"]


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["title_en", "title_es", "title_pt", "venue_name",
                                  "venue_address", "venue_city"])
def test_line_breaks_in_an_event_are_refused_at_the_form(client, login, organiser, name,
                                                         value):
    login(organiser)
    response = client.post("/organise/events/new", data=dict(EVENT_FORM, **{name: value}))
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    assert _count(Event) == 0


def test_line_breaks_in_an_edited_event_leave_it_as_it_was(client, login, organiser,
                                                           make_event):
    event = make_event()
    login(organiser)
    response = client.post(f"/organise/events/{event.id}/edit",
                           data=dict(EVENT_FORM, venue_name="SELA\r\nX-Evil: 1"))
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).venue_name is None


@pytest.mark.parametrize("name", ["title_en", "title_es", "title_fr", "room", "speakers"])
def test_line_breaks_in_a_session_are_refused(client, login, organiser, make_event, name):
    event = make_event(publish=False)
    login(organiser)
    data = {"title_en": "Day 2", "starts_local": "2030-03-01T09:00",
            "ends_local": "2030-03-01T11:00", name: "Panel\r\nBcc: all@example.org"}
    response = client.post(f"/organise/events/{event.id}/sessions", data=data)
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    assert _count(EventSession) == 1


def test_a_subject_with_a_line_break_sends_nothing(client, login, organiser, make_event,
                                                   make_user, mailbox):
    event = make_event()
    services.register(event, make_user())
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    queued = _count(OutboxMessage)
    login(organiser)
    response = client.post(f"/organise/events/{event.id}/email", data={
        "subject_es": "News\r\nBcc: everyone@example.org", "body_es": "Hello"})
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    deliver_committed()
    assert _count(OutboxMessage) == queued and mailbox.messages == []


@pytest.mark.parametrize("when", ["0001-01-01T10:00", "9999-12-31T10:00"])
def test_years_out_of_range_are_refused_with_a_message(client, login, organiser, make_event,
                                                       when):
    login(organiser)
    response = client.post("/organise/events/new", data=dict(
        EVENT_FORM, registration_opens_at=when))
    assert response.status_code == 400
    assert "Enter a date between 1900 and 2100." in response.get_data(as_text=True)
    event = make_event(publish=False)
    response = client.post(f"/organise/events/{event.id}/sessions", data={
        "starts_local": when, "ends_local": when.replace("10:00", "11:00")})
    assert response.status_code == 400
    assert "Enter a date between 1900 and 2100." in response.get_data(as_text=True)
    assert _count(Event) == 1 and _count(EventSession) == 1


def test_a_pasted_meeting_link_must_be_one_line(client, login, organiser, make_event):
    event = make_event()
    login(organiser)
    response = client.post(f"/organise/events/{event.id}/video", data={
        "provider": "manual", "manual_url": "https://meet.example.org/a\r\nX-Evil: 1"})
    assert response.status_code == 400 and MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).video_url is None



@pytest.mark.parametrize("value", HOSTILE)
def test_a_time_zone_with_a_line_break_is_not_in_the_list(client, login, organiser, value):
    """The time zone is a select (issue 13 point 11): anything not in the list is refused."""
    login(organiser)
    response = client.post("/organise/events/new", data=dict(EVENT_FORM, timezone=value))
    assert response.status_code == 400
    assert "Choose a time zone from the list." in response.get_data(as_text=True)
    assert _count(Event) == 0
