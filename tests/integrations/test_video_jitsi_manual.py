"""Jitsi rooms and pasted links: no API, only URLs."""

import json
from urllib.parse import unquote, urlsplit

import pytest

from elearn.integrations.video import ProviderError, get_provider
from elearn.integrations.video.jitsi import JitsiProvider


def test_jitsi_rooms_are_unguessable_and_kept(app):
    jitsi = JitsiProvider()
    first = jitsi.create_meeting(None, "Workshop")
    second = jitsi.create_meeting(None, "Workshop")

    assert first.meeting_id != second.meeting_id
    assert len(first.meeting_id) >= 24
    assert first.url == f"https://meet.jit.si/{first.meeting_id}"
    # Provisioning again keeps the room people already know.
    assert jitsi.create_meeting(first.meeting_id, "Workshop").meeting_id == first.meeting_id


def test_jitsi_join_url_carries_the_display_name_in_the_fragment(app):
    jitsi = JitsiProvider("https://meet.example.org/")
    url = jitsi.join_url("elearn-room", 'Ana "la jefa" Núñez & co', 5, moderator=False)

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://meet.example.org/elearn-room"
    key, _, value = parts.fragment.partition("=")
    assert key == "userInfo.displayName"
    assert " " not in value and "&" not in value and '"' not in value
    assert json.loads(unquote(value)) == 'Ana "la jefa" Núñez & co'


def test_jitsi_base_url_comes_from_config(app):
    app.config["JITSI_BASE_URL"] = "https://jitsi.sela.example"
    assert get_provider("jitsi").create_meeting("r", "x").url == "https://jitsi.sela.example/r"


def test_manual_link_is_given_to_everyone(app):
    provider = get_provider("manual", manual_url="https://zoom.us/j/123")
    assert provider.create_meeting(None, "x").url == "https://zoom.us/j/123"
    assert provider.join_url(None, "Ana", 1, moderator=False) == "https://zoom.us/j/123"
    assert provider.meeting_info(None)["attendees"] == []


def test_manual_without_link_says_so(app):
    with pytest.raises(ProviderError, match="not added the meeting link"):
        get_provider("manual", manual_url=None).join_url(None, "Ana", 1, moderator=False)
