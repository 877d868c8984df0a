"""The one interface every video-meeting provider adapter offers, and its one error type.

Adapters only speak to the provider; which provider an event uses, and what is stored, is
decided in elearn.events.video.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


class ProviderError(Exception):
    """The provider could not do what was asked. `str(error)` is a translated message fit to
    show the organiser or participant; `detail` keeps the technical cause for the log."""

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class MeetingInfo:
    """What creating a meeting gives back: its id at the provider, and a room URL when the
    provider has one everybody shares (manual link, Jitsi); BigBlueButton has none."""

    meeting_id: str | None
    url: str | None = None
    extra: dict = field(default_factory=dict)


class VideoProvider(ABC):
    name: str = ""

    @abstractmethod
    def create_meeting(self, meeting_id: str | None, name: str, *,
                       moderator_password: str | None = None) -> MeetingInfo:
        """Create (or make sure there is) the meeting. Must be safe to call again."""

    @abstractmethod
    def join_url(self, meeting_id: str | None, full_name: str, user_id: int | str,
                 moderator: bool) -> str:
        """The URL this person's browser follows to enter the meeting."""

    def meeting_info(self, meeting_id: str | None) -> dict:
        """{"running": bool, "attendees": [{"user_id", "full_name", "role", "seen_at"}]} for
        the attendance import; providers without an API report no attendees."""
        return {"running": False, "attendees": [], "supported": False}

    def end_meeting(self, meeting_id: str | None) -> None:  # noqa: B027  (optional)
        """End the meeting for everyone, where the provider allows it."""
