"""Sign-up, email confirmation and password reset by email."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from elearn.audit.services import record
from elearn.base_url import absolute_url, base_url
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.mail.services import send_template

from ..models import User, user_by_email
from .passwords import hash_password, set_password
from .sessions import end_all_sessions
from .tokens import confirmation_token, reset_token, user_for_confirmation, user_for_reset


class EmailTaken(Exception):
    """An account with this address (in any letter case) already exists."""


class _Recipient:
    """An address with no account behind it, for send_template."""

    preferred_language = None
    full_name = ""

    def __init__(self, email: str, language: str | None = None):
        self.email = email
        # No account, so no preference: the language of the page the address was typed on.
        self.preferred_language = language


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _link(endpoint: str, **values) -> str:
    # base_url(): BASE_URL, else (development) the host the request came to, else SERVER_NAME.
    return absolute_url(endpoint, **values)


def mail_shown_on_screen() -> bool:
    """Development without a mail server: nobody would receive the confirmation link, so the
    page that sends it shows it instead. Never in production, where only the mailbox's owner
    may see it."""
    config = current_app.config
    return not config.get("MAIL_SERVER") and config.get("ENV_NAME") != "production"


def register(*, email: str, full_name: str, password: str, preferred_language: str = "en",
             country: str | None = None, next_path: str | None = None) -> User:
    """Create an unconfirmed account and queue the confirmation email (caller commits).

    Raises EmailTaken, leaving nothing written."""
    email = normalise_email(email)
    if user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password),
                preferred_language=preferred_language,
                country=(country or "").upper() or None)
    db.session.add(user)
    try:
        # Two sign-ups racing for one address: the unique index decides.
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:
        raise EmailTaken(email) from exc
    # No email in the audit trail: erasure must not leave the address behind there.
    record("accounts.signed_up", user, actor=user)
    send_confirmation(user, next_path=next_path)
    return user


def sign_up(*, email: str, full_name: str, password: str, preferred_language: str = "en",
            country: str | None = None, next_path: str | None = None) -> User | None:
    """Sign-up as the public page does it: the answer must not tell whether the address already
    has an account. A new address gets an account and a confirmation link; a registered one
    gets nothing new, and its owner an email saying someone tried (sign in or reset instead).
    Both paths hash the password and queue one message, so they also take the same time.
    Returns the new user, or None when the address was taken (caller commits either way)."""
    try:
        with db.session.begin_nested():
            return register(email=email, full_name=full_name, password=password,
                            preferred_language=preferred_language, country=country,
                            next_path=next_path)
    except EmailTaken:
        hash_password(password)  # the same work as a real sign-up
        owner = user_by_email(normalise_email(email))
        if owner is not None and owner.is_active:
            send_template(owner, "email/accounts/signup_existing",
                          _l("Someone tried to create an account with your address"),
                          login_link=_link("accounts.login"),
                          reset_link=_link("accounts.forgot_password"))
        return None


def confirmation_path(user: User, next_path: str | None = None) -> str:
    """The confirmation link's path (with the page to come back to after log-in)."""
    values = {"token": confirmation_token(user)}
    if next_path:
        values["next"] = next_path
    return current_app.url_map.bind("localhost").build("accounts.confirm_email", values)


def send_confirmation(user: User, next_path: str | None = None) -> str:
    """Queue the confirmation email; returns the link's path (shown on screen when mail is not
    configured, see mail_shown_on_screen)."""
    path = confirmation_path(user, next_path)
    send_template(user, "email/accounts/confirm", _l("Confirm your email address"),
                  link=base_url() + path,
                  hours=current_app.config["EMAIL_TOKEN_MAX_AGE"] // 3600)
    return path


def resend_confirmation(email: str, next_path: str | None = None) -> str | None:
    """Send a fresh link if this address has an unconfirmed account; silent otherwise, so the
    answer does not reveal who has an account. Returns the link's path when one was sent."""
    user = user_by_email(normalise_email(email))
    if user is not None and user.is_active and not user.is_confirmed:
        return send_confirmation(user, next_path)
    return None


def confirm_by_admin(user: User, *, actor: User) -> bool:
    """An admin vouches for the address (e.g. no mail reached the person). False when it was
    already confirmed. Audited with the admin as actor."""
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = utcnow()
    record("accounts.email_confirmed_by_admin", user, actor=actor)
    return True


def resend_by_admin(user: User, *, actor: User) -> str | None:
    """Send a fresh confirmation link on an admin's request; None when there is nothing to
    confirm. Audited with the admin as actor."""
    if user.email_confirmed_at is not None or not user.is_active:
        return None
    record("accounts.confirmation_resent_by_admin", user, actor=actor)
    return send_confirmation(user)


def confirm_email(token: str) -> User:
    """Mark the address in the token as confirmed. Raises TokenError."""
    user = user_for_confirmation(token)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        record("accounts.email_confirmed", user, actor=user)
    return user


def request_password_reset(email: str, page_language: str | None = None) -> None:
    """Email a reset link when the address belongs to an active account, and otherwise a note
    that no account uses it. Either way exactly one message is queued (delivery happens after
    the response), so neither the answer nor its timing tells who has an account. An account's
    message speaks its owner's language; the note to an address without one, the language of
    the page (`page_language`), the only one known."""
    email = normalise_email(email)
    user = user_by_email(email)
    if user is None or not user.is_active:
        send_template(_Recipient(email, page_language), "email/accounts/reset_no_account",
                      _l("Password reset requested"), signup_link=_link("accounts.signup"))
        return
    send_template(user, "email/accounts/reset_password", _l("Reset your password"),
                  link=_link("accounts.reset_password", token=reset_token(user)),
                  minutes=current_app.config["RESET_TOKEN_MAX_AGE"] // 60)


def reset_password(token: str, new_password: str) -> User:
    """Set the password from a reset link; the link dies with the bumped session version.
    A reset also proves the address, so it confirms it. Raises TokenError."""
    user = user_for_reset(token)
    set_password(user, new_password)
    end_all_sessions(user)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    record("accounts.password_reset", user, actor=user)
    return user
