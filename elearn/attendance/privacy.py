"""What the attendance domain holds about a person, for the accounts data download and erasure.

Attendance rows hold statuses, sources and times only (an import matches people and keeps no
name or email from the provider's report), so erasure keeps them for statistics. A ticket's
code is a credential that a printed badge carries: erasure replaces it, so the old badge no
longer checks anyone in."""

import secrets

from sqlalchemy import select

from elearn.accounts.services import erasure_hooks, export_providers
from elearn.events.models import Event, EventSession, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.multilingual import text_in

from .checkin import ticket_url
from .models import Attendance


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user) -> dict:
    language = getattr(user, "preferred_language", None) or "en"
    rows = db.session.execute(
        select(Attendance, EventSession.title, EventSession.starts_at, Event.title,
               Event.language)
        .join(EventSession, EventSession.id == Attendance.session_id)
        .join(Event, Event.id == EventSession.event_id)
        .where(Attendance.user_id == user.id).order_by(EventSession.starts_at)).all()
    tickets = db.session.execute(
        select(Registration, Event.title, Event.language)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id,
               Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id)).all()
    return {
        "attendance": [
            {"event": text_in(event_title, language, main),
             "session": text_in(session_title, language, main),
             "session_starts_at": _iso(starts_at), "status": a.status.value,
             "mode": a.mode.value, "source": a.source.value,
             "checked_in_at": _iso(a.checked_in_at), "minutes_online": a.minutes_online}
            for a, session_title, starts_at, event_title, main in rows],
        "event_tickets": [{"event": text_in(title, language, main), "ticket": ticket_url(reg)}
                          for reg, title, main in tickets],
    }


def erase(user) -> None:
    for reg in db.session.scalars(select(Registration).where(Registration.user_id == user.id)):
        reg.ticket_token = secrets.token_urlsafe(24)


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
