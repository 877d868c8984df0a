"""Changing the email address: the new address must prove itself before it replaces the old.

The link carries both addresses, so it dies if the account's address changed meanwhile, and the
old address is told of the change (someone with the password may not be the owner).
"""

from types import SimpleNamespace

from flask import current_app
from flask_babel import lazy_gettext as _l

from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.mail.services import send_template

from ..models import User, user_by_email
from .registration import EmailTaken, _link, normalise_email
from .tokens import TokenError, _load, _serializer

CHANGE_SALT = "elearn.accounts.change-email"


def request_email_change(user: User, new_email: str) -> str:
    """Send a confirmation link to the new address; nothing changes until it is opened.
    Raises EmailTaken (also when it is the current address)."""
    new_email = normalise_email(new_email)
    if new_email == user.email or user_by_email(new_email) is not None:
        raise EmailTaken(new_email)
    token = _serializer(CHANGE_SALT).dumps({"id": user.id, "old": user.email, "new": new_email})
    recipient = SimpleNamespace(email=new_email, full_name=user.full_name,
                                preferred_language=user.preferred_language)
    send_template(recipient, "email/accounts/change_email", _l("Confirm your new email address"),
                  link=_link("accounts.confirm_email_change", token=token),
                  hours=current_app.config["EMAIL_TOKEN_MAX_AGE"] // 3600)
    return new_email


def confirm_email_change(token: str) -> User:
    """Switch the account to the new address in the token. Raises TokenError, EmailTaken."""
    from elearn.extensions import db

    data = _load(CHANGE_SALT, token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, data["id"])
    if user is None or not user.is_active or user.email != data.get("old"):
        raise TokenError()
    new_email = data.get("new")
    if user_by_email(new_email) is not None:
        raise EmailTaken(new_email)
    send_template(user, "email/accounts/email_changed", _l("Your email address was changed"),
                  new_email=new_email)
    user.email = new_email
    user.email_confirmed_at = utcnow()
    # The addresses stay out of the audit trail so that erasure leaves none behind.
    record("accounts.email_changed", user, actor=user)
    return user
