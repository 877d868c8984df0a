"""The organiser's online-meeting page: choose a provider, save even when it fails, retry."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from elearn.audit.models import AuditRecord
from elearn.events.models import (
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    VideoProvider,
)
from elearn.events.video import meeting_attendance
from elearn.extensions import db

BBB = "https://bbb.example.org/bigbluebutton/api/"
OK = "<response><returncode>SUCCESS</returncode><meetingID>{}</meetingID></response>"


@pytest.fixture
def app_config(app_config):
    app_config.update(BBB_URL=BBB, BBB_SECRET="settings-test-secret")
    return app_config


@pytest.fixture
def organiser(make_user, login):
    user = make_user()
    login(user)
    return user


def make_event(organiser):
    event = Event(kind=EventKind.MEETING, timezone="America/Caracas", mode=EventMode.HYBRID,
                  status=EventStatus.PUBLISHED, title_en="Hybrid meeting")
    start = datetime(2026, 5, 4, 13, tzinfo=UTC)
    event.sessions.append(EventSession(title_en="Opening", starts_at=start,
                                       ends_at=start + timedelta(hours=1)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    return event


def url(event):
    return f"/organise/events/{event.id}/video"


def reload(event):
    db.session.expire_all()
    return db.session.get(Event, event.id)


def test_only_organisers_may_open_it(client, make_user, login):
    event = make_event(make_user())
    login(make_user())
    assert client.get(url(event)).status_code == 403
    assert client.post(url(event), data={"provider": "jitsi"}).status_code == 403
    assert reload(event).video_provider == VideoProvider.NONE
    assert client.get("/organise/events/999999/video").status_code == 404


def test_page_shows_the_choices(client, organiser):
    event = make_event(organiser)
    html = client.get(url(event)).get_data(as_text=True)
    for words in ("No online meeting", "A link I paste", "Jitsi Meet", "BigBlueButton"):
        assert words in html
    client.post(url(event), data={"provider": "jitsi"})
    assert f"/events/{event.id}/join" in client.get(url(event)).get_data(as_text=True)


def test_manual_link_must_be_a_web_address(client, organiser):
    event = make_event(organiser)
    for bad in ("", "zoom.us/j/1", "javascript:alert(1)", "ftp://x.org/a"):
        response = client.post(url(event), data={"provider": "manual", "manual_url": bad})
        assert response.status_code == 400, bad
    assert "https://" in response.get_data(as_text=True)
    assert reload(event).video_provider == VideoProvider.NONE

    saved = client.post(url(event), data={"provider": "manual",
                                          "manual_url": " https://zoom.us/j/987 "})
    assert saved.status_code == 303
    event = reload(event)
    assert (event.video_provider, event.video_url, event.video_error) == (
        VideoProvider.MANUAL, "https://zoom.us/j/987", None)
    assert db.session.query(AuditRecord).filter_by(action="event.video_settings").count() == 1


def test_unknown_provider_is_a_400(client, organiser):
    event = make_event(organiser)
    assert client.post(url(event), data={"provider": "zoom"}).status_code == 400


def test_jitsi_room_is_created_and_kept_on_save(client, organiser):
    event = make_event(organiser)
    client.post(url(event), data={"provider": "jitsi"})
    room = reload(event).video_meeting_id
    assert room and reload(event).video_url == f"https://meet.jit.si/{room}"
    client.post(url(event), data={"provider": "jitsi"})
    assert reload(event).video_meeting_id == room
    client.post(url(event), data={"provider": "none"})
    event = reload(event)
    assert (event.video_provider, event.video_meeting_id, event.video_url) == (
        VideoProvider.NONE, None, None)


@responses.activate
@pytest.mark.parametrize("failure, words", [
    ({"status": 500, "body": "oops"}, "HTTP 500"),
    ({"body": requests.exceptions.ConnectTimeout("slow")}, "did not answer in time"),
    ({"body": requests.exceptions.ConnectionError("down")}, "could not be reached"),
    ({"body": "<response><returncode>FAILED</returncode><messageKey>x</messageKey>"
              "<message>Server full</message></response>"}, "Server full"),
])
def test_bbb_failure_saves_settings_shows_error_and_retry_works(client, organiser, failure,
                                                                words):
    event = make_event(organiser)
    responses.get(f"{BBB}create", **failure)

    saved = client.post(url(event), data={"provider": "bigbluebutton"})

    assert saved.status_code == 303
    event = reload(event)
    assert event.video_provider == VideoProvider.BIGBLUEBUTTON  # the settings were kept
    assert words in event.video_error
    meeting_id = event.video_meeting_id
    page = client.get(url(event)).get_data(as_text=True)
    assert "could not be set up" in page and words in page
    assert 'value="retry"' in page and "Retry" in page

    assert meeting_id.startswith(f"elearn-{event.id}-")
    responses.replace(responses.GET, f"{BBB}create", body=OK.format(meeting_id))
    retried = client.post(url(event), data={"action": "retry"})

    assert retried.status_code == 303
    event = reload(event)
    assert event.video_error is None
    assert event.video_meeting_id == meeting_id  # the retry re-used the same meeting
    sent = dict(parse_qsl(urlsplit(responses.calls[-1].request.url).query))
    assert sent["meetingID"] == meeting_id
    page = client.get(url(event)).get_data(as_text=True)
    assert "could not be set up" not in page and "Ready" in page


def test_bbb_not_configured_is_a_clear_error(client, organiser, app):
    app.config.update(BBB_URL=None, BBB_SECRET=None)
    event = make_event(organiser)
    client.post(url(event), data={"provider": "bigbluebutton"}, follow_redirects=False)
    assert "not configured" in reload(event).video_error


@responses.activate
def test_meeting_attendance_maps_user_ids(app, make_user):
    organiser = make_user()
    event = make_event(organiser)
    event.video_provider = VideoProvider.BIGBLUEBUTTON
    event.video_meeting_id = "elearn-9"
    responses.get(f"{BBB}getMeetingInfo", body=(
        "<response><returncode>SUCCESS</returncode><running>true</running><attendees>"
        f"<attendee><userID>{organiser.id}</userID><fullName>Org</fullName>"
        "<role>MODERATOR</role></attendee>"
        "<attendee><userID>phone-guest</userID><fullName>Caller</fullName>"
        "<role>VIEWER</role></attendee></attendees></response>"))

    people = meeting_attendance(event)

    assert [(p["user_id"], p["full_name"]) for p in people] == [
        (organiser.id, "Org"), (None, "Caller")]
