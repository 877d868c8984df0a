"""The personal link of an invitation. The token is derived from SECRET_KEY, the survey and the
person (so a reminder can carry the same link as the invitation), and only its SHA-256 is
stored: a copy of the database alone cannot answer for anyone."""

import base64
import hashlib
import hmac
import re

from flask import current_app

_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def token_for(survey_id: int, user_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"elearn.surveys:{survey_id}:{user_id}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_of(token: str) -> str | None:
    """The stored form of a token; None for anything no token of ours looks like."""
    if not isinstance(token, str) or not _SHAPE.fullmatch(token):
        return None
    return hashlib.sha256(token.encode()).hexdigest()
