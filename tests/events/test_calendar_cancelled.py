"""Cancelled events and sessions stay in subscriptions and public files as STATUS:CANCELLED,
with the SEQUENCE the cancellation raised, for CALENDAR_KEEP_CANCELLED_DAYS after their end:
a subscribed calendar learns of a cancellation only from the feed. Read back with vobject and
icalendar."""

from datetime import UTC, datetime, timedelta

import icalendar
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event as sa_event
from sqlalchemy import update

from elearn.events import services
from elearn.events.calendar import feed_ics
from elearn.events.models import (
    AttendanceMode,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.mail.services import deliver_committed
from tests.events.test_calendar_ics import parse


def two_session_event(make_event, organiser, **fields):
    event = make_event(publish=False, **fields)
    first = event.sessions[0]
    local = services.utc_to_local(first.starts_at + timedelta(days=1), event.timezone)
    services.add_session(event, {"title_en": "Second day", "starts_local": local,
                                 "ends_local": local + timedelta(hours=2)}, organiser)
    services.publish_event(event, organiser)
    db.session.commit()
    return event


def seat(event, user):
    db.session.add(Registration(event=event, user=user, mode=AttendanceMode.ONLINE,
                                status=RegistrationStatus.CONFIRMED))
    db.session.commit()


def by_uid(text):
    return {v.uid.value: v for v in parse(text)[1]}


def one_statement(build):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = build()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1, statements
    return result


def test_cancelled_event_stays_in_the_feed_and_its_public_file(
        app, client, make_user, make_event, organiser, mailbox, ics_of):
    user = make_user(email="marta@example.org")
    event = two_session_event(make_event, organiser)
    seat(event, user)
    uids = [s.uid for s in event.sessions]
    before = by_uid(feed_ics(user))
    assert {before[u].status.value for u in uids} == {"CONFIRMED"}

    services.cancel_event(event, organiser)
    db.session.commit()
    deliver_committed()

    assert user.preferred_language  # loaded now: only the feed's own query is counted
    text = one_statement(lambda: feed_ics(user))
    after = by_uid(text)
    assert sorted(after) == sorted(uids)
    for uid in uids:
        entry = after[uid]
        assert entry.status.value == "CANCELLED"
        assert int(entry.sequence.value) == int(before[uid].sequence.value) + 1
        assert entry.summary.value == "Cancelled: " + before[uid].summary.value
        assert entry.transp.value == "TRANSPARENT"
        assert entry.dtstart.value == before[uid].dtstart.value  # the original date
    # The CANCEL mailed to the person carries the same, raised, SEQUENCE.
    # (One calendar object per message: the cancellation mail and "Calendar entry 2 of 2".)
    mailed = {}
    for message in mailbox.to("marta@example.org"):
        calendar = ics_of(message)
        if calendar and "METHOD:CANCEL" in calendar:
            mailed.update(by_uid(calendar))
    assert {u: v.sequence.value for u, v in mailed.items()} == {
        u: after[u].sequence.value for u in uids}
    # A second parser agrees.
    for vevent in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        assert vevent["status"] == "CANCELLED"

    response = client.get(f"/events/{event.id}/calendar.ics")
    assert response.status_code == 200
    public = by_uid(response.get_data(as_text=True))
    assert sorted(public) == sorted(uids)
    assert {v.status.value for v in public.values()} == {"CANCELLED"}
    assert {v.sequence.value for v in public.values()} == {after[u].sequence.value
                                                           for u in uids}
    assert "public" in response.headers["Cache-Control"]


def test_a_session_called_off_in_a_live_event(app, client, make_user, make_event, organiser):
    user = make_user()
    event = two_session_event(make_event, organiser)
    seat(event, user)
    kept, dropped = event.sessions
    before = by_uid(feed_ics(user))

    services.remove_session(dropped, organiser)
    db.session.commit()

    after = by_uid(feed_ics(user))
    assert after[dropped.uid].status.value == "CANCELLED"
    assert int(after[dropped.uid].sequence.value) == int(before[dropped.uid].sequence.value) + 1
    assert after[kept.uid].status.value == "CONFIRMED"
    assert after[kept.uid].sequence.value == before[kept.uid].sequence.value
    public = by_uid(client.get(f"/events/{event.id}/calendar.ics").get_data(as_text=True))
    assert public[dropped.uid].status.value == "CANCELLED"
    assert public[kept.uid].status.value == "CONFIRMED"


def move_sessions(event, ended_ago: timedelta) -> None:
    """Time passes: the event's sessions ended `ended_ago` ago (an hour each)."""
    ends = datetime.now(UTC) - ended_ago
    db.session.execute(update(EventSession).where(EventSession.event_id == event.id)
                       .values(starts_at=ends - timedelta(hours=1), ends_at=ends))
    db.session.commit()
    db.session.expire_all()


def test_cancelled_entries_leave_after_the_kept_days(app, client, make_user, make_event,
                                                     organiser):
    assert app.config["CALENDAR_KEEP_CANCELLED_DAYS"] == 30
    user = make_user()
    cancelled = make_event(title_en="Called off")
    held = make_event(title_en="Took place")
    seat(cancelled, user)
    seat(held, user)
    services.cancel_event(cancelled, organiser)
    db.session.commit()
    move_sessions(held, timedelta(days=400))  # a session that took place stays for good

    move_sessions(cancelled, timedelta(days=29))
    assert len(by_uid(feed_ics(user))) == 2
    assert len(by_uid(client.get(f"/events/{cancelled.id}/calendar.ics")
                      .get_data(as_text=True))) == 1

    move_sessions(cancelled, timedelta(days=31))
    assert set(by_uid(feed_ics(user))) == {held.sessions[0].uid}
    response = client.get(f"/events/{cancelled.id}/calendar.ics")
    assert response.status_code == 200  # still a calendar, now without entries
    assert by_uid(response.get_data(as_text=True)) == {}

    app.config["CALENDAR_KEEP_CANCELLED_DAYS"] = 40
    try:
        assert len(by_uid(feed_ics(user))) == 2
    finally:
        app.config["CALENDAR_KEEP_CANCELLED_DAYS"] = 30


def test_cached_entries_follow_the_cancelled_state(app, make_user, make_event):
    """The feed reuses serialised entries; being cancelled is part of what they are keyed by
    (even if something cancelled a session without raising its SEQUENCE)."""
    user = make_user()
    event = make_event()
    seat(event, user)
    uid = event.sessions[0].uid
    assert by_uid(feed_ics(user))[uid].status.value == "CONFIRMED"

    event.sessions[0].cancelled = True
    db.session.commit()
    assert by_uid(feed_ics(user))[uid].status.value == "CANCELLED"

    event.sessions[0].cancelled = False
    event.status = EventStatus.CANCELLED
    db.session.commit()
    assert by_uid(feed_ics(user))[uid].status.value == "CANCELLED"

    event.status = EventStatus.PUBLISHED
    db.session.commit()
    assert by_uid(feed_ics(user))[uid].status.value == "CONFIRMED"


def test_spanish_feed_says_cancelled_in_spanish(app, make_user, make_event, organiser):
    user = make_user(preferred_language="es")
    event = make_event()
    seat(event, user)
    services.cancel_event(event, organiser)
    db.session.commit()

    (entry,) = by_uid(feed_ics(user)).values()
    with force_locale("es"):
        expected = _("Cancelled: %(title)s", title=event.title["es"] + " – Opening")
    assert entry.summary.value == expected


def test_drafts_keep_their_file_hidden(client, make_event):
    event = make_event(publish=False)
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404
