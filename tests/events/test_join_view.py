"""The app's own join link: who may enter, the click record, the redirect, provider failures."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    JoinClick,
    Registration,
    RegistrationStatus,
    VideoProvider,
)
from elearn.extensions import db

BBB = "https://bbb.example.org/bigbluebutton/api/"
OK = "<response><returncode>SUCCESS</returncode><meetingID>m</meetingID></response>"


@pytest.fixture
def app_config(app_config):
    app_config.update(BBB_URL=BBB, BBB_SECRET="join-test-secret")
    return app_config


def make_event(provider=VideoProvider.BIGBLUEBUTTON, mode=EventMode.HYBRID, organiser=None,
               **fields):
    event = Event(kind=EventKind.VIRTUAL_SEMINAR, timezone="America/Caracas", mode=mode,
                  status=fields.pop("status", EventStatus.PUBLISHED), title_en="Seminar",
                  video_provider=provider, **fields)
    start = datetime(2026, 5, 4, 13, tzinfo=UTC)
    for i in range(2):
        at = start + timedelta(days=i)
        event.sessions.append(EventSession(title_en=f"Part {i}", starts_at=at,
                                           ends_at=at + timedelta(hours=1)))
    if organiser is not None:
        event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    return event


def seat(event, user, mode=AttendanceMode.ONLINE, status=RegistrationStatus.CONFIRMED):
    reg = Registration(event=event, user=user, mode=mode, status=status)
    db.session.add(reg)
    db.session.commit()
    return reg


def clicks():
    return db.session.query(JoinClick).all()


@responses.activate
def test_confirmed_online_participant_is_sent_to_their_own_bbb_url(client, make_user, login):
    user = make_user(full_name="Ana Núñez")
    event = make_event()
    reg = seat(event, user)
    responses.get(f"{BBB}create", body=OK)
    login(user)

    response = client.get(f"/events/{event.id}/join?session={event.sessions[1].id}")

    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == BBB + "join"
    params = dict(parse_qsl(target.query))
    assert params["fullName"] == "Ana Núñez"
    assert params["userID"] == str(user.id)
    assert params["role"] == "VIEWER"
    assert params["redirect"] == "true"
    db.session.refresh(event)
    assert params["meetingID"] == event.video_meeting_id
    assert len(responses.calls) == 1  # the meeting was (re)created before joining
    (click,) = clicks()
    assert (click.registration_id, click.session_id) == (reg.id, event.sessions[1].id)


def test_jitsi_and_manual_links_and_session_override(client, make_user, login):
    user = make_user(full_name="Ana")
    jitsi = make_event(provider=VideoProvider.JITSI)
    manual = make_event(provider=VideoProvider.MANUAL, video_url="https://zoom.us/j/555")
    manual.sessions[1].virtual_url = "https://teams.example.org/special"
    db.session.commit()
    seat(jitsi, user)
    seat(manual, user)
    login(user)

    to_jitsi = client.get(f"/events/{jitsi.id}/join")
    assert to_jitsi.status_code == 302
    db.session.refresh(jitsi)
    assert to_jitsi.headers["Location"].startswith(f"https://meet.jit.si/{jitsi.video_meeting_id}#")
    assert client.get(f"/events/{manual.id}/join").headers["Location"] == "https://zoom.us/j/555"
    special = client.get(f"/events/{manual.id}/join?session={manual.sessions[1].id}")
    assert special.headers["Location"] == "https://teams.example.org/special"
    assert len(clicks()) == 3


@pytest.mark.parametrize("mode, status, words", [
    (AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED, "Your seat is in person"),
    (AttendanceMode.ONLINE, RegistrationStatus.WAITLISTED, "waiting list"),
    (AttendanceMode.ONLINE, RegistrationStatus.PENDING, "approval"),
    (AttendanceMode.ONLINE, RegistrationStatus.CANCELLED, "not active"),
    (None, None, "not registered"),
])
def test_others_get_a_403_that_says_why(client, make_user, login, mode, status, words):
    user = make_user()
    event = make_event(provider=VideoProvider.MANUAL, video_url="https://zoom.us/j/1")
    if mode is not None:
        seat(event, user, mode=mode, status=status)
    login(user)

    response = client.get(f"/events/{event.id}/join")

    assert response.status_code == 403
    assert words in response.get_data(as_text=True)
    assert "zoom.us" not in response.get_data(as_text=True)
    assert clicks() == []


def test_in_person_only_and_cancelled_events_refuse(client, make_user, login):
    user = make_user()
    in_person = make_event(provider=VideoProvider.NONE, mode=EventMode.IN_PERSON)
    cancelled = make_event(provider=VideoProvider.MANUAL, video_url="https://zoom.us/j/1",
                           status=EventStatus.CANCELLED)
    seat(in_person, user, mode=AttendanceMode.IN_PERSON)
    seat(cancelled, user)
    login(user)
    assert "in person only" in client.get(f"/events/{in_person.id}/join").get_data(as_text=True)
    refused = client.get(f"/events/{cancelled.id}/join")
    assert refused.status_code == 403 and "cancelled" in refused.get_data(as_text=True)


def test_unknown_event_or_session_and_anonymous(client, make_user, login):
    event = make_event(provider=VideoProvider.MANUAL, video_url="https://zoom.us/j/1")
    other = make_event(provider=VideoProvider.MANUAL, video_url="https://zoom.us/j/2")
    anonymous = client.get(f"/events/{event.id}/join")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    user = make_user()
    seat(event, user)
    login(user)
    assert client.get("/events/999999/join").status_code == 404
    assert client.get(f"/events/{event.id}/join?session={other.sessions[0].id}").status_code == 404
    assert client.get(f"/events/{event.id}/join?session=abc").status_code == 404


@responses.activate
def test_organiser_joins_as_moderator_without_a_registration(client, make_user, login):
    organiser = make_user()
    event = make_event(organiser=organiser)
    responses.get(f"{BBB}create", body=OK)
    login(organiser)

    response = client.get(f"/events/{event.id}/join")

    assert response.status_code == 302
    assert dict(parse_qsl(urlsplit(response.headers["Location"]).query))["role"] == "MODERATOR"
    assert clicks() == []  # no registration to record it against


@responses.activate
@pytest.mark.parametrize("failure", [
    requests.exceptions.ConnectTimeout("timed out"),
    requests.exceptions.ConnectionError("refused"),
])
def test_unreachable_provider_shows_a_clear_page_not_a_500(client, make_user, login, failure):
    user = make_user()
    event = make_event()
    seat(event, user)
    responses.get(f"{BBB}create", body=failure)
    login(user)

    response = client.get(f"/events/{event.id}/join")

    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "The online meeting is not available right now" in html
    assert "Try again" in html
    assert len(clicks()) == 1  # the attempt still counts as intent to attend
    db.session.refresh(event)
    assert event.video_error  # the organiser page will show it


def test_no_meeting_set_up_yet(client, make_user, login):
    user = make_user()
    event = make_event(provider=VideoProvider.NONE, mode=EventMode.VIRTUAL)
    seat(event, user)
    login(user)
    response = client.get(f"/events/{event.id}/join")
    # Too early, not broken: a 4xx page saying when the link will work, no Retry-After.
    assert response.status_code == 409
    assert "Retry-After" not in response.headers
    html = response.get_data(as_text=True)
    assert "have not set up the online meeting" in html
    assert "The meeting link is not available yet" in html
    assert "The link will work here" in html
