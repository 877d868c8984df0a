"""Creating and running an event: details, agenda (sessions), publication, cancellation.

Times of the agenda are entered in the EVENT's time zone and stored in UTC. Once an event is
published, a change of time, place or link bumps the SEQUENCE of the sessions it touches and
sends every confirmed participant an updated invite, so calendars replace the old entry.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.accounts.models import User, user_by_email
from elearn.accounts.permissions import can, is_programme_manager
from elearn.audit.services import record
from elearn.extensions import db
from elearn.i18n import is_valid_timezone
from elearn.multilingual import LANGUAGE_NAMES, clean_texts

from ..models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from ..rules import may_create_events
from . import notifications
from .common import (
    Conflict,
    EventError,
    modes_of,
    registrations_with_status,
    utcnow,
    zone,
)
from .registration import fill_from_waitlist

EVENT_FIELDS = (
    "kind", "title", "description", "activity_id",
    "timezone", "mode", "language", "venue_name", "venue_address", "venue_city",
    "venue_country", "registration_opens_at", "registration_closes_at", "capacity_in_person",
    "capacity_online", "requires_approval", "eligible_countries", "eligible_subregions",
    "eligible_sectors", "public_officials_only",
)
PLACE_FIELDS = ("venue_name", "venue_address", "venue_city", "venue_country")


def local_to_utc(naive: datetime, tz_name: str) -> datetime:
    """A wall-clock time in `tz_name` as UTC; refuses times skipped by a clock change."""
    if not is_valid_timezone(tz_name):
        raise EventError(_("Unknown time zone: %(zone)s.", zone=tz_name))
    tz = zone(tz_name)
    aware = naive.replace(tzinfo=tz)
    # A wall time inside a spring-forward gap does not survive the round trip.
    if aware.astimezone(zone("UTC")).astimezone(tz).replace(tzinfo=None) != naive:
        raise EventError(_("%(time)s does not exist in %(zone)s (the clocks change then).",
                           time=naive.strftime("%Y-%m-%d %H:%M"), zone=tz_name))
    return aware.astimezone(zone("UTC"))


def utc_to_local(value: datetime, tz_name: str) -> datetime:
    """For pre-filling datetime-local inputs in the event's zone."""
    return value.astimezone(zone(tz_name)).replace(tzinfo=None)


def texts_given(data: dict, field: str) -> dict | None:
    """A multilingual field of `data`: `field` as {language: text}, or one key per language
    (`title_en`, `title_pt`, as forms and older callers name them); None when absent."""
    keys = [f"{field}_{lang}" for lang in LANGUAGE_NAMES if f"{field}_{lang}" in data]
    if field not in data and not keys:
        return None
    texts = dict(data.get(field) or {})
    texts.update({key.rsplit("_", 1)[1]: data[key] for key in keys})
    return clean_texts(texts)


def _with_texts(data: dict, fields: tuple[str, ...]) -> dict:
    data = dict(data)
    for field in fields:
        texts = texts_given(data, field)
        for lang in LANGUAGE_NAMES:
            data.pop(f"{field}_{lang}", None)
        if texts is not None:
            data[field] = texts
    return data


def _check_event(data: dict, event: Event | None) -> None:
    # The form requires the title in the event's main language; here, at least one title.
    title = data["title"] if "title" in data else (event.title if event is not None else None)
    if not title:
        raise EventError(_("A title is required."))
    if not is_valid_timezone(data.get("timezone")):
        raise EventError(_("Unknown time zone: %(zone)s.", zone=data.get("timezone") or ""))
    mode = EventMode(data["mode"])
    needs_venue = mode in (EventMode.IN_PERSON, EventMode.HYBRID)
    if needs_venue and not (data.get("venue_name") or "").strip():
        raise EventError(_("A venue is required for an in-person or hybrid event."))
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes <= opens:
        raise EventError(_("Registration must close after it opens."))
    for key in ("capacity_in_person", "capacity_online"):
        if data.get(key) is not None and data[key] < 0:
            raise EventError(_("A capacity cannot be negative."))
    if event is not None and event.id is not None:
        _check_modes_still_hold(event, mode)


def _check_modes_still_hold(event: Event, mode: EventMode) -> None:
    probe = Event(mode=mode)
    dropped = set(modes_of(event)) - set(modes_of(probe))
    if not dropped:
        return
    active = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
              RegistrationStatus.WAITLISTED)
    n = db.session.scalar(
        select(db.func.count(Registration.id)).where(
            Registration.event_id == event.id, Registration.mode.in_(dropped),
            Registration.status.in_(active)))
    if n:
        raise EventError(_("%(n)s people are registered in a mode this change removes; "
                           "move them to another mode first.", n=n), status=409)


def _apply(event: Event, data: dict) -> None:
    for key in EVENT_FIELDS:
        if key in data:
            setattr(event, key, data[key])
    # Enums, not the strings a form gives: templates rendered in this transaction read .value.
    event.kind = EventKind(event.kind)
    event.mode = EventMode(event.mode)
    # Capacities of modes the event does not have are meaningless; keep them empty.
    offered = modes_of(event)
    if AttendanceMode.IN_PERSON not in offered:
        event.capacity_in_person = None
    if AttendanceMode.ONLINE not in offered:
        event.capacity_online = None
    if event.mode == EventMode.VIRTUAL:
        for key in PLACE_FIELDS:
            setattr(event, key, None)


def create_event(data: dict, actor: User) -> Event:
    if not may_create_events(actor):
        raise EventError(_("Only organisers can create events."), status=403)
    data = _with_texts(data, ("title", "description"))
    _check_event(data, None)
    event = Event(status=EventStatus.DRAFT, created_by_id=actor.id)
    _apply(event, data)
    event.organisers.append(EventOrganiser(user_id=actor.id))
    db.session.add(event)
    db.session.flush()
    record("event.created", event, actor=actor, after={"title": dict(event.title)})
    return event


def update_event(event: Event, data: dict, actor: User) -> Event:
    _require_manage(event, actor)
    data = _with_texts(data, ("title", "description"))
    _check_event(data, event)
    before_place = {k: getattr(event, k) for k in PLACE_FIELDS}
    before_caps = (event.capacity_in_person, event.capacity_online)
    _apply(event, data)
    after_place = {k: getattr(event, k) for k in PLACE_FIELDS}
    record("event.updated", event, actor=actor)
    if (event.capacity_in_person, event.capacity_online) != before_caps:
        for mode in modes_of(event):
            fill_from_waitlist(event, mode, actor=actor)
    if before_place != after_place:
        announce_changes(event)
    return event


def announce_changes(event: Event, sessions: list[EventSession] | None = None) -> int:
    """Time, place or link changed: bump SEQUENCE of the sessions concerned (all live ones by
    default) and send every confirmed participant the updated invite. For other domains too
    (e.g. the video-meeting settings page when the join link changes). Returns how many
    people were told; nothing happens before the event is published."""
    if event.status != EventStatus.PUBLISHED:
        return 0
    for session in sessions or [s for s in event.sessions if not s.cancelled]:
        session.sequence += 1
    return _notify_update(event, sessions)


def _require_manage(event: Event, actor: User) -> None:
    if not can(actor, "manage", event):
        raise EventError(_("You do not have permission to manage this event."), status=403)


def _sync_span(event: Event) -> None:
    live = [s for s in event.sessions if not s.cancelled]
    event.starts_at = min((s.starts_at for s in live), default=None)
    event.ends_at = max((s.ends_at for s in live), default=None)


def _session_times(event: Event, data: dict) -> tuple[datetime, datetime]:
    starts = local_to_utc(data["starts_local"], event.timezone)
    ends = local_to_utc(data["ends_local"], event.timezone)
    if ends <= starts:
        raise EventError(_("A session must end after it starts."))
    return starts, ends


SESSION_FIELDS = ("room", "speakers", "virtual_url")


def add_session(event: Event, data: dict, actor: User) -> EventSession:
    """`data`: starts_local, ends_local, room, speakers, virtual_url and an optional title
    ({language: text}, or title_en=, title_es=, …)."""
    _require_manage(event, actor)
    starts, ends = _session_times(event, data)
    session = EventSession(starts_at=starts, ends_at=ends,
                           title=texts_given(data, "title") or {},
                           **{k: data.get(k) or None for k in SESSION_FIELDS})
    event.sessions.append(session)
    db.session.flush()
    _sync_span(event)
    record("event.session_added", event, actor=actor, after={"session": session.uid})
    if event.status == EventStatus.PUBLISHED:
        _notify_update(event, [session])
    return session


def update_session(session: EventSession, data: dict, actor: User) -> EventSession:
    event = session.event
    _require_manage(event, actor)
    starts, ends = _session_times(event, data)
    before = (session.starts_at, session.ends_at, session.room, session.virtual_url)
    session.starts_at, session.ends_at = starts, ends
    session.title = texts_given(data, "title") or {}
    for key in SESSION_FIELDS:
        setattr(session, key, data.get(key) or None)
    after = (session.starts_at, session.ends_at, session.room, session.virtual_url)
    _sync_span(event)
    record("event.session_updated", event, actor=actor, after={"session": session.uid})
    if before != after and event.status == EventStatus.PUBLISHED:
        session.sequence += 1
        _notify_update(event, [session])
    return session


def remove_session(session: EventSession, actor: User) -> None:
    """A draft's session is deleted; a published event keeps it as cancelled, so the UID can
    still be cancelled in people's calendars."""
    event = session.event
    _require_manage(event, actor)
    live = [s for s in event.sessions if not s.cancelled and s is not session]
    if event.status == EventStatus.PUBLISHED and not live:
        raise Conflict(_("A published event needs at least one session; cancel the event "
                         "instead."))
    record("event.session_removed", event, actor=actor, before={"session": session.uid})
    if event.status == EventStatus.DRAFT:
        event.sessions.remove(session)
        db.session.delete(session)
    else:
        session.cancelled = True
        session.sequence += 1
        db.session.flush()
        for reg in registrations_with_status(event, (RegistrationStatus.CONFIRMED,)):
            notifications.session_cancelled(reg, session)
    _sync_span(event)


def publish_event(event: Event, actor: User) -> Event:
    _require_manage(event, actor)
    if event.status != EventStatus.DRAFT:
        raise EventError(_("Only a draft can be published."), status=409)
    if not any(not s.cancelled for s in event.sessions):
        raise EventError(_("Add at least one session to the agenda before publishing."),
                         status=409)
    event.status = EventStatus.PUBLISHED
    record("event.published", event, actor=actor, before={"status": "draft"},
           after={"status": "published"})
    return event


def cancel_problem(event: Event, now: datetime | None = None) -> str | None:
    """Why the event cannot be cancelled now, or None. An event that has ended took place:
    cancelling it would tell its participants it never happened."""
    if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        return _("This event can no longer be cancelled.")
    if event.ends_at is not None and (now or utcnow()) >= event.ends_at:
        return _("This event has already ended, so it cannot be cancelled. Mark it "
                 "completed instead.")
    return None


def people_to_tell(event: Event) -> int:
    """How many registrants hear of a cancellation (the active ones)."""
    return db.session.scalar(select(db.func.count(Registration.id)).where(
        Registration.event_id == event.id,
        Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
                                 RegistrationStatus.WAITLISTED)))) or 0


def cancel_event(event: Event, actor: User) -> Event:
    """Everyone still registered hears of it; confirmed people also get the calendar CANCEL."""
    _require_manage(event, actor)
    problem = cancel_problem(event)
    if problem:
        raise Conflict(problem)
    before = event.status.value
    event.status = EventStatus.CANCELLED
    # Calendars ignore a CANCEL whose SEQUENCE is not above the last update they applied.
    for session in event.sessions:
        session.sequence += 1
    db.session.flush()
    record("event.cancelled", event, actor=actor, before={"status": before},
           after={"status": "cancelled"})
    active = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
              RegistrationStatus.WAITLISTED)
    for reg in registrations_with_status(event, active):
        notifications.event_cancelled(reg)
    return event


def complete_event(event: Event, actor: User) -> Event:
    _require_manage(event, actor)
    if event.status != EventStatus.PUBLISHED:
        raise EventError(_("Only a published event can be marked completed."), status=409)
    event.status = EventStatus.COMPLETED
    record("event.completed", event, actor=actor, before={"status": "published"},
           after={"status": "completed"})
    return event


def _notify_update(event: Event, sessions: list[EventSession] | None = None) -> int:
    """`sessions`: the ones that changed, each sent as its own calendar entry (default: all)."""
    db.session.flush()
    regs = registrations_with_status(event, (RegistrationStatus.CONFIRMED,))
    for reg in regs:
        notifications.event_updated(reg, sessions)
    return len(regs)


def events_organised_by(user: User) -> list[Event]:
    """"My events": those the person organises; every event for programme managers."""
    query = select(Event).order_by(Event.starts_at.desc().nulls_first(), Event.id.desc())
    if not is_programme_manager(user):
        query = query.join(EventOrganiser).where(EventOrganiser.user_id == user.id)
    return list(db.session.scalars(query))


def add_organiser(event: Event, email: str, actor: User) -> User:
    _require_manage(event, actor)
    person = user_by_email(email)
    if person is None:
        raise EventError(_("No account uses that email address."), status=404)
    if any(o.user_id == person.id for o in event.organisers):
        raise EventError(_("%(name)s already organises this event.", name=person.display_name),
                         status=409)
    event.organisers.append(EventOrganiser(user_id=person.id))
    record("event.organiser_added", event, actor=actor, after={"user_id": person.id})
    return person


def upcoming_session_after(event: Event, now: datetime | None = None) -> EventSession | None:
    now = now or utcnow()
    live = [s for s in event.sessions if not s.cancelled and s.ends_at > now]
    return min(live, key=lambda s: s.starts_at, default=None)
