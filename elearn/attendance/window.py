"""When attendance of a session may be taken: from ATTENDANCE_OPENS_BEFORE_MINUTES (60) before
it starts to ATTENDANCE_CLOSES_AFTER_MINUTES (120) after it ends, by the server's clock.

Outside that window a scan, a roll-call tap or a self check-in code would record something
that did not happen then (a ticket scanned the day before, a code reused next week). Before
the window nothing can be recorded; after it, an organiser may still record attendance (a
paper list typed in later) once they give a reason, which the audit log keeps with every
change (see `late_reason`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import session as browser_session
from flask_babel import gettext as _

from elearn.db_types import utcnow
from elearn.i18n import format_in_zone

from .services import AttendanceError, setting

BEFORE, OPEN, AFTER = "before", "open", "after"
_LATE_KEY = "attendance_late_reasons"


@dataclass
class Window:
    opens_at: datetime
    closes_at: datetime
    state: str  # BEFORE, OPEN or AFTER

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


def window(session, now: datetime | None = None) -> Window:
    now = now or utcnow()
    opens = session.starts_at - timedelta(minutes=setting("ATTENDANCE_OPENS_BEFORE_MINUTES", 60))
    closes = session.ends_at + timedelta(minutes=setting("ATTENDANCE_CLOSES_AFTER_MINUTES", 120))
    state = BEFORE if now < opens else AFTER if now > closes else OPEN
    return Window(opens, closes, state)


def describe(session, found: Window) -> str:
    """What the page says outside the window, with the time in the event's zone."""
    zone = session.event.timezone
    if found.state == BEFORE:
        return _("Attendance for this session opens at %(time)s.",
                 time=format_in_zone(found.opens_at, zone, "medium"))
    if found.state == AFTER:
        return _("Attendance for this session closed at %(time)s.",
                 time=format_in_zone(found.closes_at, zone, "medium"))
    return ""


def require_open(session, now: datetime | None = None) -> None:
    """Check-in and self check-in: only inside the window (409 with when it opens/closed)."""
    found = window(session, now)
    if not found.is_open:
        raise AttendanceError(describe(session, found), 409)


def late_reason(session) -> str | None:
    """The reason this organiser gave to record this session's attendance after it closed."""
    return (browser_session.get(_LATE_KEY) or {}).get(str(session.id))


def remember_late_reason(session, reason: str) -> None:
    reasons = dict(browser_session.get(_LATE_KEY) or {})
    reasons[str(session.id)] = reason
    # The session is a cookie (4 KB at most): a few short reasons (forms.py caps them at 300).
    browser_session[_LATE_KEY] = dict(list(reasons.items())[-5:])


def require_recordable(session, now: datetime | None = None) -> str | None:
    """Roll call: inside the window, or after it with a reason given (returned, for the
    audit). Before the window, or after it without a reason: 409."""
    found = window(session, now)
    if found.is_open:
        return None
    if found.state == AFTER:
        reason = late_reason(session)
        if reason:
            return reason
        raise AttendanceError(describe(session, found) + " " + _(
            "To record attendance now, give a reason on the roll call page."), 409)
    raise AttendanceError(describe(session, found), 409)
