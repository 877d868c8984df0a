"""An activity's page lists what happens under it: its events, course editions and hackathon,
each with dates and a status, linked. The programme domain sits below events, courses and
hackathons and may not read them, so this highest domain registers the section with it.

A cancelled event stays listed, marked "Cancelled": people who saw it announced find out
what became of it. Drafts are never listed."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, lazyload

from elearn.courses.models import Course, Edition, EditionStatus
from elearn.courses.view_helpers import activity_editions
from elearn.db_types import utcnow
from elearn.events.models import Event, EventKind, EventStatus
from elearn.extensions import db
from elearn.hackathons.models import Hackathon
from elearn.programme.services import register_activity_section

SHOWN_EDITIONS = (EditionStatus.OPEN, EditionStatus.RUNNING, EditionStatus.COMPLETED)
SHOWN_HACKATHONS = (EventStatus.PUBLISHED, EventStatus.COMPLETED)
# Events listed as themselves: a course's live classes and a hackathon's event are listed
# through their edition and hackathon.
OWN_KINDS = tuple(k for k in EventKind if k not in (EventKind.LIVE_CLASS, EventKind.HACKATHON))

CANCELLED, ENDED, UNDER_WAY, UPCOMING, TO_BE_ANNOUNCED = (
    _l("Cancelled"), _l("Ended"), _l("Under way"), _l("Upcoming"), _l("Dates to be announced"))


def event_status(event: Event, now: datetime) -> str:
    """What a visitor needs to know of an event: cancelled, over, on now or still to come."""
    if event.status == EventStatus.CANCELLED:
        return CANCELLED
    if event.status == EventStatus.COMPLETED or (event.ends_at and event.ends_at < now):
        return ENDED
    if event.starts_at is None:
        return TO_BE_ANNOUNCED
    return UPCOMING if event.starts_at > now else UNDER_WAY


def activity_events(activity_id: int) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.activity_id == activity_id, Event.kind.in_(OWN_KINDS),
                            Event.status != EventStatus.DRAFT)
        .order_by(Event.starts_at.is_(None), Event.starts_at, Event.id)))


def activity_course_editions(activity_id: int) -> list[Edition]:
    """An edition belongs to the activity named on it, else to its course's activity."""
    return list(db.session.scalars(
        select(Edition).join(Course, Course.id == Edition.course_id)
        .options(contains_eager(Edition.course), lazyload(Edition.instructors))
        .where(or_(Edition.activity_id == activity_id,
                   (Edition.activity_id.is_(None)) & (Course.activity_id == activity_id)),
               Edition.status.in_(SHOWN_EDITIONS))
        .order_by(Edition.starts_on, Edition.id)))


def activity_hackathons(activity_id: int) -> list[Hackathon]:
    return list(db.session.scalars(
        select(Hackathon).join(Event, Event.id == Hackathon.event_id)
        .options(contains_eager(Hackathon.event))
        .where(Event.activity_id == activity_id, Event.status.in_(SHOWN_HACKATHONS))
        .order_by(Event.starts_at, Hackathon.id)))


def activity_section(activity):
    """The section of the activity page, or None when nothing happens under it yet."""
    events = activity_events(activity.id)
    editions = activity_course_editions(activity.id)
    hackathons = activity_hackathons(activity.id)
    if not (events or editions or hackathons):
        return None
    now = utcnow()
    return (_l("Events, courses and hackathon"), "home/_activity_section.html",
            {"events": [(e, event_status(e, now)) for e in events], "editions": editions,
             "hackathons": [(h, event_status(h.event, now)) for h in hackathons]})


def register() -> None:
    # This section lists the editions too, with their status: the courses domain's own list
    # would show them twice.
    register_activity_section(activity_section, replaces=activity_editions)
