"""BigBlueButton over its HTTP API (no SDK): create, per-person join URLs, meeting info, end.

Every call is GET <BBB_URL><call>?<query>&checksum=<hex>, where the checksum is
sha1(call + query + secret) (sha256 when the server is set up for it), and the answer is
XML with <returncode>SUCCESS|FAILED</returncode>. Joining is not a server call: it is a signed
URL the person's browser follows, so it costs nothing until they click.
"""

import hashlib
import hmac
import logging
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flask_babel import gettext as _

from .base import MeetingInfo, ProviderError, VideoProvider

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)
CHECKSUM_ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")


class BigBlueButtonProvider(VideoProvider):
    name = "bigbluebutton"

    def __init__(self, url: str | None, secret: str | None, *, checksum: str = "sha1",
                 timeout: float = 10.0, session: "requests.Session | None" = None):
        if not url or not secret:
            raise ProviderError(
                _("BigBlueButton is not configured on this site. Ask an administrator to set "
                  "BBB_URL and BBB_SECRET.")
            )
        self.url = url if url.endswith("/") else url + "/"
        self.secret = secret
        self.algorithm = (checksum or "sha1").lower()
        if self.algorithm not in CHECKSUM_ALGORITHMS:
            raise ValueError(f"BBB_CHECKSUM must be one of {CHECKSUM_ALGORITHMS}")
        self.timeout = timeout
        if session is None:
            # Here, not at the top: a web worker that never calls the meeting server does not
            # carry requests and urllib3 (about 5 MB).
            import requests

            session = requests
        self.http = session

    # --- signing ------------------------------------------------------------------------

    def checksum(self, call: str, query: str) -> str:
        return hashlib.new(self.algorithm, (call + query + self.secret).encode("utf-8")).hexdigest()

    def signed_url(self, call: str, params: dict) -> str:
        query = urlencode([(k, v) for k, v in params.items() if v is not None])
        return f"{self.url}{call}?{query}&checksum={self.checksum(call, query)}"

    def passwords(self, meeting_id: str) -> tuple[str, str]:
        """(attendee, moderator) passwords derived from the secret, so nothing extra is stored
        and repeated creates send the same values (BBB then treats create as idempotent)."""
        def derive(role: str) -> str:
            mac = hmac.new(self.secret.encode(), f"{meeting_id}:{role}".encode(), "sha256")
            return mac.hexdigest()[:16]
        return derive("attendee"), derive("moderator")

    # --- calls --------------------------------------------------------------------------

    def _call(self, call: str, params: dict, *, missing_ok: bool = False) -> ET.Element | None:
        import requests

        url = self.signed_url(call, params)
        try:
            response = self.http.get(url, timeout=self.timeout)
        except requests.Timeout as exc:
            raise ProviderError(
                _("The video-meeting server did not answer in time. Please try again in a few "
                  "minutes."), detail=f"{call}: {type(exc).__name__}") from exc
        except requests.RequestException as exc:
            raise ProviderError(
                _("The video-meeting server could not be reached. Please try again later."),
                # not repr(exc): it holds the signed URL, passwords included
                detail=f"{call}: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise ProviderError(
                _("The video-meeting server returned an error (HTTP %(status)s). Please try "
                  "again later.", status=response.status_code),
                detail=response.text[:500])
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError as exc:
            raise ProviderError(
                _("The video-meeting server sent an answer that could not be read."),
                detail=response.text[:500]) from exc
        if (root.findtext("returncode") or "").strip() != "SUCCESS":
            key = (root.findtext("messageKey") or "").strip()
            message = (root.findtext("message") or "").strip()
            if missing_ok and key in ("notFound", "invalidMeetingIdentifier"):
                return None
            log.warning("BigBlueButton %s failed: %s %s", call, key, message)
            if key == "checksumError":
                raise ProviderError(
                    _("The video-meeting server refused this site's signature. Ask an "
                      "administrator to check BBB_SECRET and BBB_CHECKSUM."), detail=message)
            raise ProviderError(
                _("The video-meeting server refused the request: %(reason)s",
                  reason=message or key or _("no reason given")), detail=key)
        return root

    def create_meeting(self, meeting_id, name, *, moderator_password=None) -> MeetingInfo:
        attendee_pw, moderator_pw = self.passwords(meeting_id)
        root = self._call("create", {
            "name": name,
            "meetingID": meeting_id,
            "attendeePW": attendee_pw,
            "moderatorPW": moderator_password or moderator_pw,
        })
        return MeetingInfo(
            meeting_id=root.findtext("meetingID") or meeting_id,
            url=None,
            extra={"message_key": root.findtext("messageKey") or "",
                   "internal_id": root.findtext("internalMeetingID") or ""},
        )

    def join_url(self, meeting_id, full_name, user_id, moderator) -> str:
        attendee_pw, moderator_pw = self.passwords(meeting_id)
        # role= for BBB 2.6+ (passwords deprecated); password= for older servers.
        return self.signed_url("join", {
            "fullName": full_name,
            "meetingID": meeting_id,
            "role": "MODERATOR" if moderator else "VIEWER",
            "password": moderator_pw if moderator else attendee_pw,
            "userID": str(user_id),
            "redirect": "true",
        })

    def meeting_info(self, meeting_id) -> dict:
        root = self._call("getMeetingInfo", {"meetingID": meeting_id}, missing_ok=True)
        if root is None:
            return {"running": False, "attendees": [], "supported": True}
        seen_at = datetime.now(UTC)
        attendees = [
            {
                "user_id": (a.findtext("userID") or "").strip() or None,
                "full_name": (a.findtext("fullName") or "").strip(),
                "role": (a.findtext("role") or "").strip().upper(),
                # getMeetingInfo gives no per-person join time: the poll time is the evidence.
                "seen_at": seen_at,
            }
            for a in root.iterfind("attendees/attendee")
        ]
        started = root.findtext("startTime")
        return {
            "running": (root.findtext("running") or "").strip() == "true",
            "started_at": _from_millis(started),
            "attendees": attendees,
            "supported": True,
        }

    def end_meeting(self, meeting_id) -> None:
        _attendee_pw, moderator_pw = self.passwords(meeting_id)
        self._call("end", {"meetingID": meeting_id, "password": moderator_pw}, missing_ok=True)


def _from_millis(value: str | None) -> datetime | None:
    try:
        millis = int(value or 0)
    except ValueError:
        return None
    return datetime.fromtimestamp(millis / 1000, UTC) if millis else None
