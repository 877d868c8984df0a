"""Errors and small helpers shared by the event services."""

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.db_types import utcnow  # noqa: F401  (re-exported for the services)
from elearn.extensions import db

from ..models import AttendanceMode, Event, EventMode, Registration

# Run just before a seat counter is updated: that UPDATE locks the event's row until the
# transaction commits, so every other registration for the event waits for whatever this
# transaction still does after it. Work that would otherwise run at commit registers here to
# run before the lock instead (the statistics roll-up, elearn/stats/rollup.py, which sits
# above the events and so cannot be called from here by name).
BEFORE_SEAT_LOCK: list = []


def before_seat_lock(work):
    """Register `work(session)`; used as a decorator."""
    if work not in BEFORE_SEAT_LOCK:
        BEFORE_SEAT_LOCK.append(work)
    return work


class EventError(Exception):
    """A rule said no. `status` is the HTTP status a view should answer with."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Conflict(EventError):
    status = 409


def modes_of(event: Event) -> list[AttendanceMode]:
    """The seat types an event offers."""
    if event.mode == EventMode.HYBRID:
        return [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE]
    if event.mode == EventMode.VIRTUAL:
        return [AttendanceMode.ONLINE]
    return [AttendanceMode.IN_PERSON]


def capacity_of(event: Event, mode: AttendanceMode) -> int | None:
    return event.capacity_online if mode == AttendanceMode.ONLINE else event.capacity_in_person


def taken_of(event: Event, mode: AttendanceMode) -> int:
    if mode == AttendanceMode.ONLINE:
        return event.seats_taken_online
    return event.seats_taken_in_person


def seats_left(event: Event, mode: AttendanceMode) -> int | None:
    """None: no limit."""
    capacity = capacity_of(event, mode)
    if capacity is None:
        return None
    return max(capacity - taken_of(event, mode), 0)


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def mode_label(mode) -> str:
    from flask_babel import gettext as _

    return {
        AttendanceMode.IN_PERSON: _("in person"),
        AttendanceMode.ONLINE: _("online"),
    }[AttendanceMode(mode)]


def registrations_with_status(event: Event, statuses) -> list[Registration]:
    """The event's registrations in these statuses, with their people, in order of arrival."""
    return list(db.session.scalars(
        select(Registration).options(selectinload(Registration.user))
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .order_by(Registration.id)))
