"""How calendar files are put together; elearn.events.calendar is the public face.

Rows: the builder reads sessions and events through plain named tuples (`SessionRow`,
`EventRow`), filled either from ORM objects or straight from a column query, so the 500-row
feed need not materialise ORM objects. Published VEVENTs (files, feeds) are written as text by
calendar_text, identical to icalendar's output; invites (one VEVENT with an ATTENDEE, one per
email) still go through icalendar, which is also the reference the text is tested against.
No per-process cache of built entries: a file is kept whole, by its version, in the store
every worker shares (calendar_cache).
"""

from collections import namedtuple
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress
from icalendar import Event as VEvent
from werkzeug.routing import BuildError

from elearn.base_url import base_url
from elearn.db_types import utcnow
from elearn.multilingual import text_in

from . import calendar_text as text
from .models import AttendanceMode, EventMode, EventSession

PRODID = "-//SELA//elearn events//EN"
DESCRIPTION_LIMIT = 400
_END = b"END:VCALENDAR\r\n"

SESSION_FIELDS = ("id", "uid", "sequence", "starts_at", "ends_at", "title", "room", "speakers")
EVENT_FIELDS = ("id", "mode", "timezone", "language", "title", "description", "venue_name",
                "venue_address", "venue_city", "venue_country")


SessionRow = namedtuple("SessionRow", SESSION_FIELDS)
EventRow = namedtuple("EventRow", EVENT_FIELDS)


def session_row(session: EventSession) -> SessionRow:
    return SessionRow(*(getattr(session, f) for f in SESSION_FIELDS))


def event_row(event) -> EventRow:
    return EventRow(*(getattr(event, f) for f in EVENT_FIELDS))


class Builder:
    """Per-file constants (stamp, organiser, URLs) worked out once, not once per session."""

    def __init__(self, locale: str):
        self.locale = locale  # words around the data ("Join online", country names)
        self.language = locale  # titles: this language, else the event's main one
        self.stamp = utcnow().replace(microsecond=0)
        self.organizer = organizer()
        self._stamp_text = text.stamp(self.stamp)
        self._organizer_line = text.organizer_line(*organizer_address())
        self._per_event: dict[int, tuple] = {}
        # Translated once per event, filled per session (gettext per call was a third of a
        # feed's time). Set in _event_texts, which runs in the file's locale.
        self._speakers = self._cancelled = ""

    def shell(self, method: str, feed_name: str | None = None) -> bytes:
        return calendar_shell(method, feed_name)

    def _event_texts(self, event: EventRow) -> tuple:
        cached = self._per_event.get(event.id)
        if cached is None:
            page = event_url(event.id)
            joining = join_url(event.id)
            summary = text_in(event.description, self.language, event.language).strip()
            if len(summary) > DESCRIPTION_LIMIT:
                summary = summary[:DESCRIPTION_LIMIT].rsplit(" ", 1)[0] + "…"
            cached = (page, joining, venue_text(event, self.locale), zone(event.timezone),
                      summary, _("Details: %(url)s", url=page),
                      _("Join online: %(url)s", url=joining))
            self._per_event[event.id] = cached
            self._speakers = _("Speakers: %(names)s")
            self._cancelled = _("Cancelled: %(title)s")
        return cached

    def _what(self, event: EventRow, session: SessionRow, online: bool | None) -> tuple:
        """(description, location) of a session for this kind of reader: `online` is
        True/False for a person's seat, None for the public file (both, when the event is
        hybrid)."""
        _page, joining, venue, _tz, summary, more, join_line = self._event_texts(event)
        if online is None:
            location = public_location(event.mode, venue, session.room, joining)
        elif online:
            location = joining
        else:
            location = place_text(session.room, venue)
        lines = [summary] if summary else []
        if session.speakers:
            lines.append(self._speakers % {"names": session.speakers})
        if online or (online is None and event.mode != EventMode.IN_PERSON):
            lines.append(join_line)
        lines.append(more)
        return "\n\n".join(lines), location

    def vevent(self, event: EventRow, session: SessionRow, *, online: bool | None,
               cancelled: bool = False) -> VEvent:
        """The VEVENT as icalendar objects: invites add their ATTENDEE to it."""
        page, _joining, _venue, tz, *_rest = self._event_texts(event)
        description, location = self._what(event, session, online)
        vevent = VEvent()
        vevent.add("uid", session.uid)
        vevent.add("dtstamp", self.stamp)
        vevent.add("sequence", session.sequence)
        vevent.add("dtstart", session.starts_at.astimezone(tz))
        vevent.add("dtend", session.ends_at.astimezone(tz))
        vevent.add("summary", session_title(event, session, self.language))
        vevent.add("description", description)
        if location:
            vevent.add("location", location)
        vevent.add("url", page)
        vevent.add("organizer", self.organizer)
        vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        vevent.add("transp", "OPAQUE")
        return vevent

    def published_vevent(self, event: EventRow, session: SessionRow, *,
                         online: bool | None, cancelled: bool = False) -> str:
        """A PUBLISH VEVENT (files and feeds) written as text, the same as icalendar would
        write vevent() (tests/events/test_calendar_text.py). Row times may be raw column
        values (feed rows).

        A cancelled one says so in its title too, and no longer keeps the time busy: some
        apps show a subscribed entry whatever its STATUS."""
        page, _joining, _venue, tz, *_rest = self._event_texts(event)
        description, location = self._what(event, session, online)  # texts first
        title = session_title(event, session, self.language)
        if cancelled:
            title = self._cancelled % {"title": title}
        return text.vevent(
            uid=session.uid, dtstamp=self._stamp_text, sequence=session.sequence,
            starts=text.when(as_utc(session.starts_at), tz),
            ends=text.when(as_utc(session.ends_at), tz), summary=title,
            description=description, location=location, organizer=self._organizer_line,
            status="CANCELLED" if cancelled else "CONFIRMED",
            transp="TRANSPARENT" if cancelled else "OPAQUE", url=page)

    def invite_vevent(self, event: EventRow, session: SessionRow, *, online: bool,
                      cancelled: bool, attendee: str) -> str:
        """An invite's VEVENT (REQUEST, or CANCEL when `cancelled`) written as text, the same
        as icalendar writes vevent() with the ATTENDEE added; `attendee` from
        text.attendee_line. Unlike a published entry, its title says nothing of a
        cancellation (the METHOD does) and it keeps the time busy."""
        page, _joining, _venue, tz, *_rest = self._event_texts(event)
        description, location = self._what(event, session, online)
        return text.vevent(
            uid=session.uid, dtstamp=self._stamp_text, sequence=session.sequence,
            starts=text.when(as_utc(session.starts_at), tz),
            ends=text.when(as_utc(session.ends_at), tz),
            summary=session_title(event, session, self.language), description=description,
            location=location, organizer=self._organizer_line,
            status="CANCELLED" if cancelled else "CONFIRMED", transp="OPAQUE", url=page,
            attendee=attendee)

    def assemble(self, shell: bytes, spans: dict[str, list], chunks: list[str]) -> str:
        """One compact VTIMEZONE per zone in front of the events (RFC 5545 wants them before
        the components that use them, and Outlook insists), then the events.

        `spans`: zone name -> (earliest, latest) instant used in it, from spans_of()."""
        timezones = []
        for tzid, (earliest, latest) in sorted(spans.items()):
            tz = zone(tzid)
            if tz is UTC:
                continue
            first = as_utc(earliest).astimezone(tz).date()
            last = as_utc(latest).astimezone(tz).date()
            timezones.append(vtimezone_ical(tzid, *month_range(first, last)).decode())
        return "".join([shell[: -len(_END)].decode(), *timezones, *chunks, _END.decode()])


@lru_cache(maxsize=64)
def calendar_shell(method: str, feed_name: str | None = None) -> bytes:
    """The VCALENDAR with its own properties and no components, serialised once."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if feed_name:
        cal.add("x-wr-calname", feed_name)
        # Clients poll subscriptions at their own pace; these ask for about hourly refresh.
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    shell = cal.to_ical()
    assert shell.endswith(_END)
    return shell


def as_utc(value) -> datetime:
    """An aware UTC datetime from a model value, or from a feed row's raw column (SQLite
    hands back its stored text, PostgreSQL a datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def spans_of(pairs) -> dict[str, list]:
    """Zone -> [first start, last end] of (event, session) pairs. Raw feed values compare
    correctly too: one database gives one fixed-width text or datetime format throughout."""
    spans: dict[str, list] = {}
    for event, session in pairs:
        span = spans.get(event.timezone)
        if span is None:
            spans[event.timezone] = [session.starts_at, session.ends_at]
        else:
            span[0] = min(span[0], session.starts_at)
            span[1] = max(span[1], session.ends_at)
    return spans


def clear_caches() -> None:
    """Empties this process's caches of pure functions (zone definitions), as a fresh worker
    has them."""
    vtimezone_ical.cache_clear()
    text.zone_form.cache_clear()


# --- texts and addresses --------------------------------------------------------------------

def session_title(event, session, language: str) -> str:
    """"Event – Session" in the language, or just the event title for a one-slot agenda."""
    event_title = text_in(event.title, language, event.language)
    own = text_in(session.title, language, event.language)
    if own and own.strip() != event_title.strip():
        return f"{event_title} – {own}"
    return event_title


def public_location(mode: EventMode, venue: str, room: str | None, joining: str) -> str:
    if mode == EventMode.VIRTUAL:
        return joining
    place = place_text(room, venue)
    if mode == EventMode.HYBRID:
        online = _("Online: %(url)s", url=joining)
        return f"{place} · {online}" if place else online
    return place


def place_text(room: str | None, venue: str) -> str:
    return ", ".join(part for part in (room, venue) if part)


def is_online(event, mode: AttendanceMode) -> bool:
    if event.mode == EventMode.VIRTUAL:
        return True
    if event.mode == EventMode.IN_PERSON:
        return False
    return mode == AttendanceMode.ONLINE


def attendee_line(user, *, partstat: str = "NEEDS-ACTION") -> str:
    """The invite's ATTENDEE line. RSVP is FALSE in every invite: answers come through the
    email's attend/decline links (elearn.events.services.replies), not as iTIP REPLYs that
    nothing would read."""
    return text.attendee_line(user.email, user.display_name, partstat=partstat, rsvp=False)


def organizer_address() -> tuple[str, str]:
    """(name, address) of the organisers' real mailbox: CALENDAR_ORGANIZER ("Name <address>"
    or an address), else MAIL_DEFAULT_SENDER; without a name of its own there, the name is
    ORGANISATION_NAME."""
    config = current_app.config
    own = config.get("CALENDAR_ORGANIZER")
    name, address = parseaddr(own or config["MAIL_DEFAULT_SENDER"])
    organisation = config.get("ORGANISATION_NAME")
    name = (name or organisation) if own else (organisation or name)
    return name or address, address or (own or config["MAIL_DEFAULT_SENDER"])


def organizer() -> vCalAddress:
    name, address = organizer_address()
    value = vCalAddress(f"mailto:{address}")
    value.params["CN"] = name
    return value


def locale_of(user) -> str:
    """The person's language when the site offers it, else English."""
    preferred = getattr(user, "preferred_language", None)
    return preferred if preferred in current_app.config["LANGUAGES"] else "en"


def venue_text(event, locale: str) -> str:
    country = None
    if event.venue_country:
        country = Locale.parse(locale).territories.get(event.venue_country.upper(),
                                                         event.venue_country)
    parts = (event.venue_name, event.venue_address, event.venue_city, country)
    return ", ".join(p.strip() for p in parts if p and p.strip())


def absolute(endpoint: str, fallback: str, **values) -> str:
    """BASE_URL + the route's path, without needing a request (emails, jobs, CLI)."""
    base = base_url()
    try:
        path = current_app.url_map.bind("localhost").build(endpoint, values)
    except BuildError:  # the blueprint is not registered (yet): the documented path
        path = fallback
    return base + path


def event_url(event_id: int) -> str:
    return absolute("events.detail", f"/events/{event_id}", event_id=event_id)


def join_url(event_id: int) -> str:
    return absolute("calendar.join", f"/events/{event_id}/join", event_id=event_id)


# --- time zones -----------------------------------------------------------------------------

@lru_cache(maxsize=64)
def zone(tzid: str):
    try:
        return ZoneInfo(tzid)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC  # a bad zone must not break invites: UTC is still the right instant


def month_range(first: date, last: date) -> tuple[date, date]:
    """Widen to whole months (a day of margin) so files for nearby dates share one cached
    VTIMEZONE, while it still covers only the months in use."""
    start = (first - timedelta(days=1)).replace(day=1)
    end = last + timedelta(days=1)
    end = date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    return start, end


# A change is found within a step, then pinned to the second. Only a change and its reversal
# within one step would be missed, and no zone has made such a pair in a day (daily steps:
# a six-month file in four zones costs 1 ms to scan, not 40 ms at two-hourly steps).
SCAN_STEP = timedelta(days=1)


@lru_cache(maxsize=256)
def vtimezone_ical(tzid: str, first: date, last: date) -> bytes:
    """A VTIMEZONE for `first`..`last` read straight from the zone database: one observance
    for the offset in force on `first`, then one per transition in the range.

    Each transition's DTSTART is the local wall time *before* it, in TZOFFSETFROM (RFC 5545
    3.6.5): Madrid's spring change (01:00 UTC) is 02:00 at +0100, not the 03:00 shown after
    it. Explicit dates, no RRULE: a rule would claim to know future years, and clients that
    trust the VTIMEZONE (Outlook) would apply it to dates the zone database may yet change."""
    tz = zone(tzid)
    begin = datetime.combine(first, datetime.min.time()).replace(tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last, datetime.min.time()).replace(tzinfo=tz).astimezone(UTC)
    component = Timezone()
    component.add("tzid", tzid)
    component.add("comment", f"This timezone only works from {first} to {last}.")
    state = _clock(tz, begin)
    component.add_component(_observance(state, state, begin))
    for instant in _transitions(tz, begin, end):
        after = _clock(tz, instant)
        component.add_component(_observance(state, after, instant))
        state = after
    return component.to_ical()


def _clock(tz, instant: datetime) -> tuple:
    local = instant.astimezone(tz)
    return local.utcoffset(), bool(local.dst()), local.tzname()


def _transitions(tz, begin: datetime, end: datetime):
    """The instants in (begin, end] at which the zone's clock changes, to the second."""
    before, state = begin, _clock(tz, begin)
    while before < end:
        after = min(before + SCAN_STEP, end)
        if _clock(tz, after) != state:
            low, high = before, after  # the change is in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    middle = low + timedelta(seconds=1)
                if _clock(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            yield high
            state = _clock(tz, high)
            after = high
        before = after


def _observance(before: tuple, after: tuple, instant: datetime):
    offset_from, offset_to = before[0], after[0]
    observance = TimezoneDaylight() if after[1] else TimezoneStandard()
    # a naive DTSTART: local time, read in TZOFFSETFROM
    observance.add("dtstart", (instant + offset_from).replace(tzinfo=None))
    if after[2]:
        observance.add("tzname", after[2])
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", offset_to)
    return observance
