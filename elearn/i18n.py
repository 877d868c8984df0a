"""How the app picks a language and a time zone for the person looking at a page.

Language: the user's profile, else the switcher stored in the session, else the browser's
Accept-Language, else English. Time zone: the user's profile, else the site default.
"""

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_skeleton
from flask import current_app, has_request_context, request, session
from flask_babel import format_datetime, format_time, get_locale, get_timezone, get_translations
from flask_login import current_user
from markupsafe import Markup


def supported_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def select_locale() -> str:
    if not has_request_context():  # CLI commands, jobs, threads: no session or browser
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    languages = supported_languages()
    if current_user and current_user.is_authenticated:
        preferred = getattr(current_user, "preferred_language", None)
        if preferred in languages:
            return preferred
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "en"


def template_gettext(markup: bool = True) -> dict:
    """A template's `_` (and `gettext`, which `{% trans %}` calls) bound to the catalogue of
    the language in force now: pass it in the template's context. Flask-Babel's finds the
    catalogue again on every call, through a dozen context look-ups: a tenth of the dashboard's
    time for its 55 labels, and of every email's rendering. Same result as Jinja's newstyle
    gettext: always %-formatted (so "%%" reads "%"); for an autoescaped template (`markup`,
    a page or an HTML email) Markup with the variables escaped, for a text one plain text."""
    catalogue = get_translations()
    if markup:
        def gettext(string: str, **variables) -> Markup:
            return Markup(catalogue.ugettext(string)) % variables
    else:
        def gettext(string: str, **variables) -> str:
            return catalogue.ugettext(string) % variables
    return {"_": gettext, "gettext": gettext}


def select_timezone() -> str:
    if current_user and current_user.is_authenticated:
        tz = getattr(current_user, "timezone", None)
        if tz:
            return tz
    return current_app.config["DEFAULT_TIMEZONE"]


_TIMEZONES: frozenset[str] | None = None


def is_valid_timezone(name: str | None) -> bool:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(available_timezones())
    return bool(name) and name in _TIMEZONES


def format_in_zone(value: datetime, tz_name: str, fmt: str = "medium") -> str:
    """A datetime shown in a named zone (an event's), in the viewer's language."""
    return format_datetime(value.astimezone(ZoneInfo(tz_name)), fmt, rebase=False)


def day_and_time_in_zone(value: datetime, tz_name: str, part: str = "datetime") -> str:
    """'Sun, Jan 17, 2027 9:00 AM' (or, for `part="time"`, the time alone) on the clock of a
    named zone, in the language in force: the day and hour people read on their own clock. An
    unknown zone reads as UTC.

    Remembered per moment, zone, part and language: every confirmation email and event page
    writes the same few session times again, and Babel's formatting was about a twentieth of
    a registration's time. The result depends on nothing else, so it can never go stale."""
    return _day_and_time(value, tz_name, part, str(get_locale()))


@lru_cache(maxsize=2048)
def _day_and_time(value: datetime, tz_name: str, part: str, language: str) -> str:
    # `language` is the locale in force (the key of what is remembered): Flask-Babel's
    # format_time reads it, and the app's configured time formats, itself.
    try:
        local = value.astimezone(ZoneInfo(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        local = value.astimezone(UTC)
    time_text = format_time(local, "short", rebase=False)
    if part == "time":
        return time_text
    return f"{format_skeleton('yMMMEd', local, locale=language)} {time_text}"


def viewer_timezone_name() -> str:
    return str(get_timezone())
