"""Passwords: hashing, log-in, the strength rule, and changing a password."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

from elearn.audit.services import record
from elearn.db_types import utcnow

from ..models import User, user_by_email
from .sessions import end_all_sessions

# Argon2id as OWASP's password storage cheat sheet sets it (19 MiB, 2 passes, 1 lane). The
# library's default takes 64 MiB for each hash and check: on top of a 130 MB worker, one log-in
# made the worker's peak, and four at once (its threads) 390 MB. Older hashes still verify (their
# parameters are in the hash) and are redone with these at the next log-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def _dummy_hash() -> str:
    """Verified against when the email is unknown, so a failed log-in takes the same time either
    way. Made on first use: at import it cost every worker a hash's memory as it started."""
    return _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 10
# The most used passwords of at least 10 characters in public breach lists: refused outright.
COMMON_PASSWORDS = frozenset({
    "1234567890", "0123456789", "12345678910", "123456789a", "1q2w3e4r5t", "qwertyuiop",
    "password1234", "password123", "passw0rd123", "iloveyou123", "qwerty1234", "qwerty12345",
    "1qaz2wsx3edc", "abcdefghij", "abc1234567", "password12", "password10", "contraseña",
    "contrasena", "contrasena123", "contraseña123", "senha12345", "motdepasse", "azertyuiop",
    "football123", "princess123", "sunshine123", "welcome123", "welcome1234", "administrator",
    "letmein123", "trustno1234", "changeme123", "1234qwerty", "asdfghjkl1", "zaq12wsxcde",
    "correcthorse", "elearn2026!", "q1w2e3r4t5", "0987654321", "9876543210",
})


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.password_hash \
        else _dummy_hash()
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


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why this password is refused (translated), or [] when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if password and len(set(password)) == 1:
        problems.append(_("Do not repeat a single character."))
    lowered = password.strip().lower()
    if email and lowered in {email.strip().lower(), email.strip().lower().split("@")[0]}:
        problems.append(_("Do not use your email address as your password."))
    if lowered in COMMON_PASSWORDS:
        problems.append(_("This password is too common; choose another one."))
    return problems


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session and reset link made with the old one."""
    user.password_hash = hash_password(password)
    user.session_version = (user.session_version or 1) + 1


def change_password(user: User, new_password: str) -> None:
    """A new password ends every session (the caller opens a fresh one for this browser)."""
    set_password(user, new_password)
    end_all_sessions(user)
    record("accounts.password_changed", user, actor=user)
