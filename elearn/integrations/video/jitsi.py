"""Jitsi Meet: a room exists as soon as someone opens its URL, so there is no API to call.
The room name is unguessable because, on a public Jitsi server, knowing it is all it takes."""

import json
import secrets
from urllib.parse import quote

from flask_babel import gettext as _

from .base import MeetingInfo, ProviderError, VideoProvider

DEFAULT_BASE_URL = "https://meet.jit.si"


def new_room_name(prefix: str = "elearn") -> str:
    return f"{prefix}-{secrets.token_urlsafe(18)}"


class JitsiProvider(VideoProvider):
    name = "jitsi"

    def __init__(self, base_url: str | None = None):
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")

    def room_url(self, room: str) -> str:
        return f"{self.base_url}/{quote(room, safe='')}"

    def create_meeting(self, meeting_id, name, *, moderator_password=None) -> MeetingInfo:
        room = meeting_id or new_room_name()
        return MeetingInfo(meeting_id=room, url=self.room_url(room))

    def join_url(self, meeting_id, full_name, user_id, moderator) -> str:
        if not meeting_id:
            raise ProviderError(_("The online meeting has not been set up yet."))
        # Jitsi reads config overrides from the fragment as JSON values, URL-encoded; the
        # fragment never reaches the server, so the name is not logged there.
        display = quote(json.dumps(full_name, ensure_ascii=False), safe="")
        return f"{self.room_url(meeting_id)}#userInfo.displayName={display}"
