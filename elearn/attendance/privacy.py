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

from .checkin import ticket_url
from .models import Attendance


def _iso(value):
    return value.isoformat() if value is not None else None


def export(user) -> dict:
    rows = db.session.execute(
        select(Attendance, EventSession.title_en, EventSession.starts_at, Event.title_en)
        .join(EventSession, EventSession.id == Attendance.session_id)
        .join(Event, Event.id == EventSession.event_id)
        .where(Attendance.user_id == user.id).order_by(EventSession.starts_at)).all()
    tickets = db.session.execute(
        select(Registration, Event.title_en).join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id,
               Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id)).all()
    return {
        "attendance": [
            {"event": event_title, "session": session_title,
             "session_starts_at": _iso(starts_at), "status": a.status.value,
             "mode": a.mode.value, "source": a.source.value,
             "checked_in_at": _iso(a.checked_in_at), "minutes_online": a.minutes_online}
            for a, session_title, starts_at, event_title in rows],
        "event_tickets": [{"event": title, "ticket": ticket_url(reg)} for reg, title in tickets],
    }


def erase(user) -> None:
    for reg in db.session.scalars(select(Registration).where(Registration.user_id == user.id)):
        reg.ticket_token = secrets.token_urlsafe(24)


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
