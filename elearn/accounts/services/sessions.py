"""Server-side sessions: each log-in gets a row in login_session, and the cookie is only valid
while that row exists.

Chosen over a single version number on the user because log-out on one device must end that
session (a copied cookie dies with it) without signing the person out of their other devices;
a password change, a reset and erasure end every session of the person.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from elearn.db_types import utcnow
from elearn.extensions import db

from ..models import LoginSession, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _oldest_valid():
    return utcnow() - timedelta(seconds=current_app.config["SESSION_MAX_AGE"])


def start_session(user: User) -> str:
    """Open a session for `user` (caller commits) and name it on the user for Flask-Login."""
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.created_at < _oldest_valid()))
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_hash(token)))
    user.session_token = token
    return token


@lru_cache(maxsize=1)
def _user_of_session_statement():
    """Every request of a signed-in person runs this: built once, with bound parameters, and
    the person's roles joined in (one round trip instead of the selectin's second)."""
    return (select(User).options(joinedload(User.roles))
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(User.id == bindparam("user_id"),
                   LoginSession.token_hash == bindparam("token_hash"),
                   LoginSession.created_at >= bindparam("oldest",
                                                        type_=LoginSession.created_at.type)))


def user_for_session(session_id: str) -> User | None:
    """The user of a live session named `<user id>:<token>`, or None."""
    user_id, _sep, token = (session_id or "").partition(":")
    if not user_id.isdigit() or len(user_id) > 18 or not token or len(token) > 100:
        return None
    user = db.session.scalars(_user_of_session_statement(), {
        "user_id": int(user_id), "token_hash": _hash(token), "oldest": _oldest_valid(),
    }).unique().first()
    if user is None or not user.is_active:
        return None
    user.session_token = token
    return user


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash(token)))


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.session_token = None
