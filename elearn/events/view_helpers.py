"""Helpers shared by the events domain's view modules: finding the event a URL names with the
viewer's rights checked, and the template filters and labels the events pages use."""

from functools import lru_cache

from flask import abort, current_app, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from elearn.accounts.permissions import can, require
from elearn.extensions import db
from elearn.i18n import day_and_time_in_zone, viewer_timezone_name
from elearn.multilingual import IN_LANGUAGE_NOTES, noted_in, pick, reader_language

from .forms import (
    ATTENDANCE_LABELS,
    EVENT_STATUS_LABELS,
    KIND_LABELS,
    MODE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
)
from .models import Event, EventSession, EventStatus, Registration


def in_event_zone(value, tz_name: str, part: str = "datetime") -> str:
    """'Sun, Jan 17, 2027 9:00 AM' (or just the time) in a named zone, in the viewer's
    language: the day and hour people will read on their own clock."""
    return day_and_time_in_zone(value, tz_name, part) if value else ""


def in_viewer_zone(value, part: str = "datetime") -> str:
    return in_event_zone(value, viewer_timezone_name(), part) if value else ""


def session_title(session: EventSession) -> Markup:
    """The session's title in the reader's language, else in the event's main language with
    a note ("(in French)"); a session without any title takes the event's."""
    event = session.event
    lang = reader_language()
    text, other = pick(session.title, lang, event.language)
    if not text:
        return escape(noted_in(event.title, lang, event.language))
    if other:
        return Markup('<span lang="{}">{}</span> <span class="muted">{}</span>').format(
            other, text, IN_LANGUAGE_NOTES[other])
    return escape(text)


def labels() -> dict:
    return {"current_app": current_app, "kind_labels": KIND_LABELS,
            "event_status_labels": EVENT_STATUS_LABELS, "mode_labels": MODE_LABELS,
            "attendance_labels": ATTENDANCE_LABELS, "status_labels": STATUS_LABELS,
            "role_labels": ROLE_LABELS}


def url_with_id(endpoint: str, key: str):
    """A function giving `endpoint`'s URL for an id: url_for once, for id 0, then the id put in
    its place. For a page listing many rows, each with a link (url_for per row was a tenth of
    the dashboard's time)."""
    before, _zero, after = url_for(endpoint, **{key: 0}).rpartition("/0")
    return lambda id_: f"{before}/{id_}{after}"


@lru_cache(maxsize=1)
def _event_with_sessions():
    """Built once: building the statement (and its cache key, with the loader option) each
    time cost about as much as running it."""
    return (select(Event).options(joinedload(Event.sessions))
            .where(Event.id == bindparam("event_id")))


def visible_event(event_id: int) -> Event:
    """The event, or 404 when it does not exist or is a draft the viewer may not manage. Its
    sessions come with it (one round trip): every page and email about it lists them."""
    event = db.session.execute(_event_with_sessions(),
                               {"event_id": event_id}).unique().scalar_one_or_none()
    if event is None:
        abort(404)
    if event.status == EventStatus.DRAFT and not can(current_user, "manage", event):
        abort(404)
    return event


def managed_event(event_id: int, with_sessions: bool = False) -> Event:
    """The event, 404 if unknown, 403 unless the viewer manages it; `with_sessions` for a page
    that lists them (one round trip fewer than loading them after)."""
    # The permission check reads the organisers: load them with the event, one query.
    options = [joinedload(Event.organisers)]
    if with_sessions:
        options.append(joinedload(Event.sessions))
    event = db.session.get(Event, event_id, options=options)
    if event is None:
        abort(404)
    require("manage", event)
    return event


def managed_session(session_id: int) -> EventSession:
    session = db.session.get(EventSession, session_id)
    if session is None:
        abort(404)
    require("manage", session.event)
    return session


def managed_registration(registration_id: int) -> Registration:
    reg = db.session.get(Registration, registration_id)
    if reg is None:
        abort(404)
    require("manage", reg.event)
    return reg
