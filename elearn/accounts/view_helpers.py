"""Helpers shared by the accounts view modules: where to go after log-in, the country select,
and opening and closing a server-side session (accounts/services/sessions.py)."""

from flask import current_app, g, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from wtforms import SelectChoice

from elearn.core.redirects import is_safe_path, safe_next

from . import services
from .models import User


def default_landing() -> str:
    """Where log-in leads when no page asked for it: the person's own home ("My elearn") once
    it exists, else the site's home page."""
    if "home.index" in current_app.view_functions:
        return url_for("home.index")
    return url_for("core.home")


def safe_next_url(target: str | None) -> str:
    """`next=` when it is a path on this site, else the default landing (no open redirect)."""
    return safe_next(target, default_landing())


def carried_next() -> str | None:
    """This request's `next=` when it is safe to carry on (sign-up → confirmation → log-in),
    else None (so url_for leaves it out)."""
    target = request.args.get("next")
    return target if is_safe_path(target) else None


def country_select(language: str, blank_label: str) -> list[SelectChoice]:
    """The country <select>: a blank option, member states first, then the other countries."""
    choices = [SelectChoice("", blank_label)]
    for group, options in services.country_choices(language):
        choices.extend(SelectChoice(code, name, optgroup=str(group)) for code, name in options)
    return choices


def client_address() -> str:
    """The client's address as the proxy settings allow (core/proxies.py)."""
    return get_remote_address() or "unknown"


def log_in(user: User) -> None:
    """Open a server-side session and sign the browser in (caller commits)."""
    services.start_session(user)
    login_user(user)


def log_out() -> None:
    """End this browser's session on the server too, so a copied cookie stops working."""
    if current_user.is_authenticated:
        services.end_session(current_user.session_token)
    logout_user()


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the cookie is valid only while its session row lives."""
    return services.user_for_session(session_id)


def forget_cached_user() -> None:
    # Flask-Login caches the user on `g`; when one app context spans several requests (the test
    # suite keeps one open), that cache would let one client act as another's user.
    g.pop("_login_user", None)
    # Flask-Babel caches the locale there too: the next request would speak the last one's
    # language instead of its own person's.
    g.pop("_flask_babel", None)
