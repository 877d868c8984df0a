"""Calendar files are kept at their version in the shared store (the database table, or Redis
when REDIS_URL is set) and served from there, and every change that alters a file gives a new
version: the event, its sessions, a cancellation, an entry leaving, the person's seats, the
reader's language."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from elearn.events import calendar as ics
from elearn.events import calendar_cache
from elearn.events.calendar import feed_for
from elearn.events.models import (
    AttendanceMode,
    CalendarFileCache,
    Event,
    EventMode,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.multilingual import sql_text

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["database", "redis"])
def store(request, app):
    if request.param == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        app.config["REDIS_URL"] = REDIS_URL
    calendar_cache.clear()
    yield request.param
    calendar_cache.clear()
    app.config["REDIS_URL"] = None


@pytest.fixture
def builds(monkeypatch):
    """How many times each kind of file was built (not served from the store)."""
    counts = {"event": 0, "feed": 0}
    event_file, feed_file = ics.event_file, ics.feed_file

    def count(kind, build):
        def wrapped(*args, **kwargs):
            counts[kind] += 1
            return build(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(ics, "event_file", count("event", event_file))
    monkeypatch.setattr(ics, "feed_file", count("feed", feed_file))
    return counts


def body(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def session_of(event) -> EventSession:
    return db.session.scalars(select(EventSession).where(EventSession.event_id == event.id)
                              ).first()


def test_event_file_is_built_once_then_served_from_the_store(client, make_event, store,
                                                            builds, monkeypatch):
    event = make_event(title_en="Kept workshop")
    url = f"/events/{event.id}/calendar.ics"
    first = client.get(url)
    assert "Kept workshop" in body(first)
    assert builds["event"] == 1
    if store == "database":
        assert db.session.scalar(select(CalendarFileCache.owner)) == f"event:{event.id}:en"

    # Another worker (nothing of this one's memory): the store answers, nothing is built.
    monkeypatch.setattr(ics, "event_file", lambda *a: pytest.fail("built again"))
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def rename_event(event):
    renamed = db.session.get(Event, event.id)
    renamed.title = {**renamed.title, "en": "Renamed workshop"}
    return "Renamed workshop"


def move_room(event):
    session_of(event).room = "Sala Bolívar"
    return "Sala Bolívar"


def cancel_session(event):
    session_of(event).cancelled = True
    return "STATUS:CANCELLED"


def cancel_event(event):
    db.session.get(Event, event.id).status = EventStatus.CANCELLED
    return "STATUS:CANCELLED"


def add_session(event):
    start = datetime(2027, 2, 3, 14, tzinfo=UTC)
    db.session.add(EventSession(event_id=event.id, title_en="Added day", starts_at=start,
                                ends_at=start + timedelta(hours=1)))
    return "Added day"


def reschedule_in_sql(event):
    """A Core UPDATE, as services do for bulk changes: updated_at still moves (onupdate)."""
    db.session.execute(update(EventSession).where(EventSession.event_id == event.id)
                       .values(starts_at=datetime(2027, 5, 6, 14, tzinfo=UTC),
                               ends_at=datetime(2027, 5, 6, 16, tzinfo=UTC)))
    return "20270506T"


def change_mode(event):
    db.session.get(Event, event.id).mode = EventMode.IN_PERSON
    db.session.get(Event, event.id).venue_name = "Casa Amarilla"
    return "Casa Amarilla"


CHANGES = [rename_event, move_room, cancel_session, cancel_event, add_session,
           reschedule_in_sql, change_mode]


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_a_change_of_the_event_gives_a_new_public_file(client, make_event, store, builds,
                                                       change):
    event = make_event(mode="hybrid", venue_name="SELA")
    url = f"/events/{event.id}/calendar.ics"
    first = client.get(url)
    marker = change(event)
    db.session.commit()
    assert marker not in body(first)
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert marker in body(changed)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert builds["event"] == 2


def test_deleting_a_session_gives_a_new_file(client, make_event, organiser, store):
    event = make_event()
    add_session(event)
    db.session.commit()
    url = f"/events/{event.id}/calendar.ics"
    assert body(client.get(url)).count("BEGIN:VEVENT") == 2
    db.session.delete(db.session.scalars(select(EventSession).where(
        sql_text(EventSession.title, "en") == "Added day")).one())
    db.session.commit()
    assert body(client.get(url)).count("BEGIN:VEVENT") == 1


def test_each_language_has_its_own_file(client, make_event, store, builds):
    event = make_event()
    url = f"/events/{event.id}/calendar.ics"
    spanish = body(client.get(url, headers={"Accept-Language": "es"}))
    english = body(client.get(url, headers={"Accept-Language": "en"}))
    assert "Taller de logística portuaria" in spanish
    assert "Port logistics workshop" in english
    assert body(client.get(url, headers={"Accept-Language": "es"})) == spanish
    assert builds["event"] == 2


def test_a_cancelled_entry_leaving_gives_a_new_file(client, make_event, store, app,
                                                    monkeypatch):
    event = make_event()
    add_session(event)
    session_of(event).cancelled = True
    db.session.commit()
    url = f"/events/{event.id}/calendar.ics"
    assert body(client.get(url)).count("BEGIN:VEVENT") == 2
    ends = session_of(event).ends_at
    later = ends + timedelta(days=app.config["CALENDAR_KEEP_CANCELLED_DAYS"], minutes=1)
    for module in (ics, calendar_cache):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    assert body(client.get(url)).count("BEGIN:VEVENT") == 1


# --- the personal feed ----------------------------------------------------------------------

@pytest.fixture
def person(make_user, make_event):
    user = make_user(preferred_language="en")
    event = make_event(title_en="First seat", mode="hybrid", venue_name="SELA")
    db.session.add(Registration(event=event, user=user, mode=AttendanceMode.IN_PERSON,
                                status=RegistrationStatus.CONFIRMED))
    url = f"/calendar/{feed_for(user).token}.ics"
    db.session.commit()
    return user, event, url


def test_feed_is_built_once_then_served_from_the_store(client, person, store, builds):
    _user, _event, url = person
    first = client.get(url)
    assert "First seat" in body(first)
    assert client.get(url).get_data() == first.get_data()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert builds["feed"] == 1


def test_feed_follows_the_persons_seats_and_language(client, person, make_event, store,
                                                     builds):
    user, event, url = person
    assert "First seat" in body(client.get(url))

    other = make_event(title_en="Second seat")
    seat = Registration(event=other, user=user, mode=AttendanceMode.ONLINE,
                        status=RegistrationStatus.CONFIRMED)
    db.session.add(seat)
    db.session.commit()
    assert "Second seat" in body(client.get(url))  # registered

    db.session.get(Registration, seat.id).status = RegistrationStatus.CANCELLED
    db.session.commit()
    assert "Second seat" not in body(client.get(url))  # gave the seat up

    assert f"/events/{event.id}/join" not in body(client.get(url))
    first = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id)).one()
    first.mode = AttendanceMode.ONLINE
    db.session.commit()
    assert f"LOCATION:http://localhost/events/{event.id}/join" in body(client.get(url))

    db.session.get(type(user), user.id).preferred_language = "es"
    db.session.commit()
    assert "Taller de logística portuaria" in body(client.get(url))
    assert builds["feed"] == 5


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_feed_follows_its_events(client, person, store, change):
    _user, event, url = person
    before = body(client.get(url))
    marker = change(event)
    db.session.commit()
    assert marker not in before
    assert marker in body(client.get(url))


def test_unreadable_store_still_serves_the_file(client, make_event, app, monkeypatch):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        event = make_event(title_en="Still served")
        assert "Still served" in body(client.get(f"/events/{event.id}/calendar.ics"))
    finally:
        app.config["REDIS_URL"] = None
