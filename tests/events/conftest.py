"""Helpers for the events tests: an organiser and published events built through the services."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.events import services
from elearn.events.models import Event
from elearn.extensions import db
from elearn.mail.services import deliver_committed


@pytest.fixture
def organiser(make_user):
    return make_user(email="organiser@example.org", roles=["organiser"], full_name="Olga Organiser")


@pytest.fixture
def make_event(organiser):
    """make_event(**fields) -> a published event with one session starting in `starts_in`."""

    def make(publish=True, starts_in=timedelta(days=10), hours=2, **fields):
        data = {
            "kind": "workshop", "title_en": "Port logistics workshop",
            "title_es": "Taller de logística portuaria", "timezone": "America/Caracas",
            "mode": "virtual", "language": "es", "capacity_online": None,
        }
        data.update(fields)
        event = services.create_event(data, organiser)
        start = datetime.now(UTC).replace(second=0, microsecond=0) + starts_in
        local = services.utc_to_local(start, event.timezone)
        services.add_session(event, {"title_en": "Opening", "starts_local": local,
                                     "ends_local": local + timedelta(hours=hours)}, organiser)
        if publish:
            services.publish_event(event, organiser)
        db.session.commit()
        deliver_committed()
        return event

    return make


@pytest.fixture
def reload():
    """reload(event) -> the event as stored now (seat counters are changed in SQL)."""

    def do(event: Event) -> Event:
        db.session.expire_all()
        return db.session.get(Event, event.id)

    return do


@pytest.fixture
def ics_of():
    """ics_of(message) -> the text/calendar part of an email (decoded), or None."""

    def do(message):
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                content = part.get_content()
                return content.decode() if isinstance(content, bytes) else content
        return None

    return do
