"""The signed links of invitation emails: "I will attend" / "I cannot attend".

The token names one registration (its id, person and event) and is signed with SECRET_KEY
(itsdangerous, as the accounts' email links): it works without logging in, since the email
reached the person's own mailbox. It expires after REPLY_TOKEN_MAX_AGE, and it is refused
once the registration is no longer confirmed or the event is over or cancelled.
Kept apart from replies.py so that notifications can build links without importing the
registration rules (which import notifications).
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..calendar_build import absolute
from ..models import Registration

SALT = "elearn.events.invite-reply"
# Invitations go out weeks or months ahead; the link must outlive the wait for the event.
REPLY_TOKEN_MAX_AGE = int(timedelta(days=400).total_seconds())


class ReplyTokenError(Exception):
    """The link is damaged or expired (`expired` says which)."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def reply_token(reg: Registration) -> str:
    return _serializer().dumps({"id": reg.id, "u": reg.user_id, "e": reg.event_id})


def read_reply_token(token: str) -> dict:
    """{"id", "u", "e"} of a genuine, unexpired token; ReplyTokenError otherwise."""
    try:
        data = _serializer().loads(token, max_age=REPLY_TOKEN_MAX_AGE)
    except SignatureExpired as exc:
        raise ReplyTokenError(expired=True) from exc
    except BadSignature as exc:
        raise ReplyTokenError() from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int)
                                             for k in ("id", "u", "e")):
        raise ReplyTokenError()
    return data


def reply_links(reg: Registration) -> dict[str, str]:
    """Absolute URLs (they work outside a request: emails, jobs) of both answers."""
    token = reply_token(reg)
    return {
        "attend": absolute("events.reply_attend", f"/events/reply/{token}/attend", token=token),
        "decline": absolute("events.reply_decline", f"/events/reply/{token}/decline",
                            token=token),
    }
