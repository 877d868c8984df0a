"""Live classes are sessions of one LIVE_CLASS event per edition, so calendar invites, feeds and
attendance come from the events and attendance machinery. Accepted participants hold a
CONFIRMED online Registration on that event."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.attendance.window import BEFORE as BEFORE_WINDOW
from elearn.attendance.window import describe as describe_window
from elearn.attendance.window import window as attendance_window
from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.events.models import (
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
from elearn.extensions import db
from elearn.multilingual import LANGUAGE_NAMES, clean_texts

from ..errors import CourseError
from ..models import Edition, Enrolment, EnrolmentStatus


def live_event(edition: Edition) -> Event | None:
    return db.session.get(Event, edition.live_event_id) if edition.live_event_id else None


LIVE_DESCRIPTION = {"en": "Live classes of this course edition.",
                    "es": "Clases en vivo de esta edición del curso.",
                    "pt": "Aulas ao vivo desta edição do curso.",
                    "fr": "Cours en direct de cette édition du cours."}


def _event_titles(edition: Edition) -> dict:
    """"Course — edition" in every language either is written in, and the edition's."""
    course = edition.course
    written = {*clean_texts(course.title), *clean_texts(edition.name), edition.language}
    return {lang: f"{course.text('title', lang)} — {edition.name_in(lang)}"[:400]
            for lang in LANGUAGE_NAMES if lang in written}


def ensure_event(edition: Edition, *, actor=None) -> Event:
    event = live_event(edition)
    if event is not None:
        return event
    course = edition.course
    event = Event(
        kind=EventKind.LIVE_CLASS, mode=EventMode.VIRTUAL, status=EventStatus.PUBLISHED,
        timezone=edition.timezone, language=edition.language,
        activity_id=edition.activity_id or course.activity_id,
        title=_event_titles(edition), description=dict(LIVE_DESCRIPTION),
        created_by_id=getattr(actor, "id", None),
    )
    event.organisers = [EventOrganiser(user_id=i.user_id) for i in edition.instructors]
    db.session.add(event)
    db.session.flush()
    edition.live_event_id = event.id
    # Everyone already accepted gets a seat in the class calendar.
    accepted = db.session.scalars(
        select(Enrolment).where(Enrolment.edition_id == edition.id,
                                Enrolment.status == EnrolmentStatus.ACCEPTED))
    for enrolment in accepted:
        _confirm(event, enrolment.user_id)
    return event


def _confirm(event: Event, user_id: int) -> None:
    row = db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                       Registration.user_id == user_id))
    if row is None:
        row = Registration(event_id=event.id, user_id=user_id, mode=AttendanceMode.ONLINE,
                           status=RegistrationStatus.CONFIRMED, decided_at=utcnow())
        db.session.add(row)
        event.seats_taken_online = (event.seats_taken_online or 0) + 1
    elif row.status != RegistrationStatus.CONFIRMED:
        row.status = RegistrationStatus.CONFIRMED
        row.cancelled_at = None
        event.seats_taken_online = (event.seats_taken_online or 0) + 1


def register_participant(edition: Edition, user) -> None:
    event = live_event(edition)
    if event is not None:
        _confirm(event, user.id)


def cancel_participant(edition: Edition, user) -> None:
    event = live_event(edition)
    if event is None:
        return
    row = db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                       Registration.user_id == user.id))
    if row is not None and row.status == RegistrationStatus.CONFIRMED:
        row.status = RegistrationStatus.CANCELLED
        row.cancelled_at = utcnow()
        event.seats_taken_online = max((event.seats_taken_online or 1) - 1, 0)


def schedule(edition: Edition, title: str, starts_at: datetime, ends_at: datetime,
             url: str | None = None, *, actor=None) -> EventSession:
    """Add a live class (caller commits)."""
    title = (title or "").strip()
    if not title:
        raise CourseError(_("Give the live class a title."), 400)
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise CourseError(_("Give the start and end times."), 400)
    if ends_at <= starts_at:
        raise CourseError(_("The class must end after it starts."), 400)
    url = (url or "").strip() or None
    if url and not url.startswith("https://"):
        raise CourseError(_("The class link must start with https://."), 400)
    event = ensure_event(edition, actor=actor)
    session = EventSession(event=event, title={edition.language: title[:300]},
                           starts_at=starts_at, ends_at=ends_at, virtual_url=url)
    db.session.add(session)
    db.session.flush()
    starts = [s.starts_at for s in event.sessions if not s.cancelled]
    ends = [s.ends_at for s in event.sessions if not s.cancelled]
    event.starts_at, event.ends_at = min(starts), max(ends)
    audit("edition.live_class_scheduled", edition, actor=actor,
          after={"session": session.id, "starts_at": starts_at.isoformat()})
    return session


def sessions(edition: Edition) -> list[EventSession]:
    if not edition.live_event_id:
        return []
    return list(db.session.scalars(
        select(EventSession).where(EventSession.event_id == edition.live_event_id)
        .order_by(EventSession.starts_at)))


def take_roll_call(edition: Edition, session: EventSession, statuses: dict[int, str], *,
                   actor) -> int:
    """Record attendance of accepted participants for one live class (caller commits)."""
    if session.event_id != edition.live_event_id:
        raise CourseError(_("This class is not part of the edition."), 404)
    found = attendance_window(session)
    if found.state == BEFORE_WINDOW:
        # A class that has not happened has no attendance; after it, instructors often take
        # the roll from the meeting's list later, and every mark is audited with who and when.
        raise CourseError(describe_window(session, found), 409)
    participants = {e.user_id: e.user for e in db.session.scalars(
        select(Enrolment).where(Enrolment.edition_id == edition.id,
                                Enrolment.status.in_((EnrolmentStatus.ACCEPTED,
                                                      EnrolmentStatus.COMPLETED,
                                                      EnrolmentStatus.NOT_COMPLETED))))}
    parsed = {}
    for user_id, value in statuses.items():
        if user_id not in participants:
            raise CourseError(_("Someone in the list is not a participant."), 400)
        try:
            parsed[user_id] = AttendanceStatus(value)
        except ValueError as exc:
            raise CourseError(_("Choose an attendance status."), 400) from exc
    for user_id, status in parsed.items():
        record_attendance(session, participants[user_id], status=status,
                          mode=AttendanceMode.ONLINE, source=AttendanceSource.ROLL_CALL,
                          actor=actor)
    return len(parsed)


