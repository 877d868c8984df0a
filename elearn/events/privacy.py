"""What the events domain holds about a person, for the accounts data download and erasure.

Erasure keeps each registration's status, mode and role (statistics count them, anonymously
once the account is erased) and removes the rest: the reasons organisers wrote to the person,
their calendar subscriptions (revoked, so the feed URL stops working), and every copy of their
name or email typed into an event (a session's list of speakers, a title, a description)."""

import re

from sqlalchemy import or_, select, update

from elearn.accounts.services import erasure_hooks, export_providers
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms.reading import shown_answers
from elearn.multilingual import LANGUAGE_NAMES, text_in

from .models import (
    CalendarFeed,
    Event,
    EventOrganiser,
    EventSession,
    JoinClick,
    ParticipantRole,
    Registration,
)
from .services.questions import forget_answers

# Free text organisers type about events, where a person's name or email may be copied.
TYPED_TEXT = {
    Event: ("title", "description", "venue_name", "venue_address", "video_error"),
    EventSession: ("title", "speakers", "room"),
}


def _iso(value):
    return value.isoformat() if value is not None else None


def _registrations(user) -> list[tuple[Registration, Event]]:
    return db.session.execute(
        select(Registration, Event).join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id).order_by(Registration.id)).all()


def _identities(user) -> list[str]:
    """The strings that identify the person: full name and email (too short a name would
    match inside other words, so it is not searched for)."""
    return [text for text in (user.full_name, user.email) if text and len(text.strip()) >= 4]


def _searched(model, column: str):
    """The column's texts to search: one per language of a multilingual field (extracted
    from the JSON, so accents match as typed), else the column."""
    if column in getattr(model, "__multilingual__", ()):
        return [getattr(model, column)[lang].as_string() for lang in LANGUAGE_NAMES]
    return [getattr(model, column)]


def _mentions(user):
    """(row, column, language or None) where the person's name or email is typed into an
    event."""
    found = []
    for model, columns in TYPED_TEXT.items():
        for text in _identities(user):
            pattern = f"%{text}%"
            rows = db.session.scalars(select(model).where(
                or_(*(expr.ilike(pattern) for c in columns for expr in _searched(model, c)))))
            for row in rows:
                for c in columns:
                    if c in model.__multilingual__:
                        found += [(row, c, lang) for lang in (getattr(row, c) or {})]
                    else:
                        found.append((row, c, None))
    return found


def _answers(reg: Registration, language: str) -> list[dict]:
    # All of them, sensitive ones too: they are the person's own.
    return [{"question": a.question, "answer": a.value}
            for a in shown_answers(reg.form_response, language, True)]


def export(user) -> dict:
    registrations = _registrations(user)
    language = getattr(user, "preferred_language", None) or "en"
    clicks = db.session.execute(
        select(JoinClick.at, Event.title, Event.language)
        .join(Registration, Registration.id == JoinClick.registration_id)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id).order_by(JoinClick.id)).all()
    organised = db.session.scalars(
        select(Event).join(EventOrganiser, EventOrganiser.event_id == Event.id)
        .where(EventOrganiser.user_id == user.id).order_by(Event.id)).all()
    feeds = db.session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id)
                               .order_by(CalendarFeed.id)).all()
    named = {row.text("title", language) or row.event.text("title", language)
             for row, _c, _lang in _mentions(user) if isinstance(row, EventSession)}
    return {
        "event_registrations": [
            {"event": event.text("title", language), "status": reg.status.value,
             "mode": reg.mode.value, "role": reg.role.value, "registered_at": _iso(reg.created_at),
             "decided_at": _iso(reg.decided_at), "rejection_reason": reg.rejection_reason,
             "cancelled_at": _iso(reg.cancelled_at),
             "cancellation_reason": reg.cancellation_reason,
             "answers": _answers(reg, language)}
            for reg, event in registrations],
        "event_panel_roles": [
            {"event": event.text("title", language), "role": reg.role.value}
            for reg, event in registrations if reg.role != ParticipantRole.PARTICIPANT],
        "events_organised": [event.text("title", language) for event in organised],
        "event_sessions_naming_you": sorted(named),
        "event_join_clicks": [{"event": text_in(title, language, main), "at": _iso(at)}
                              for at, title, main in clicks],
        "calendar_feeds": [{"created_at": _iso(f.created_at), "revoked_at": _iso(f.revoked_at)}
                           for f in feeds],
    }


def _without(text: str | None, identities: list[str]) -> str | None:
    if not text:
        return text
    for identity in identities:
        text = re.sub(re.escape(identity), "", text, flags=re.IGNORECASE)
    # A list of speakers keeps reading as a list once a name is gone.
    return re.sub(r"\s*([,;])\s*(?=[,;]|$)|^\s*[,;]\s*", "", text).strip()


def erase(user) -> None:
    identities = _identities(user)
    for row, column, lang in _mentions(user):
        if lang is None:
            setattr(row, column, _without(getattr(row, column), identities))
        else:
            getattr(row, column)[lang] = _without(getattr(row, column)[lang], identities)
    for reg, _event in _registrations(user):
        reg.rejection_reason = reg.cancellation_reason = None
        forget_answers(reg)
    db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session="fetch"))


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
