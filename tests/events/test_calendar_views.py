"""Calendar pages: an event's .ics, the personal subscription feed and its settings page."""

from datetime import UTC, datetime, timedelta

import vobject

from elearn.events.models import (
    AttendanceMode,
    CalendarFeed,
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


def make_event(status=EventStatus.PUBLISHED, organiser=None):
    event = Event(kind=EventKind.MEETING, timezone="America/Caracas", mode=EventMode.VIRTUAL,
                  status=status, title_en="Hybrid meeting", title_es="Reunión híbrida")
    start = datetime(2026, 5, 4, 13, tzinfo=UTC)
    event.sessions.append(EventSession(title_en="Opening", starts_at=start,
                                       ends_at=start + timedelta(hours=1)))
    if organiser is not None:
        event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    return event


def confirm(event, user):
    db.session.add(Registration(event=event, user=user, mode=AttendanceMode.ONLINE,
                                status=RegistrationStatus.CONFIRMED))
    db.session.commit()


def test_event_calendar_file_is_served_as_an_attachment(client, app):
    event = make_event()

    response = client.get(f"/events/{event.id}/calendar.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="event-{event.id}.ics"')
    cal = vobject.readOne(response.get_data(as_text=True))
    assert cal.vevent.uid.value == event.sessions[0].uid
    assert cal.method.value == "PUBLISH"
    # A client polling with the ETag it has gets a 304 until the event changes.
    etag = response.headers["ETag"]
    again = client.get(f"/events/{event.id}/calendar.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304
    event.title["en"] = "Renamed meeting"
    db.session.commit()
    changed = client.get(f"/events/{event.id}/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Renamed meeting" in changed.get_data(as_text=True)


def test_draft_calendar_is_hidden_except_from_its_organisers(client, app, make_user, login):
    organiser = make_user()
    event = make_event(status=EventStatus.DRAFT, organiser=organiser)

    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404
    login(make_user())
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404
    client.post("/logout")
    login(organiser)
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert client.get("/events/999999/calendar.ics").status_code == 404


def test_feed_by_token_without_login_and_revocation(client, app, make_user, login):
    user = make_user()
    event = make_event()
    confirm(event, user)
    login(user)
    page = client.get("/calendar/feed")
    assert page.status_code == 200
    old = db.session.query(CalendarFeed).filter_by(user_id=user.id).one()
    html = page.get_data(as_text=True)
    assert f"webcal://localhost/calendar/{old.token}.ics" in html
    assert f"http://localhost/calendar/{old.token}.ics" in html
    for client_name in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert client_name in html
    client.post("/logout")

    feed = client.get(f"/calendar/{old.token}.ics")
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert "max-age=300" in feed.headers["Cache-Control"]
    assert vobject.readOne(feed.get_data(as_text=True)).vevent.uid.value == (
        event.sessions[0].uid)

    login(user)
    revoked = client.post("/calendar/feed")
    assert revoked.status_code == 303
    client.post("/logout")
    new = db.session.query(CalendarFeed).filter_by(user_id=user.id, revoked_at=None).one()
    assert new.token != old.token

    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_feed_settings_needs_login_and_keeps_the_same_link(client, app, make_user, login):
    assert client.get("/calendar/feed").status_code in (302, 401)
    user = make_user()
    login(user)
    client.get("/calendar/feed")
    client.get("/calendar/feed")
    assert db.session.query(CalendarFeed).filter_by(user_id=user.id).count() == 1


def test_feed_of_a_blocked_account_stops(client, app, make_user):
    user = make_user()
    from elearn.events.calendar import feed_for

    token = feed_for(user).token
    db.session.commit()
    user.is_active_account = False
    db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404
