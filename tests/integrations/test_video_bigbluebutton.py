"""The BigBlueButton adapter against a stubbed server (responses): signing, calls, errors."""

import hashlib
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from elearn.integrations.video import ProviderError, get_provider
from elearn.integrations.video.bigbluebutton import BigBlueButtonProvider

BASE = "https://bbb.example.org/bigbluebutton/api/"
SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"  # the secret of the BBB API docs' example


def ok(body=""):
    return f"<response><returncode>SUCCESS</returncode>{body}</response>"


def failed(key, message):
    return (f"<response><returncode>FAILED</returncode><messageKey>{key}</messageKey>"
            f"<message>{message}</message></response>")


@pytest.fixture
def bbb(app):
    return BigBlueButtonProvider(BASE, SECRET, timeout=3)


def query_of(url):
    """(call, query without checksum, checksum) of a signed URL."""
    parts = urlsplit(url)
    query, _, checksum = parts.query.rpartition("&checksum=")
    return parts.path.rsplit("/", 1)[1], query, checksum


def test_checksum_matches_the_documented_example(bbb):
    query = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444"
    expected = hashlib.sha1(("create" + query + SECRET).encode()).hexdigest()
    assert expected == "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"  # value printed in the docs
    assert bbb.checksum("create", query) == expected
    url = bbb.signed_url("create", {"name": "Test Meeting", "meetingID": "abc123",
                                    "attendeePW": "111222", "moderatorPW": "333444"})
    assert url == f"{BASE}create?{query}&checksum={expected}"


def test_sha256_checksum_when_configured(app):
    bbb = BigBlueButtonProvider(BASE, SECRET, checksum="sha256")
    call, query, checksum = query_of(bbb.signed_url("getMeetings", {"x": "1"}))
    assert checksum == hashlib.sha256((call + query + SECRET).encode()).hexdigest()
    assert len(checksum) == 64


@responses.activate
def test_create_sends_a_signed_request_and_reads_the_answer(bbb):
    responses.get(f"{BASE}create", body=ok(
        "<meetingID>elearn-1-ab</meetingID><internalMeetingID>int-9</internalMeetingID>"
        "<messageKey>duplicateWarning</messageKey>"))

    info = bbb.create_meeting("elearn-1-ab", "Taller de género")

    assert info.meeting_id == "elearn-1-ab"
    assert info.extra["internal_id"] == "int-9"
    (call,) = responses.calls
    name, query, checksum = query_of(call.request.url)
    assert name == "create"
    assert checksum == hashlib.sha1((name + query + SECRET).encode()).hexdigest()
    params = dict(parse_qsl(query))
    assert params["name"] == "Taller de género"
    assert params["meetingID"] == "elearn-1-ab"
    attendee_pw, moderator_pw = bbb.passwords("elearn-1-ab")
    assert params["attendeePW"] == attendee_pw != moderator_pw == params["moderatorPW"]


@responses.activate
def test_failed_returncode_raises_a_presentable_error(bbb):
    responses.get(f"{BASE}create", body=failed("idNotUnique", "A meeting already exists"))
    with pytest.raises(ProviderError) as error:
        bbb.create_meeting("m", "Meeting")
    assert "A meeting already exists" in str(error.value)
    assert error.value.detail == "idNotUnique"


@responses.activate
def test_checksum_error_points_at_the_configuration(bbb):
    responses.get(f"{BASE}create", body=failed("checksumError", "Checksums do not match"))
    with pytest.raises(ProviderError, match="BBB_SECRET"):
        bbb.create_meeting("m", "Meeting")


@responses.activate
def test_http_500(bbb):
    responses.get(f"{BASE}create", status=500, body="Internal Server Error")
    with pytest.raises(ProviderError, match="HTTP 500"):
        bbb.create_meeting("m", "Meeting")


@responses.activate
def test_timeout(bbb):
    responses.get(f"{BASE}create", body=requests.exceptions.ConnectTimeout("timed out"))
    with pytest.raises(ProviderError, match="did not answer in time"):
        bbb.create_meeting("m", "Meeting")


@responses.activate
def test_connection_error(bbb):
    responses.get(f"{BASE}create", body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(ProviderError, match="could not be reached") as error:
        bbb.create_meeting("m", "Meeting")
    assert "PW" not in error.value.detail  # the logged detail never carries the signed URL


@responses.activate
def test_unreadable_answer(bbb):
    responses.get(f"{BASE}create", body="<html>proxy error")
    with pytest.raises(ProviderError, match="could not be read"):
        bbb.create_meeting("m", "Meeting")


def test_join_url_is_signed_per_person_and_role(bbb):
    viewer = bbb.join_url("elearn-1-ab", "María José Núñez", 42, moderator=False)
    moderator = bbb.join_url("elearn-1-ab", "Org", 7, moderator=True)

    call, query, checksum = query_of(viewer)
    assert viewer.startswith(f"{BASE}join?")
    assert checksum == hashlib.sha1((call + query + SECRET).encode()).hexdigest()
    params = dict(parse_qsl(query))
    attendee_pw, moderator_pw = bbb.passwords("elearn-1-ab")
    assert params == {"fullName": "María José Núñez", "meetingID": "elearn-1-ab",
                      "role": "VIEWER", "password": attendee_pw, "userID": "42",
                      "redirect": "true"}
    params = dict(parse_qsl(query_of(moderator)[1]))
    assert params["role"] == "MODERATOR" and params["password"] == moderator_pw


@responses.activate
def test_meeting_info_lists_attendees(bbb):
    responses.get(f"{BASE}getMeetingInfo", body=ok(
        "<running>true</running><startTime>1767787200000</startTime><attendees>"
        "<attendee><userID>42</userID><fullName>Ana</fullName><role>VIEWER</role></attendee>"
        "<attendee><userID>7</userID><fullName>Org</fullName><role>MODERATOR</role></attendee>"
        "</attendees>"))

    info = bbb.meeting_info("elearn-1-ab")

    assert info["running"] is True
    assert info["started_at"].year == 2026
    assert [(a["user_id"], a["full_name"], a["role"]) for a in info["attendees"]] == [
        ("42", "Ana", "VIEWER"), ("7", "Org", "MODERATOR")]
    assert all(a["seen_at"] for a in info["attendees"])


@responses.activate
def test_meeting_info_of_a_meeting_not_running(bbb):
    responses.get(f"{BASE}getMeetingInfo", body=failed("notFound", "no meeting"))
    assert bbb.meeting_info("gone") == {"running": False, "attendees": [], "supported": True}


@responses.activate
def test_end_meeting_uses_the_moderator_password(bbb):
    responses.get(f"{BASE}end", body=ok("<messageKey>sentEndMeetingRequest</messageKey>"))
    bbb.end_meeting("elearn-1-ab")
    params = dict(parse_qsl(query_of(responses.calls[0].request.url)[1]))
    assert params == {"meetingID": "elearn-1-ab", "password": bbb.passwords("elearn-1-ab")[1]}


def test_registry_reads_config_and_refuses_when_unconfigured(app, monkeypatch):
    monkeypatch.delenv("BBB_URL", raising=False)
    monkeypatch.delenv("BBB_SECRET", raising=False)
    with pytest.raises(ProviderError, match="not configured"):
        get_provider("bigbluebutton")
    monkeypatch.setenv("BBB_URL", "https://env.example.org/bigbluebutton/api")
    monkeypatch.setenv("BBB_SECRET", "s3")
    assert get_provider("bigbluebutton").url == "https://env.example.org/bigbluebutton/api/"
    app.config.update(BBB_URL=BASE, BBB_SECRET=SECRET, BBB_CHECKSUM="sha256")
    provider = get_provider("bigbluebutton")
    assert (provider.url, provider.secret, provider.algorithm) == (BASE, SECRET, "sha256")
    assert get_provider("none") is None
