"""Live classes are LIVE_CLASS event sessions; participants hold confirmed online
registrations so calendar feeds and invites include them."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from elearn.attendance.models import Attendance
from elearn.courses.errors import CourseError
from elearn.courses.services import enrolment as enrolment_service
from elearn.courses.services import live
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db

from .conftest import now


def registrations(event):
    return {r.user_id: r for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id))}


def test_scheduling_creates_the_event_and_registers_participants(edition, participant,
                                                                 instructor, make_user):
    accepted = participant()
    start = now() + timedelta(days=2)
    session = live.schedule(edition, "Opening class", start, start + timedelta(hours=2),
                            "https://meet.example/abc", actor=instructor)
    db.session.commit()
    event = db.session.get(Event, edition.live_event_id)
    assert event.kind == EventKind.LIVE_CLASS and event.mode == EventMode.VIRTUAL
    assert event.timezone == edition.timezone and session.event_id == event.id
    assert [o.user_id for o in event.organisers] == [instructor.id]
    row = registrations(event)[accepted.id]
    assert row.status == RegistrationStatus.CONFIRMED and row.mode == AttendanceMode.ONLINE
    # Someone accepted later is registered too; withdrawal cancels the registration.
    later = make_user(country="VE")
    application = enrolment_service.apply(edition, later, "please")
    enrolment_service.decide(edition, [application.id], "accept", actor=instructor)
    db.session.commit()
    assert registrations(event)[later.id].status == RegistrationStatus.CONFIRMED
    enrolment_service.withdraw(application, actor=later)
    db.session.commit()
    assert registrations(event)[later.id].status == RegistrationStatus.CANCELLED


def test_bad_times_refused(edition, instructor):
    start = now()
    with pytest.raises(CourseError, match="end after"):
        live.schedule(edition, "x", start, start - timedelta(hours=1), actor=instructor)
    with pytest.raises(CourseError, match="https"):
        live.schedule(edition, "x", start, start + timedelta(hours=1), "http://x",
                      actor=instructor)


def test_pages_schedule_and_roll_call(client, login, edition, participant, instructor):
    user = participant()
    login(instructor)
    bad = client.post(f"/courses/editions/{edition.id}/live",
                      data={"title": "Class", "starts_at": "2026-03-02T10:00",
                            "ends_at": "2026-03-02T09:00"})
    assert bad.status_code == 400
    ok = client.post(f"/courses/editions/{edition.id}/live",
                     data={"title": "Class", "starts_at": "2026-03-02T10:00",
                           "ends_at": "2026-03-02T12:00"})
    assert ok.status_code == 302
    session = live.sessions(edition)[0]
    # 10:00 in Caracas (UTC-4) is 14:00 UTC.
    assert session.starts_at.hour == 14
    page = client.get(f"/courses/editions/{edition.id}/live/{session.id}/attendance")
    assert page.status_code == 200 and user.full_name.encode() in page.data
    saved = client.post(f"/courses/editions/{edition.id}/live/{session.id}/attendance",
                        data={f"user-{user.id}": "late"})
    assert saved.status_code == 302
    row = db.session.scalar(select(Attendance))
    assert row.user_id == user.id and row.status.value == "late"
    stranger = client.post(f"/courses/editions/{edition.id}/live/{session.id}/attendance",
                           data={f"user-{instructor.id}": "present"})
    assert stranger.status_code == 400


def test_participant_cannot_schedule(client, login, edition, participant):
    login(participant())
    assert client.get(f"/courses/editions/{edition.id}/live").status_code == 403


def test_no_roll_call_for_a_class_that_has_not_happened(client, login, edition, participant,
                                                         instructor):
    """Attendance follows the clock (issue 13 point 9): tomorrow's class has none yet; once it
    has happened the instructor may take the roll, even days later."""
    user = participant()
    start = now() + timedelta(days=1)
    session = live.schedule(edition, "Tomorrow", start, start + timedelta(hours=2),
                            actor=instructor)
    db.session.commit()
    login(instructor)
    url = f"/courses/editions/{edition.id}/live/{session.id}/attendance"
    early = client.post(url, data={f"user-{user.id}": "present"})
    assert early.status_code == 409 and b"opens at" in early.data
    assert db.session.scalar(select(Attendance)) is None
    with time_machine.travel(start + timedelta(days=3)):
        assert client.post(url, data={f"user-{user.id}": "present"}).status_code == 302
    assert db.session.scalar(select(Attendance)).status.value == "present"
