"""The published VEVENTs written as text (calendar_text) are byte for byte what icalendar writes
for the same session: time zones (with and without summer time, UTC-like, unknown), cancelled
sessions, each kind of seat and event, long lines folded next to escapes and multi-byte
characters, commas, semicolons, backslashes and line breaks, non-ASCII names."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from elearn.events import calendar_build as build
from elearn.events import calendar_text as text
from elearn.events.models import EventMode

ZONES = ["America/Caracas", "America/Santiago", "Europe/Madrid", "Asia/Kolkata", "UTC",
         "Etc/GMT+5", "Mars/Olympus_Mons", "Australia/Lord_Howe", "GMT"]
TITLES = ["Gender and SME policy", "Política, género; pymes", "Línea 1\nLínea 2\r\nfin",
          "Back\\slash \\N and ^caret^", "女性起業家と政策 🚀 Ñandú", "x" * 200,
          "comma,".ljust(73, "a") + ",,,", "\\" * 90, "é" * 40 + ";" * 3 + "ü" * 30]


def reference(builder, event, session, *, online, cancelled):
    """What the published VEVENT was before it was written as text: icalendar's output."""
    vevent = builder.vevent(event, session, online=online, cancelled=cancelled)
    if cancelled:
        title = vevent.pop("summary")
        vevent.add("summary", build._("Cancelled: %(title)s", title=title))
        del vevent["transp"]
        vevent.add("transp", "TRANSPARENT")
    return vevent.to_ical().decode()


def event_row(i, mode, tz, title, description="", venue=("SELA", "Av. Francisco de Miranda",
                                                           "Caracas", "VE")):
    # English first: a Portuguese or French file shows the English texts, as before.
    return build.EventRow(i, mode, tz, "en", {"en": title, "es": "Título: " + title[:30]},
                          {"en": description, "es": "Descripción; larga, con comas"}, *venue)


def session_row(i, starts, title="", room=None, speakers=None, sequence=0):
    return build.SessionRow(i, f"{i:08x}-uid@elearn.test", sequence, starts,
                            starts + timedelta(hours=2, minutes=30),
                            {"en": title, "es": title + " (es)"} if title else {}, room,
                            speakers)


def cases():
    modes = list(EventMode)
    starts = [datetime(2026, 3, 10, 14, tzinfo=UTC), datetime(2026, 10, 4, 5, 59, 59, 999,
                                                                tzinfo=UTC)]
    descriptions = ["", "Regional workshop, for officials; in Caracas.\nSecond line.",
                    "Palabras " * 80, "a\\b " * 150]
    venues = [("SELA", "Av. Francisco de Miranda", "Caracas", "VE"), (None, None, None, None),
              ("  ", "Calle 5, Nº 3", "Ciudad de México", "MX"), ("Sala", None, None, "XX")]
    for n, (zone, title) in enumerate(itertools.product(ZONES, TITLES)):
        event = event_row(n % 7 + 1, modes[n % 3], zone, title, descriptions[n % 4],
                          venues[n % 4])
        session = session_row(n, starts[n % 2], title=TITLES[(n + 3) % len(TITLES)][:40]
                              if n % 5 else "", room=["Sala 2", None, "", "Room; A,B"][n % 4],
                              speakers=[None, "Ana Núñez, John Smith", "Ö" * 70][n % 3],
                              sequence=n % 4)
        yield event, session, [None, True, False][n % 3], bool(n % 2)


@pytest.mark.parametrize("locale", ["en", "es", "pt", "fr"])
def test_text_is_what_icalendar_writes(app, locale):
    builder = build.Builder(locale)
    compared = 0
    with force_locale(locale):
        for event, session, online, cancelled in cases():
            for seat in {online, None}:
                expected = reference(builder, event, session, online=seat, cancelled=cancelled)
                written = builder.published_vevent(event, session, online=seat,
                                                   cancelled=cancelled)
                assert written == expected, (event, session, seat, cancelled)
                compared += 1
    assert compared > 100


@pytest.mark.parametrize("organizer", [
    None, "Eventos SELA <eventos@sela.org>", "eventos@sela.org",
    "\"Secretaría: Eventos, SELA\" <eventos@sela.org>", "O'Neil ^ Co <x@sela.org>",
    "Ñandú’s \"team\" <equipo@sela.org>", "A very long organiser name that goes on and on "
    "and on <a.very.long.address.for.the.organisers@events.sela.example.org>"])
def test_organizer_line_is_what_icalendar_writes(app, organizer):
    app.config["CALENDAR_ORGANIZER"] = organizer
    builder = build.Builder("en")
    event = event_row(1, EventMode.HYBRID, "America/Caracas", "Workshop")
    session = session_row(1, datetime(2026, 3, 10, 14, tzinfo=UTC))
    assert builder.published_vevent(event, session, online=None) == reference(
        builder, event, session, online=None, cancelled=False)


def test_raw_feed_values_give_the_same_text(app):
    """Feed rows carry SQLite's stored text for times; the VEVENT is the same."""
    builder = build.Builder("en")
    event = event_row(1, EventMode.VIRTUAL, "America/Santiago", "Workshop")
    aware = session_row(1, datetime(2026, 3, 10, 14, 30, 15, 250, tzinfo=UTC))
    raw = aware._replace(starts_at="2026-03-10 14:30:15.000250",
                         ends_at="2026-03-10 17:00:15.000250")
    assert builder.published_vevent(event, raw, online=True) == reference(
        builder, event, aware, online=True, cancelled=False)


@pytest.mark.parametrize("size", range(60, 160))
def test_folding_matches_at_every_boundary(size):
    """Escapes, carets and multi-byte characters at every position around the fold."""
    from icalendar.parser.string import _foldline

    for filler in ("a", "é", "😀", "ab\\", "^a", "\\,", "x\\"):
        line = ("DESCRIPTION:" + filler * size)[: size + 12]
        assert text.fold(line) == _foldline(line)


def invite_reference(builder, event, session, *, online, cancelled, email, name, partstat):
    """What an invite's VEVENT was before it was written as text: icalendar's output, the
    ATTENDEE added as a vCalAddress."""
    from icalendar import vCalAddress

    vevent = builder.vevent(event, session, online=online, cancelled=cancelled)
    address = vCalAddress(f"mailto:{email}")
    address.params.update({"CN": name, "CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT",
                           "PARTSTAT": partstat, "RSVP": "FALSE"})
    vevent.add("attendee", address)
    return vevent.to_ical().decode()


NAMES = ["Ana", "Ana María Núñez", "O'Neil, Pat", "Dr. \"Quote\" ^ Caret", "李小龙",
         "Semi;colon: name’s", "x" * 90, "Line\nbreak"]
EMAILS = ["ana@example.org", "a.very.long.address.of.someone@ministerio.gob.example.org"]


@pytest.mark.parametrize("locale", ["en", "es", "pt", "fr"])
def test_invite_text_is_what_icalendar_writes(app, locale):
    builder = build.Builder(locale)
    compared = 0
    with force_locale(locale):
        for n, (event, session, online, cancelled) in enumerate(cases()):
            seat = bool(online)
            name, email = NAMES[n % len(NAMES)], EMAILS[n % len(EMAILS)]
            partstat = ["NEEDS-ACTION", "ACCEPTED"][n % 2]
            expected = invite_reference(builder, event, session, online=seat,
                                        cancelled=cancelled, email=email, name=name,
                                        partstat=partstat)
            written = builder.invite_vevent(
                event, session, online=seat, cancelled=cancelled,
                attendee=text.attendee_line(email, name, partstat=partstat, rsvp=False))
            assert written == expected, (event, session, seat, cancelled, name)
            compared += 1
    assert compared > 50
