"""Published VEVENTs written as text, straight from row values.

icalendar builds a tree of property objects and serialises it: about 0.4 ms per VEVENT, so a
500-session feed took 200-600 ms whenever it had to be built afresh, and the invite mailed
with each registration cost about a tenth of the registration's CPU. A published VEVENT has a
fixed shape (the same dozen properties, text, date-times, one address), so it is written here
as the very text icalendar writes for it (an invite's with its ATTENDEE), byte for byte
except DTSTAMP:
tests/events/test_calendar_text.py builds a varied set both ways and compares them, so an
icalendar upgrade that changes its output fails there rather than silently differing.

What icalendar 7 does, and this module repeats:
- properties in the component's canonical order (SUMMARY, DTSTART, DTEND, DTSTAMP, UID,
  SEQUENCE), then the others sorted by name;
- TEXT values escaped (backslash, semicolon, comma; every line break becomes \\n);
- parameter values escaped per RFC 6868 and double-quoted when they hold , ; : or ’ (and, for
  CN, a space or an apostrophe);
- content lines folded before the 75th octet (so at most 74 octets, then a space on each
  continuation line), never inside a UTF-8 character, and never right after a backslash or a
  caret, which moves to the next line with what it escapes.
"""

from datetime import UTC, datetime
from functools import lru_cache

from icalendar import Event as VEvent

FOLD_AT = 74  # octets of content per physical line (icalendar folds before the 75th)


def escape(text: str) -> str:
    """An RFC 5545 TEXT value, escaped in icalendar's order (see icalendar.parser.string)."""
    return (text.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;")
            .replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
            .replace("\r", "\\n"))


def fold(line: str) -> str:
    """One content line folded as icalendar folds it."""
    if line.isascii():
        if len(line) <= FOLD_AT:
            return line
        return _fold_ascii(line)
    data = line.encode()
    if len(data) <= FOLD_AT:
        return line
    return _fold_bytes(data)


def _fold_ascii(line: str) -> str:
    pieces, start, size = [], 0, len(line)
    while size - start > FOLD_AT:
        end = start + FOLD_AT
        if line[end - 1] in "\\^":  # an escape stays with what it escapes
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def _fold_bytes(data: bytes) -> str:
    pieces, start, size = [], 0, len(data)
    while size - start > FOLD_AT:
        end = start + FOLD_AT
        while data[end] & 0xC0 == 0x80:  # not inside a character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end].decode())
        start = end
    pieces.append(data[start:].decode())
    return "\r\n ".join(pieces)


def quote_cn(value: str) -> str:
    """A CN parameter value: RFC 6868 escapes, quoted as icalendar quotes it."""
    escaped = (value.replace("^", "^^").replace("\r\n", "^n").replace("\n", "^n")
               .replace("\r", "^n").replace('"', "^'"))
    # a space or an apostrophe in the name itself; , ; : or ’ anywhere
    if " " in value or "'" in value or any(c in escaped for c in ",;:’"):  # noqa: RUF001
        return f'"{escaped}"'
    return escaped


@lru_cache(maxsize=64)
def zone_form(tz) -> tuple[str, bool]:
    """(the TZID parameter, whether the time is written in UTC with a Z) for a zone, as
    icalendar decides it: a zone it knows to be UTC (UTC, Etc/UTC, GMT...) is written as UTC."""
    sample = VEvent()
    sample.add("dtstart", datetime(2000, 1, 1, tzinfo=UTC).astimezone(tz))
    prop = sample["DTSTART"]
    tzid = prop.params.get("TZID")
    return (f";TZID={tzid}" if tzid else ""), prop.to_ical().endswith(b"Z")


def when(moment: datetime, tz) -> str:
    """`;TZID=...:YYYYMMDDTHHMMSS` (or `:...Z`) for an aware instant shown in `tz`."""
    param, utc = zone_form(tz)
    local = moment.astimezone(UTC if utc else tz)
    return (f"{param}:{local.year:04}{local.month:02}{local.day:02}T"
            f"{local.hour:02}{local.minute:02}{local.second:02}{'Z' if utc else ''}")


def stamp(moment: datetime) -> str:
    """A UTC DATE-TIME value (DTSTAMP)."""
    moment = moment.astimezone(UTC)
    return (f"{moment.year:04}{moment.month:02}{moment.day:02}T"
            f"{moment.hour:02}{moment.minute:02}{moment.second:02}Z")


def vevent(*, uid: str, dtstamp: str, sequence: int, starts: str, ends: str, summary: str,
           description: str, location: str, organizer: str, status: str, transp: str,
           url: str, attendee: str = "") -> str:
    """One VEVENT, CRLF-terminated. `starts`/`ends` come from when(), `organizer` is the
    already folded ORGANIZER line (the same in every VEVENT of a file), `attendee` the folded
    ATTENDEE line of an invite (attendee_line) or nothing; the others are plain values,
    escaped here."""
    lines = [
        "BEGIN:VEVENT",
        fold("SUMMARY:" + escape(summary)),
        fold("DTSTART" + starts),
        fold("DTEND" + ends),
        "DTSTAMP:" + dtstamp,
        fold("UID:" + escape(uid)),
        f"SEQUENCE:{sequence}",
        *([attendee] if attendee else []),
        fold("DESCRIPTION:" + escape(description)),
    ]
    if location:
        lines.append(fold("LOCATION:" + escape(location)))
    lines += [organizer, "STATUS:" + status, "TRANSP:" + transp, fold("URL:" + url),
              "END:VEVENT", ""]
    return "\r\n".join(lines)


def attendee_line(address: str, name: str, *, partstat: str, rsvp: bool) -> str:
    """The ATTENDEE of an invite, its parameters in icalendar's (alphabetical) order."""
    return fold(f"ATTENDEE;CN={quote_cn(name)};CUTYPE=INDIVIDUAL;PARTSTAT={partstat};"
                f"ROLE=REQ-PARTICIPANT;RSVP={'TRUE' if rsvp else 'FALSE'}:mailto:{address}")


def organizer_line(name: str, address: str) -> str:
    return fold(f"ORGANIZER;CN={quote_cn(name)}:mailto:{address}")
