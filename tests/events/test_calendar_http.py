"""Last-Modified and If-Modified-Since on the personal feed and the public .ics: a 304 while
nothing changed, a 200 as soon as something did (including an entry that left), and any
If-Modified-Since a client may send, however broken, never a 500."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from werkzeug.http import http_date, parse_date

from elearn.events import services
from elearn.events.calendar import feed_for
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventSession,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db

LONG_AGO = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
GARBAGE = ["garbage", "", " ", "Mon, 99 Foo 2026 99:99:99 GMT", "0", "-1",
           "Tue, 31 Feb 2026 10:00:00 GMT", "9" * 500, "Thu, 01 Jan 1970 00:00:00 GMT\x00",
           "=?utf-8?q?x?=", "Sat, 01 Jan 10000 00:00:00 GMT"]


def backdate(when=LONG_AGO):
    """Every row was last changed at `when` (explicit values: no onupdate)."""
    for model in (Event, EventSession, Registration):
        db.session.execute(update(model).values(updated_at=when))
    db.session.commit()
    db.session.expire_all()


@pytest.fixture
def subscribed(app, make_user, make_event):
    user = make_user()
    event = make_event()
    db.session.add(Registration(event=event, user=user, mode=AttendanceMode.ONLINE,
                                status=RegistrationStatus.CONFIRMED))
    token = feed_for(user).token
    db.session.commit()
    backdate()
    return user, event, f"/calendar/{token}.ics"


def get(client, url, **headers):
    return client.get(url, headers={k.replace("_", "-"): v for k, v in headers.items()})


def test_feed_is_dated_by_its_latest_change_and_answers_304(client, subscribed, organiser):
    user, event, url = subscribed
    first = client.get(url)
    assert first.status_code == 200
    assert parse_date(first.headers["Last-Modified"]) == LONG_AGO
    assert first.headers["ETag"]

    assert get(client, url, If_Modified_Since=first.headers["Last-Modified"]).status_code == 304
    later = http_date(LONG_AGO + timedelta(days=1))
    assert get(client, url, If_Modified_Since=later).status_code == 304
    earlier = http_date(LONG_AGO - timedelta(seconds=1))
    assert get(client, url, If_Modified_Since=earlier).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
    both = get(client, url, If_Modified_Since=later, If_None_Match='"something-else"')
    assert both.status_code == 200

    event = db.session.get(Event, event.id)
    event.title["en"] = "Renamed workshop"
    db.session.commit()
    changed = get(client, url, If_Modified_Since=first.headers["Last-Modified"])
    assert changed.status_code == 200
    assert "Renamed workshop" in changed.get_data(as_text=True)
    assert parse_date(changed.headers.get("Last-Modified", http_date(datetime.now(UTC)))) > (
        LONG_AGO)


def test_feed_date_moves_when_an_entry_leaves(client, subscribed, organiser):
    user, event, url = subscribed
    other = services.create_event({"kind": "workshop", "title_en": "Second",
                                   "timezone": "America/Caracas", "mode": "virtual",
                                   "language": "en", "capacity_online": None}, organiser)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    local = services.utc_to_local(start, other.timezone)
    services.add_session(other, {"title_en": "Only", "starts_local": local,
                                 "ends_local": local + timedelta(hours=1)}, organiser)
    services.publish_event(other, organiser)
    reg = Registration(event=other, user=user, mode=AttendanceMode.ONLINE,
                       status=RegistrationStatus.CONFIRMED)
    db.session.add(reg)
    db.session.commit()
    backdate()
    stamp = client.get(url).headers["Last-Modified"]

    # The person gives up the seat: the entry leaves, the rows left in the feed did not change.
    reg = db.session.get(Registration, reg.id)
    reg.status = RegistrationStatus.CANCELLED
    db.session.commit()
    db.session.execute(update(Registration).where(Registration.id == reg.id)
                       .values(updated_at=LONG_AGO + timedelta(hours=1)))
    db.session.commit()
    response = get(client, url, If_Modified_Since=stamp)
    assert response.status_code == 200
    assert "Second" not in response.get_data(as_text=True)
    assert parse_date(response.headers["Last-Modified"]) == LONG_AGO + timedelta(hours=1)


def test_feed_date_moves_when_a_cancelled_entry_expires(client, subscribed, app):
    user, event, url = subscribed
    ended = datetime(2026, 10, 1, 12, tzinfo=UTC)
    db.session.execute(update(EventSession).where(EventSession.event_id == event.id)
                       .values(cancelled=True, updated_at=LONG_AGO,
                               starts_at=ended - timedelta(hours=1), ends_at=ended))
    second = EventSession(event_id=event.id, title_en="Kept",
                          starts_at=datetime(2026, 12, 20, 12, tzinfo=UTC),
                          ends_at=datetime(2026, 12, 20, 13, tzinfo=UTC))
    db.session.add(second)
    db.session.commit()
    backdate()

    response = client.get(url)
    expired = ended + timedelta(days=app.config["CALENDAR_KEEP_CANCELLED_DAYS"])
    assert expired < datetime.now(UTC)
    assert parse_date(response.headers["Last-Modified"]) == expired
    assert get(client, url, If_Modified_Since=http_date(expired - timedelta(days=1))
               ).status_code == 200


def test_empty_feed_has_no_date(client, make_user):
    token = feed_for(make_user()).token
    db.session.commit()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert "Last-Modified" not in response.headers
    assert get(client, f"/calendar/{token}.ics",
               If_Modified_Since=http_date(datetime.now(UTC))).status_code == 200


def test_public_file_is_dated_and_answers_304(client, make_event):
    event = make_event()
    backdate()
    url = f"/events/{event.id}/calendar.ics"
    first = client.get(url)
    assert parse_date(first.headers["Last-Modified"]) == LONG_AGO
    assert get(client, url, If_Modified_Since=first.headers["Last-Modified"]).status_code == 304
    session = db.session.get(EventSession, event.sessions[0].id)
    session.room = "Sala 3"
    db.session.commit()
    assert get(client, url, If_Modified_Since=first.headers["Last-Modified"]).status_code == 200


def test_a_fresh_change_is_sent_without_a_date(client, make_event):
    """Dates have whole seconds: one from this very second could hide a later change in it."""
    event = make_event()
    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["ETag"]
    if "Last-Modified" in response.headers:
        assert parse_date(response.headers["Last-Modified"]) < datetime.now(UTC).replace(
            microsecond=0)


@pytest.mark.parametrize("value", GARBAGE)
def test_broken_if_modified_since_is_ignored(client, subscribed, make_event, value):
    _user, _event, url = subscribed
    public = f"/events/{make_event().id}/calendar.ics"
    for path in (url, public):
        response = get(client, path, If_Modified_Since=value)
        assert response.status_code == 200, (path, value)
        assert response.get_data(as_text=True).startswith("BEGIN:VCALENDAR")


def test_if_modified_since_in_the_future_is_ignored(client, subscribed):
    _user, _event, url = subscribed
    future = http_date(datetime.now(UTC) + timedelta(days=3))
    assert get(client, url, If_Modified_Since=future).status_code == 200
