"""The .ics we produce, read back with an independent parser (vobject), which builds its own
time zones from our VTIMEZONE: so a wrong offset in the file shows as a wrong UTC instant."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from sqlalchemy import event as sa_event

from elearn.events.calendar import event_ics, feed_ics, invite_ics
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db


def make_event(tz="America/Caracas", mode=EventMode.HYBRID, starts=None,
               status=EventStatus.PUBLISHED, **fields):
    starts = starts or [datetime(2026, 3, 10, 14, tzinfo=UTC)]
    event = Event(
        kind=EventKind.WORKSHOP, timezone=tz, mode=mode, status=status,
        title_en=fields.pop("title_en", "Gender and SME policy"),
        title_es=fields.pop("title_es", "Género y políticas para pymes"),
        description_en="Regional workshop for public officials.",
        description_es="Taller regional para funcionarios públicos.",
        venue_name="SELA", venue_address="Av. Francisco de Miranda", venue_city="Caracas",
        venue_country="VE", **fields,
    )
    for i, start in enumerate(starts):
        event.sessions.append(EventSession(
            title_en=f"Day {i + 1}", title_es=f"Día {i + 1}",
            starts_at=start, ends_at=start + timedelta(hours=2)))
    db.session.add(event)
    db.session.commit()
    return event


def register(event, user, mode=AttendanceMode.ONLINE, status=RegistrationStatus.CONFIRMED):
    reg = Registration(event=event, user=user, mode=mode, status=status)
    db.session.add(reg)
    db.session.commit()
    return reg


def parse(text):
    # vobject keeps every VTIMEZONE it has read in a process-wide map by TZID and reuses it for
    # later files; each of our files carries its own compact VTIMEZONE, so read it afresh.
    vars(vobject.icalendar)["__tzidMap"].clear()
    cal = vobject.readOne(text)
    return cal, list(getattr(cal, "vevent_list", []))


def utc(component, name="dtstart"):
    return getattr(component, name).value.astimezone(UTC)


def test_request_invite_carries_what_clients_need(app, make_user):
    user = make_user(email="ana@example.org", full_name="Ana Pérez")
    event = make_event(starts=[datetime(2026, 3, 10, 14, tzinfo=UTC),
                               datetime(2026, 3, 11, 14, tzinfo=UTC)])
    reg = register(event, user)

    cal, vevents = parse(invite_ics(reg))

    assert cal.method.value == "REQUEST"
    assert cal.version.value == "2.0"
    assert cal.prodid.value
    # One VEVENT per message (Outlook and Gmail act on one): the first session by default.
    assert [v.uid.value for v in vevents] == [event.sessions[0].uid]
    _cal, (second,) = parse(invite_ics(reg, session=event.sessions[1]))
    assert second.uid.value == event.sessions[1].uid
    first = vevents[0]
    assert first.sequence.value == "0"
    assert first.status.value == "CONFIRMED"
    assert first.summary.value == "Gender and SME policy – Day 1"
    assert first.url.value == f"http://localhost/events/{event.id}"
    assert f"http://localhost/events/{event.id}" in first.description.value
    # An online seat gets the app's own join link, never the provider's.
    assert first.location.value == f"http://localhost/events/{event.id}/join"
    assert first.dtstamp.value.tzinfo is not None
    assert abs(first.dtstamp.value - datetime.now(UTC)) < timedelta(minutes=1)

    organizer = first.organizer
    assert organizer.value.lower() == "mailto:events@elearn.test"  # CALENDAR_ORGANIZER unset
    assert organizer.params["CN"] == [app.config["ORGANISATION_NAME"]]
    attendee = first.attendee
    assert attendee.value.lower() == "mailto:ana@example.org"
    assert attendee.params["CN"] == ["Ana Pérez"]
    assert attendee.params["RSVP"] == ["FALSE"]  # answers come through the email's links
    assert attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
    assert attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
    assert attendee.params["CUTYPE"] == ["INDIVIDUAL"]


def test_in_person_seat_gets_the_venue_and_spanish_reader_gets_spanish(app, make_user):
    user = make_user(preferred_language="es")
    event = make_event()
    event.sessions[0].room = "Sala 2"
    reg = register(event, user, mode=AttendanceMode.IN_PERSON)

    _cal, (vevent,) = parse(invite_ics(reg))

    assert vevent.summary.value == "Género y políticas para pymes – Día 1"
    assert vevent.location.value == "Sala 2, SELA, Av. Francisco de Miranda, Caracas, Venezuela"
    assert "/join" not in vevent.description.value


def test_uid_is_stable_and_sequence_grows_with_changes(app, make_user):
    reg = register(make_event(), make_user())
    session = reg.event.sessions[0]
    _c, (before,) = parse(invite_ics(reg))

    session.starts_at += timedelta(hours=1)
    session.ends_at += timedelta(hours=1)
    session.sequence += 1
    db.session.commit()
    _c, (after,) = parse(invite_ics(reg))

    assert after.uid.value == before.uid.value == session.uid
    assert int(after.sequence.value) == int(before.sequence.value) + 1 == 1
    assert utc(after) == utc(before) + timedelta(hours=1)


def test_cancel_has_same_uid_and_sequence_one_session_per_message(app, make_user):
    event = make_event(starts=[datetime(2026, 3, 10, 14, tzinfo=UTC),
                               datetime(2026, 3, 12, 14, tzinfo=UTC)])
    event.sessions[1].cancelled = True
    event.sessions[1].sequence = 3
    reg = register(event, make_user())

    _c, requested = parse(invite_ics(reg, "REQUEST"))
    cal, cancelled = parse(invite_ics(reg, "CANCEL"))
    _c, cancelled_too = parse(invite_ics(reg, "CANCEL", session=event.sessions[1]))
    cancelled += cancelled_too

    assert [v.uid.value for v in requested] == [event.sessions[0].uid]  # cancelled one left out
    assert cal.method.value == "CANCEL"
    assert [v.uid.value for v in cancelled] == [s.uid for s in event.sessions]
    assert [v.sequence.value for v in cancelled] == ["0", "3"]
    assert {v.status.value for v in cancelled} == {"CANCELLED"}
    assert cancelled[0].attendee.params["RSVP"] == ["FALSE"]
    with pytest.raises(ValueError):
        invite_ics(reg, "PUBLISH")


def test_caracas_times_round_trip_to_the_stored_utc_instant(app, make_user):
    start = datetime(2026, 3, 10, 14, tzinfo=UTC)  # 10:00 in Caracas (UTC-4, no DST)
    reg = register(make_event(tz="America/Caracas", starts=[start]), make_user())
    text = invite_ics(reg)

    cal, (vevent,) = parse(text)

    assert "DTSTART;TZID=America/Caracas:20260310T100000" in text
    assert utc(vevent) == start
    assert utc(vevent, "dtend") == start + timedelta(hours=2)
    (vtimezone,) = cal.vtimezone_list
    assert vtimezone.tzid.value == "America/Caracas"
    assert "RDATE" not in text
    assert text.count("BEGIN:STANDARD") + text.count("BEGIN:DAYLIGHT") == 1


def test_santiago_summer_and_winter_sessions_keep_their_instants(app, make_user):
    summer = datetime(2026, 1, 15, 13, tzinfo=UTC)  # 10:00 local, UTC-3 (DST)
    winter = datetime(2026, 7, 15, 14, tzinfo=UTC)  # 10:00 local, UTC-4
    reg = register(make_event(tz="America/Santiago", starts=[summer, winter]), make_user())
    text = event_ics(reg.event)  # an invite holds one session: the public file holds both

    cal, vevents = parse(text)

    assert "DTSTART;TZID=America/Santiago:20260115T100000" in text
    assert "DTSTART;TZID=America/Santiago:20260715T100000" in text
    assert [utc(v) for v in vevents] == [summer, winter]
    (vtimezone,) = cal.vtimezone_list
    observances = text.count("BEGIN:STANDARD") + text.count("BEGIN:DAYLIGHT")
    assert 2 <= observances <= 4  # compact: only the months in use, not decades of rules
    assert text.count("RDATE") <= 2
    zone_block = text.split("BEGIN:VTIMEZONE")[1].split("END:VTIMEZONE")[0]
    starts = re.findall(r"^DTSTART:(\d{8}T\d{6})", zone_block, re.M)
    assert min(starts) <= "20260115T100000"  # defined from before the first session
    assert "2026-08-01" in zone_block.replace("\r\n ", "")  # stated end: after the last
    # The zone definition covers both dates: vobject's own tz built from it agrees.
    assert vevents[0].dtstart.value.utcoffset() == timedelta(hours=-3)
    assert vevents[1].dtstart.value.utcoffset() == timedelta(hours=-4)


def test_lines_are_folded_at_75_octets(app, make_user):
    reg = register(make_event(title_en="A very long title " * 10), make_user())
    for line in invite_ics(reg).split("\r\n"):
        assert len(line.encode("utf-8")) <= 75


def test_public_file_of_a_hybrid_event_gives_venue_and_join_link(app):
    event = make_event(mode=EventMode.HYBRID)

    cal, (vevent,) = parse(event_ics(event))

    assert cal.method.value == "PUBLISH"
    assert not hasattr(vevent, "attendee")
    assert "SELA, Av. Francisco de Miranda, Caracas, Venezuela" in vevent.location.value
    assert f"http://localhost/events/{event.id}/join" in vevent.location.value
    assert vevent.uid.value == event.sessions[0].uid


def test_public_file_of_virtual_and_in_person_events(app):
    virtual = make_event(mode=EventMode.VIRTUAL)
    in_person = make_event(mode=EventMode.IN_PERSON)

    _c, (online,) = parse(event_ics(virtual))
    _c, (venue,) = parse(event_ics(in_person))

    assert online.location.value == f"http://localhost/events/{virtual.id}/join"
    assert "/join" not in venue.location.value


def test_feed_has_only_confirmed_seats_of_live_events_in_one_query(app, make_user):
    user = make_user(preferred_language="es")
    confirmed = make_event(title_es="Confirmado", starts=[
        datetime(2026, 3, 10, 14, tzinfo=UTC), datetime(2026, 3, 11, 14, tzinfo=UTC)])
    confirmed.sessions[1].cancelled = True
    santiago = make_event(tz="America/Santiago", title_es="Santiago",
                          starts=[datetime(2026, 1, 15, 13, tzinfo=UTC)])
    waitlisted = make_event(title_es="En espera")
    cancelled_event = make_event(title_es="Evento cancelado", status=EventStatus.CANCELLED)
    dropped = make_event(title_es="Me retiré")
    someone_elses = make_event(title_es="De otra persona")
    register(confirmed, user)
    register(santiago, user, mode=AttendanceMode.IN_PERSON)
    register(waitlisted, user, status=RegistrationStatus.WAITLISTED)
    register(cancelled_event, user)
    register(dropped, user, status=RegistrationStatus.CANCELLED)
    register(someone_elses, make_user())

    assert user.preferred_language == "es"  # loaded now, so only the feed's query is counted
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        text = feed_ics(user)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)

    cal, vevents = parse(text)
    assert len(statements) == 1
    assert {v.uid.value for v in vevents} == {confirmed.sessions[0].uid,
                                              santiago.sessions[0].uid}
    by_uid = {v.uid.value: v for v in vevents}
    assert by_uid[santiago.sessions[0].uid].location.value.startswith("SELA")
    assert by_uid[confirmed.sessions[0].uid].location.value.endswith(f"/{confirmed.id}/join")
    assert by_uid[santiago.sessions[0].uid].summary.value == "Santiago – Día 1"
    assert utc(by_uid[santiago.sessions[0].uid]) == datetime(2026, 1, 15, 13, tzinfo=UTC)
    assert sorted(tz.tzid.value for tz in cal.vtimezone_list) == [
        "America/Caracas", "America/Santiago"]
    assert cal.method.value == "PUBLISH"
    assert not hasattr(vevents[0], "attendee")


def test_feed_reflects_changes_after_being_served(app, make_user):
    """Feeds reuse serialised sessions; a change must still show on the next fetch."""
    user = make_user()
    event = make_event()
    register(event, user)
    _c, (first,) = parse(feed_ics(user))

    event.sessions[0].starts_at += timedelta(days=1)
    event.sessions[0].ends_at += timedelta(days=1)
    event.sessions[0].sequence += 1
    event.title["en"] = "Renamed workshop"
    db.session.commit()
    _c, (second,) = parse(feed_ics(user))

    assert utc(second) == utc(first) + timedelta(days=1)
    assert second.sequence.value == "1"
    assert second.summary.value.startswith("Renamed workshop")


def test_empty_feed_is_still_a_valid_calendar(app, make_user):
    cal, vevents = parse(feed_ics(make_user()))
    assert vevents == []
    assert cal.prodid.value


def test_portuguese_reader_gets_the_main_language_titles_with_portuguese_words(app, make_user):
    reg = register(make_event(language="es"), make_user(preferred_language="pt"),
                   mode=AttendanceMode.IN_PERSON)
    _c, (vevent,) = parse(invite_ics(reg))
    assert vevent.summary.value == "Género y políticas para pymes – Día 1"
    assert vevent.location.value.endswith("Venezuela")  # Babel's name, same in pt
    public = parse(event_ics(reg.event, "en"))[1][0]
    assert public.summary.value == "Gender and SME policy – Day 1"


def test_titles_written_in_portuguese_reach_portuguese_calendars(app, make_user):
    event = make_event(language="fr", title_en=None, title_es=None,
                       title={"fr": "Politique des PME", "pt": "Política das PME"})
    reg = register(event, make_user(preferred_language="pt"))
    _c, (vevent,) = parse(invite_ics(reg))
    assert vevent.summary.value.startswith("Política das PME – ")
    english = parse(event_ics(event, "en"))[1][0]
    assert english.summary.value.startswith("Politique des PME – ")  # the main language


def test_unknown_zone_falls_back_to_utc_times(app, make_user):
    start = datetime(2026, 3, 10, 14, tzinfo=UTC)
    reg = register(make_event(tz="Mars/Olympus_Mons", starts=[start]), make_user())
    text = invite_ics(reg)
    assert "DTSTART:20260310T140000Z" in text
    assert "VTIMEZONE" not in text
    assert utc(parse(text)[1][0]) == start
