"""Helpers shared by the attendance pages: the session a URL names, with the viewer's rights
checked, and how an event's title and an error are shown."""

from flask import abort, render_template
from flask_login import current_user

from elearn.accounts.permissions import can, require
from elearn.events.models import Event, EventSession
from elearn.extensions import db

from .services import AttendanceError


def managed_session(session_id: int) -> EventSession:
    """The session, 404 if unknown, 403 unless the viewer manages its event."""
    session = db.get_or_404(EventSession, session_id)
    require("manage", session.event)
    return session


def visible_session(session_id: int) -> EventSession:
    """The session, or 404 when it does not exist or its event is hidden from the viewer
    (a draft, to anyone but the people who manage it): not even its title shows."""
    session = db.get_or_404(EventSession, session_id)
    if not can(current_user, "view", session.event):
        abort(404)
    return session


def event_title(event: Event) -> str:
    """In the reader's language, else the event's main language with a note."""
    return event.text_noted("title")


def error_page(exc: AttendanceError):
    return render_template("error.html", code=exc.status, message=exc.message), exc.status
