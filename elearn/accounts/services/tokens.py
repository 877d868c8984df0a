"""Signed links sent by email: confirm an address, reset a password.

The confirmation token carries the address it confirms, so it dies if the address changes; the
reset token carries the session version, which every password change bumps, so a reset link
works once and stops working after any later password change.
"""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from elearn.extensions import db

from ..models import User

CONFIRM_SALT = "elearn.accounts.confirm-email"
RESET_SALT = "elearn.accounts.reset-password"


class TokenError(Exception):
    """The link is damaged, expired or already used. `expired` tells which, for the message."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except BadSignature as exc:
        raise TokenError() from exc
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise TokenError()
    return data


def confirmation_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"id": user.id, "email": user.email})


def user_for_confirmation(token: str) -> User:
    data = _load(CONFIRM_SALT, token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, data["id"])
    if user is None or user.email != data.get("email") or not user.is_active:
        raise TokenError()
    return user


def reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"id": user.id, "v": user.session_version})


def user_for_reset(token: str) -> User:
    data = _load(RESET_SALT, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, data["id"])
    if user is None or user.session_version != data.get("v") or not user.is_active:
        raise TokenError()
    return user
