"""A link the organiser pasted (any platform): nothing to create, everyone gets that link."""

from flask_babel import gettext as _

from .base import MeetingInfo, ProviderError, VideoProvider


class ManualLinkProvider(VideoProvider):
    name = "manual"

    def __init__(self, url: str | None):
        self.url = url

    def _url(self) -> str:
        if not self.url:
            raise ProviderError(_("The organisers have not added the meeting link yet."))
        return self.url

    def create_meeting(self, meeting_id, name, *, moderator_password=None) -> MeetingInfo:
        return MeetingInfo(meeting_id=None, url=self._url())

    def join_url(self, meeting_id, full_name, user_id, moderator) -> str:
        return self._url()
