"""Calendar files for events (RFC 5545) and the invites mailed with them (iTIP, RFC 5546).

Choices that keep Outlook, Google Calendar and Apple Calendar in agreement:
- Times carry the event's IANA zone as TZID with a *compact* VTIMEZONE that only covers the
  months the sessions fall in. Clients then show the event in its own zone (a person travelling
  to Santiago sees "10:00 Santiago"), and the short definition avoids the long RDATE lists that
  make Outlook desktop shift times. UTC would be correct too but loses the zone in the client.
- UID is the session's stored uid and never changes, so an update or a cancellation replaces
  the entry people already have. SEQUENCE is the session's stored sequence: the services bump
  it when time, place or link change (and before announcing an event/session cancellation).
  A CANCEL built here does NOT increment it, because that number would not be stored: a later
  REQUEST (the person registers again) would then carry a *lower* SEQUENCE than the CANCEL
  and clients would ignore it. With equal SEQUENCE, the newer DTSTAMP wins (RFC 5546 2.1.5).
- LOCATION of an online seat is the app's own join URL, never the provider's, so the meeting
  provider can change without re-sending invites.
- ORGANIZER is a real mailbox of the organisers (CALENDAR_ORGANIZER, default
  MAIL_DEFAULT_SENDER). Invites say RSVP=FALSE: people answer through the email's
  "I will attend" / "I cannot attend" links, so no REPLY goes unread.
- One VEVENT (one UID) per invite message: Outlook and Gmail act on one per message. A change
  touching several sessions sends one message per session (services/notifications.py).
- Invites (REQUEST) leave out cancelled sessions. Public files and feeds keep a cancelled
  session (or every session of a cancelled event) as STATUS:CANCELLED, with the SEQUENCE the
  cancellation bumped, for CALENDAR_KEEP_CANCELLED_DAYS after its original end: a subscribed
  calendar only learns of a cancellation from the feed itself, and an entry that silently
  vanishes stays in many apps.
- Feeds and public files carry a Last-Modified (the latest change of the rows they are built
  from) besides their ETag, for clients that only send If-Modified-Since.
- Files and feeds are served at their version from the store every worker shares
  (calendar_cache); building one (calendar_text, from rows) is the rare case.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import String, func, or_, select, type_coerce, update

from elearn.accounts.models import User
from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db

from . import calendar_build as build
from . import calendar_cache as cache
from .models import (
    AttendanceMode,
    CalendarFeed,
    Event,
    EventSession,
    EventStatus,
    InviteReply,
    Registration,
    RegistrationStatus,
)

PRODID = build.PRODID


def invite_ics(registration: Registration, method: str = "REQUEST", *,
               session: EventSession | None = None) -> str:
    """The iTIP message (METHOD:REQUEST or CANCEL) for one registration and ONE session: one
    VEVENT, one UID per message, since Outlook and Gmail act on a single VEVENT per message.
    `session` defaults to the event's first session (the first not called off for a REQUEST);
    notifications send one message per session concerned."""
    method = method.upper()
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unsupported iTIP method {method}")
    event, user = registration.event, registration.user
    if session is None:
        live = [s for s in event.sessions if not s.cancelled]
        candidates = live if method == "REQUEST" else event.sessions
        if not candidates:
            raise ValueError("the event has no session to put in a calendar")
        session = candidates[0]
    online = build.is_online(event, registration.mode)
    builder = build.Builder(build.locale_of(user))
    row = build.event_row(event)
    attending = registration.reply == InviteReply.ATTENDING and method == "REQUEST"
    with force_locale(builder.locale):
        chunk = builder.invite_vevent(
            row, build.session_row(session), online=online, cancelled=method == "CANCEL",
            attendee=build.attendee_line(user, partstat="ACCEPTED" if attending
                                         else "NEEDS-ACTION"))
    spans = build.spans_of([(event, session)])
    return builder.assemble(builder.shell(method), spans, [chunk])


@dataclass(frozen=True)
class CalendarFile:
    text: str
    last_modified: datetime | None  # None: nothing in it to date (an empty feed)


keep_cancelled = cache.keep_cancelled
Version = cache.Version


def site_locale(locale: str) -> str:
    return locale if locale in current_app.config["LANGUAGES"] else "en"


def kept(version: Version, build_file) -> bytes:
    """The file at `version`: the one kept by any worker, else built now and kept."""
    body = cache.lookup(version)
    if body is None:
        body = build_file().text.encode()
        cache.store(version, body)
    return body


def event_version(event_id: int, locale: str) -> tuple[EventStatus, Version] | None:
    """(status, version of the public file in `locale`) of an event; None: no such event."""
    return cache.event_version(event_id, site_locale(locale))


def event_body(event_id: int, locale: str, version: Version) -> bytes:
    return kept(version, lambda: event_file(db.session.get(Event, event_id), locale))


def feed_version(user: User) -> Version:
    return cache.feed_version(user, build.locale_of(user))


def feed_body(user: User, version: Version) -> bytes:
    return kept(version, lambda: feed_file(user))


def event_ics(event: Event, locale: str = "en") -> str:
    return event_file(event, locale).text


def event_file(event: Event, locale: str = "en") -> CalendarFile:
    """The public calendar file of an event (METHOD:PUBLISH), worded in `locale` (the viewer's
    language): every session, those called off (all of them, when the event is) marked
    cancelled until CALENDAR_KEEP_CANCELLED_DAYS after their end."""
    now, keep = utcnow(), keep_cancelled()
    event_gone = event.status == EventStatus.CANCELLED
    rows = db.session.execute(
        select(*[getattr(EventSession, f) for f in build.SESSION_FIELDS],
               EventSession.cancelled, EventSession.updated_at)
        .where(EventSession.event_id == event.id)
        .order_by(EventSession.starts_at, EventSession.id)
    ).all()
    n = len(build.SESSION_FIELDS)
    changes = [event.updated_at]
    shown = []
    for row in rows:
        session, gone = build.SessionRow(*row[:n]), event_gone or row[n]
        changes.append(row[n + 1])
        expires = build.as_utc(session.ends_at) + keep
        if gone and expires <= now:
            changes.append(expires)  # leaving the file is a change too
            continue
        shown.append((session, gone))
    builder = build.Builder(site_locale(locale))
    row = build.event_row(event)
    with force_locale(builder.locale):
        chunks = [builder.published_vevent(row, s, online=None, cancelled=gone)
                  for s, gone in shown]
    spans = build.spans_of((row, s) for s, _gone in shown)
    text = builder.assemble(builder.shell("PUBLISH"), spans, chunks)
    return CalendarFile(text, max(build.as_utc(c) for c in changes if c is not None))


def feed_ics(user: User) -> str:
    return feed_file(user).text


def feed_file(user: User) -> CalendarFile:
    """A person's subscription: every session of the events they hold a confirmed seat in,
    cancelled ones marked so for a while. One query with joins, reading columns only (no ORM
    objects for hundreds of rows)."""
    rows = db.session.execute(_feed_query(user, utcnow() - keep_cancelled())).all()
    n = len(build.SESSION_FIELDS)
    m = n + len(build.EVENT_FIELDS)
    events: dict[int, build.EventRow] = {}
    triples = []
    latest = None
    for row in rows:
        event = build.EventRow(*row[n:m])
        event = events.setdefault(event.id, event)
        seat, session_gone, event_status, *changed, _expired = row[m:]
        gone = bool(session_gone) or event_status == EventStatus.CANCELLED.value
        triples.append((event, build.SessionRow(*row[:n]), seat, gone))
        # raw values of one database compare correctly (see build.spans_of)
        top = max(c for c in changed if c is not None)
        latest = top if latest is None or top > latest else latest
    last_modified = None
    if rows:
        expired = rows[0][-1]  # the last cancelled session that has left the feed by now
        last_modified = build.as_utc(latest)
        if expired is not None:
            last_modified = max(last_modified, build.as_utc(expired) + keep_cancelled())
    builder = build.Builder(build.locale_of(user))
    with force_locale(builder.locale):
        name = _("%(organisation)s: my events",
                 organisation=current_app.config["ORGANISATION_NAME"])
        chunks = [builder.published_vevent(event, session, cancelled=gone,
                                           online=build.is_online(event, mode))
                  for event, session, mode, gone in triples]
    spans = build.spans_of((event, session) for event, session, _m, _g in triples)
    text = builder.assemble(builder.shell("PUBLISH", feed_name=name), spans, chunks)
    return CalendarFile(text, last_modified)


def _feed_query(user: User, cutoff: datetime):
    """One statement: the rows, and (as uncorrelated scalar subqueries the database runs once)
    the person's latest registration change and the end of the last cancelled session that
    has since left the feed, so that Last-Modified also moves when an entry disappears."""
    # Times and enums come back raw: converting 1,000 SQLite timestamps per request cost more
    # than building the file. They are only parsed when a session's VEVENT is (re)built.
    def raw(column, label):
        return type_coerce(column, String).label(label)

    session_columns = [
        raw(getattr(EventSession, f), f) if f in ("starts_at", "ends_at")
        else getattr(EventSession, f) for f in build.SESSION_FIELDS
    ]
    event_columns = [
        raw(Event.mode, "event_mode") if f == "mode" else getattr(Event, f)
        for f in build.EVENT_FIELDS
    ]
    seated = (Registration.user_id == user.id,
              Registration.status == RegistrationStatus.CONFIRMED)
    gone = or_(EventSession.cancelled.is_(True), Event.status == EventStatus.CANCELLED)
    registrations_changed = (select(func.max(Registration.updated_at))
                             .where(Registration.user_id == user.id).scalar_subquery())
    last_expired = (
        select(func.max(EventSession.ends_at))
        .join(Event, Event.id == EventSession.event_id)
        .join(Registration, Registration.event_id == Event.id)
        .where(*seated, gone, EventSession.ends_at <= cutoff)
        .scalar_subquery()
    )
    return (
        select(*session_columns, *event_columns,
               raw(Registration.mode, "seat"), EventSession.cancelled,
               raw(Event.status, "event_status"),
               raw(EventSession.updated_at, "session_changed"),
               raw(Event.updated_at, "event_changed"),
               raw(registrations_changed, "registrations_changed"),
               raw(last_expired, "last_expired"))
        .join(Event, Event.id == EventSession.event_id)
        .join(Registration, Registration.event_id == Event.id)
        .where(*seated, or_(~gone, EventSession.ends_at > cutoff))
        .order_by(EventSession.starts_at, EventSession.id)
    )


def feed_for(user: User) -> CalendarFeed:
    """The person's active subscription (created on first use). The caller commits."""
    feed = db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
        db.session.flush()
    return feed


def revoke_feed(user: User) -> CalendarFeed:
    """Stop every old subscription URL of the person and issue a new one. The caller commits."""
    db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    feed = CalendarFeed(user_id=user.id)
    db.session.add(feed)
    db.session.flush()
    record("calendar_feed.revoke", feed, actor=user, after={"feed_id": feed.id})
    return feed


def user_for_feed_token(token: str) -> User | None:
    """The owner of an active subscription token, or None (unknown, revoked, closed account)."""
    user = db.session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, CalendarFeed.revoked_at.is_(None))
    )
    return user if user is not None and user.is_active else None


def event_url(event_id: int) -> str:
    """Absolute URL of the public event page (works outside a request)."""
    return build.event_url(event_id)


def join_url(event_id: int) -> str:
    """Absolute URL of the app's own join link, the one written in invites."""
    return build.join_url(event_id)


def feed_url(token: str) -> str:
    """Absolute https URL of a subscription (its webcal:// twin swaps the scheme)."""
    return build.absolute("calendar.feed", f"/calendar/{token}.ics", token=token)


def is_online_seat(event: Event, mode: AttendanceMode) -> bool:
    """Whether this seat follows online: the join link is theirs, not the venue."""
    return build.is_online(event, mode)
