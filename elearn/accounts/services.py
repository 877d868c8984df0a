"""Account rules: passwords, log-in, member states. (Sign-up, tokens, profile, erasure: see
the rest of this module as it grows.)"""

from importlib import resources

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from elearn.db_types import utcnow
from elearn.extensions import db

from .models import MemberState, Subregion, User, user_by_email

_hasher = PasswordHasher()
# Verified against when the email is unknown, so a failed log-in takes the same time either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        ok = _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if ok and user is not None and user.password_hash and _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return ok and user is not None and bool(user.password_hash)


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None. Does not say which part was wrong."""
    user = user_by_email(email)
    if not verify_password(user, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def load_member_states() -> int:
    """Insert or update the member states from accounts/data/member_states.yaml."""
    data = yaml.safe_load(
        resources.files("elearn.accounts").joinpath("data/member_states.yaml").read_text("utf-8")
    )
    existing = {m.country_code: m for m in db.session.scalars(db.select(MemberState))}
    for row in data["member_states"]:
        state = existing.get(row["code"]) or MemberState(country_code=row["code"])
        state.subregion = Subregion(row["subregion"])
        db.session.add(state)
    return len(data["member_states"])
