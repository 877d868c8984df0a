"""Attendance-test helpers: events, sessions and registrations made directly as rows."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db


@pytest.fixture
def make_event(app):
    def make(organiser=None, *, starts_at=None, minutes=120, sessions=1, **fields):
        starts_at = starts_at or datetime.now(UTC) - timedelta(minutes=5)
        event = Event(kind=fields.pop("kind", EventKind.WORKSHOP),
                      mode=fields.pop("mode", EventMode.HYBRID),
                      title_en=fields.pop("title_en", "Gender and SME policy workshop"),
                      timezone=fields.pop("timezone", "America/Caracas"),
                      status=fields.pop("status", EventStatus.PUBLISHED),
                      starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                      **fields)
        for n in range(sessions):
            start = starts_at + timedelta(days=n)
            event.sessions.append(EventSession(title_en=f"Day {n + 1}", starts_at=start,
                                               ends_at=start + timedelta(minutes=minutes)))
        if organiser is not None:
            event.organisers.append(EventOrganiser(user_id=organiser.id))
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def register(app):
    def make(event, user, status=RegistrationStatus.CONFIRMED, mode=AttendanceMode.IN_PERSON,
             **fields):
        registration = Registration(event_id=event.id, user_id=user.id, status=status,
                                    mode=mode, **fields)
        db.session.add(registration)
        db.session.commit()
        return registration

    return make
