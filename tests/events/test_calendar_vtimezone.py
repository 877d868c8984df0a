"""The VTIMEZONE we send agrees with the zone database, read the way Outlook reads it: from
the file alone. The interpreter below knows RFC 5545 (observances, DTSTART in TZOFFSETFROM,
RRULE/RDATE) and nothing else: no zoneinfo, no tz resolution of any parser. Its UTC offset at
every quarter hour within 48 hours of each transition must equal zoneinfo's."""

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel.core import get_global
from dateutil.rrule import rrulestr
from icalendar import Timezone

from elearn.events.calendar_build import month_range, vtimezone_ical

WINDOW = timedelta(hours=48)
STEP = timedelta(minutes=15)
# Recent and coming years, and years in which member states changed their rules: Venezuela
# (-04:30 in 2007, back to -04 in 2016), Chile (no winter time in 2015), Brazil (no DST from
# 2019), Mexico (no DST from 2022), Paraguay (permanent -03 from October 2024), Cuba, Haiti.
YEARS = (2007, 2015, 2016, 2019, 2022, 2024, 2025, 2026, 2027)
OTHERS = ("America/New_York", "Europe/Madrid", "Europe/Zurich", "America/Bogota",
          "America/Havana", "America/Port-au-Prince", "America/Asuncion")


def member_zones() -> list[str]:
    data = yaml.safe_load(resources.files("elearn.accounts").joinpath(
        "data/member_states.yaml").read_text("utf-8"))
    codes = [row["code"] for row in data["member_states"]]
    assert len(codes) == 33
    territory_zones = get_global("territory_zones")
    zones = {z for code in codes for z in territory_zones[code]}
    return sorted(zones | set(OTHERS))


ZONES = member_zones()


# --- an interpreter of VTIMEZONE that uses nothing but the text -----------------------------

def parse_offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    hours, minutes, seconds = int(text[1:3]), int(text[3:5]), int(text[5:7] or 0)
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


def parse_local(text: str) -> datetime:
    assert not text.endswith("Z"), "DTSTART of an observance is local time"
    return datetime.strptime(text, "%Y%m%dT%H%M%S")


def observances(ics: str) -> list[dict]:
    """The STANDARD/DAYLIGHT blocks of the one VTIMEZONE in `ics`, property -> values."""
    lines = ics.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    found, current = [], None
    for line in lines:
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = {"kind": line[6:]}
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current.setdefault(name.split(";")[0], []).append(value)
    return found


def onsets(ics: str, until: datetime) -> list[tuple[datetime, timedelta, timedelta]]:
    """(UTC instant, offset before, offset after) of every onset, sorted."""
    found = []
    for block in observances(ics):
        start = parse_local(block["DTSTART"][0])
        before = parse_offset(block["TZOFFSETFROM"][0])
        after = parse_offset(block["TZOFFSETTO"][0])
        local_times = [start]
        for rule in block.get("RRULE", []):
            local_times += [t for t in rrulestr(rule, dtstart=start) if t <= until]
        for value in block.get("RDATE", []):
            local_times += [parse_local(v) for v in value.split(",")]
        found += [(t - before, before, after) for t in local_times]
    return sorted(found)


def offset_at(table, instant: datetime) -> timedelta:
    """The offset in force at a naive UTC instant: that of the latest onset at or before it
    (before the first onset, the offset that onset starts from)."""
    index = bisect_right(table, instant, key=lambda onset: onset[0])
    return table[index - 1][2] if index else table[0][1]


# --- the truth, from zoneinfo ---------------------------------------------------------------

def transitions(tzid: str, year: int) -> list[datetime]:
    """UTC instants (to the minute) at which the zone's offset changes during `year`."""
    tz = ZoneInfo(tzid)
    found = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    previous = t.astimezone(tz).utcoffset()
    while t.year == year:
        t += timedelta(hours=3)  # no zone changes twice within three hours
        offset = t.astimezone(tz).utcoffset()
        if offset != previous:
            probe = t - timedelta(hours=3)
            while probe.astimezone(tz).utcoffset() == previous:
                probe += timedelta(minutes=1)
            found.append(probe)
            previous = offset
    return found


def check(tzid: str, first: date, last: date, around: list[datetime]) -> int:
    """Build what the app sends for first..last and compare around each instant."""
    start, end = month_range(first, last)
    text = vtimezone_ical(tzid, start, end).decode("utf-8")
    assert text.startswith("BEGIN:VTIMEZONE\r\n") and f"TZID:{tzid}\r\n" in text
    table = onsets(text, until=datetime(end.year + 1, 1, 1))
    tz = ZoneInfo(tzid)
    valid_from = datetime.combine(start, datetime.min.time(), tz).astimezone(UTC)
    valid_to = datetime.combine(end, datetime.min.time(), tz).astimezone(UTC)
    checked = 0
    for centre in around:
        t = centre - WINDOW
        while t <= centre + WINDOW:
            if valid_from <= t < valid_to:
                expected = t.astimezone(tz).utcoffset()
                got = offset_at(table, t.replace(tzinfo=None))
                assert got == expected, (
                    f"{tzid} at {t:%Y-%m-%d %H:%M} UTC: VTIMEZONE says {got}, zoneinfo "
                    f"{expected}\n{text}")
                checked += 1
            t += STEP
    return checked


@pytest.mark.parametrize("tzid", ZONES)
def test_vtimezone_offsets_match_the_zone_database_around_every_transition(tzid):
    checked = 0
    for year in YEARS:
        changes = transitions(tzid, year)
        # A file for a session on the day of the change (the compact range the app uses)...
        for change in changes:
            day = change.astimezone(ZoneInfo(tzid)).date()
            checked += check(tzid, day, day, [change])
        # ...and one file spanning the whole year, as a feed with sessions all year would.
        mid_year = [datetime(year, m, 15, tzinfo=UTC) for m in (1, 4, 7, 10)]
        checked += check(tzid, date(year, 1, 2), date(year, 12, 30), changes or mid_year)
    assert checked > 0


def test_the_zones_cover_every_member_state_and_the_others():
    assert len(ZONES) >= 33 + len(OTHERS)
    for zone in ("America/Santiago", "America/Caracas", "America/Sao_Paulo",
                 "America/Mexico_City", "America/Havana", *OTHERS):
        assert zone in ZONES


@pytest.mark.parametrize("tzid, when, local, offset_from", [
    # the September change in Santiago: 04:00 UTC, i.e. midnight at -04
    ("America/Santiago", datetime(2026, 9, 6, 4, tzinfo=UTC), "20260906T000000", "-0400"),
    ("America/New_York", datetime(2026, 3, 8, 7, tzinfo=UTC), "20260308T020000", "-0500"),
    ("America/New_York", datetime(2026, 11, 1, 6, tzinfo=UTC), "20261101T020000", "-0400"),
    ("Europe/Madrid", datetime(2026, 3, 29, 1, tzinfo=UTC), "20260329T020000", "+0100"),
    ("Europe/Madrid", datetime(2026, 10, 25, 1, tzinfo=UTC), "20261025T030000", "+0200"),
])
def test_transition_is_written_in_the_time_before_it(tzid, when, local, offset_from):
    assert transitions(tzid, when.year).count(when) == 1
    start, end = month_range(when.date(), when.date())
    blocks = observances(vtimezone_ical(tzid, start, end).decode("utf-8"))
    (block,) = [b for b in blocks if b["DTSTART"] == [local]]
    assert block["TZOFFSETFROM"] == [offset_from]


def test_a_zone_without_dst_has_one_observance():
    text = vtimezone_ical("America/Bogota", date(2026, 1, 1), date(2027, 1, 1)).decode()
    assert len(observances(text)) == 1
    assert "TZOFFSETTO:-0500" in text and "RRULE" not in text and "RDATE" not in text


def test_the_interpreter_catches_the_old_error():
    """icalendar's own builder writes the September change in Santiago at 01:00 (05:00 UTC);
    the interpreter must see that hour as wrong, or the comparison above proves nothing."""
    old = Timezone.from_tzid("America/Santiago", first_date=date(2026, 8, 1),
                             last_date=date(2026, 10, 1)).to_ical().decode("utf-8")
    table = onsets(old, until=datetime(2027, 1, 1))
    just_after = datetime(2026, 9, 6, 4, 30)
    assert offset_at(table, just_after) == timedelta(hours=-4)  # wrong: it is -03 by then
    assert datetime(2026, 9, 6, 4, 30, tzinfo=UTC).astimezone(
        ZoneInfo("America/Santiago")).utcoffset() == timedelta(hours=-3)


def test_interpreter_reads_rules_too():
    """Clients get RRULE-based zones from elsewhere; the interpreter handles them, so a
    future switch to rules would be checked by the same test."""
    text = ("BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:20071104T020000\r\n"
            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\n"
            "TZOFFSETTO:-0500\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\n"
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\n"
            "TZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
    table = onsets(text, until=datetime(2027, 12, 31))
    tz = ZoneInfo("America/New_York")
    t = datetime(2026, 1, 1, tzinfo=UTC)
    while t.year == 2026:
        assert offset_at(table, t.replace(tzinfo=None)) == t.astimezone(tz).utcoffset()
        t += timedelta(hours=1)
