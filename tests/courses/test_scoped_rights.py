"""Staff rights over an edition follow the edition: its own instructors and the programme
managers (and admins) get in; the instructor of another edition and an event organiser (who
used to manage every edition through the global organiser role) get 403 on every staff page,
and their POSTs change nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from elearn.attendance.models import Attendance
from elearn.courses.assessment_models import Submission
from elearn.courses.models import (
    Edition,
    EditionInstructor,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
)
from elearn.courses.services import assignments, live
from elearn.extensions import db


@pytest.fixture
def graded(edition, case_study, participant, instructor):
    """An accepted participant whose case study has been graded (so there is a grade to
    change, a gradebook with an email in it, and results to record)."""
    user = participant(email="graded@example.org", full_name="Graded Person")
    row = assignments.submit(case_study, user, "My case")
    assignments.grade(row, 15, "Good.", actor=instructor)
    held = datetime.now(UTC) - timedelta(days=1)
    live.schedule(edition, "Live class 1", held, held + timedelta(hours=2), "", actor=instructor)
    db.session.commit()
    return row


def roll_call(edition) -> str:
    session = live.sessions(edition)[0]
    return f"/courses/editions/{edition.id}/live/{session.id}/attendance"


@pytest.fixture
def other_instructor(make_user, edition):
    user = make_user(email="other-teacher@example.org", roles=["instructor"])
    db.session.add(Edition(course_id=edition.course_id, name_en="Another edition",
                           starts_on=date.today(), ends_on=date.today() + timedelta(days=30),
                           timezone="UTC", instructors=[EditionInstructor(user_id=user.id)]))
    db.session.commit()
    return user


@pytest.fixture
def event_organiser(make_user, make_event):
    """Organises a workshop of the programme (the global organiser role), not this edition."""
    user = make_user(email="event-organiser@example.org", roles=["organiser"])
    make_event(user)
    return user


def pages(edition, graded):
    """Every staff page of the edition, read (GET)."""
    e = edition.id
    return [
        f"/courses/editions/{e}/applications", f"/courses/editions/{e}/gradebook",
        f"/courses/editions/{e}/gradebook.csv", f"/courses/editions/{e}/gradebook.xlsx",
        f"/courses/assessments/{graded.assessment_id}/submissions",
        f"/courses/submissions/{graded.id}/grade", f"/courses/submissions/{graded.id}",
        f"/courses/editions/{e}/manage", f"/courses/editions/{e}/settings",
        f"/courses/editions/{e}/modules/new", f"/courses/editions/{e}/quizzes/new",
        f"/courses/modules/{edition.modules[0].id}/edit",
        f"/courses/modules/{edition.modules[0].id}/lessons/new",
        f"/courses/assessments/{graded.assessment_id}/edit",
        f"/courses/editions/{e}/live", f"/courses/editions/{e}/copy", roll_call(edition),
    ]


def changes(edition, graded):
    """Every staff change: review, regrade, close, authoring, scheduling, copy, status."""
    e = edition.id
    enrolment_id = db.session.scalar(select(Enrolment.id).where(
        Enrolment.user_id == graded.user_id))
    return [
        (f"/courses/editions/{e}/applications",
         {"ids": [str(enrolment_id)], "decision": "reject", "reason": "No."}),
        (f"/courses/submissions/{graded.id}/grade", {"score": "1", "comments": "Changed."}),
        (f"/courses/editions/{e}/close", {}),
        (f"/courses/editions/{e}/modules/new", {"title_en": "Intruder module", "hours": "1"}),
        (f"/courses/editions/{e}/live", {"title": "Intruder class",
                                         "starts_at": "2027-01-10T10:00",
                                         "ends_at": "2027-01-10T12:00", "url": ""}),
        (f"/courses/editions/{e}/copy", {"name_en": "Intruder copy", "offset_days": "7"}),
        (f"/courses/editions/{e}/status", {"status": "draft"}),
        (roll_call(edition), {f"user-{graded.user_id}": "absent"}),
    ]


def state(edition, graded):
    db.session.expire_all()
    return (db.session.get(Submission, graded.id).score,
            sorted(s.value for s in db.session.scalars(
                select(Enrolment.status).where(Enrolment.edition_id == edition.id))),
            db.session.scalar(select(func.count(Module.id))),
            db.session.scalar(select(func.count(Edition.id))),
            len(live.sessions(db.session.get(Edition, edition.id))),
            db.session.get(Edition, edition.id).status,
            db.session.scalar(select(func.count(Attendance.id))))


@pytest.mark.parametrize("who", ["other_instructor", "event_organiser"])
def test_other_staff_are_refused_everywhere(client, login, request, edition, graded, who):
    login(request.getfixturevalue(who))
    before = state(edition, graded)
    for url in pages(edition, graded):
        assert client.get(url).status_code == 403, url
    for url, data in changes(edition, graded):
        assert client.post(url, data=data).status_code == 403, url
    assert state(edition, graded) == before
    page = client.get(f"/courses/editions/{edition.id}").data
    assert b"/manage" not in page and b"/gradebook" not in page


@pytest.mark.parametrize("roles", [["programme_manager"], ["admin"]])
def test_programme_managers_and_admins_reach_every_edition(client, login, make_user, edition,
                                                           graded, roles):
    login(make_user(roles=roles))
    for url in pages(edition, graded):  # exports answer with their file after a redirect
        assert client.get(url, follow_redirects=True).status_code == 200, url
    csv = client.get(f"/courses/editions/{edition.id}/gradebook.csv",
                     follow_redirects=True).data
    assert b"graded@example.org" in csv
    regrade = client.post(f"/courses/submissions/{graded.id}/grade",
                          data={"score": "18", "comments": "Regraded."})
    assert regrade.status_code == 302
    assert db.session.get(Submission, graded.id).score == 18
    scheduled = client.post(f"/courses/editions/{edition.id}/live", data={
        "title": "Extra class", "starts_at": "2027-01-10T10:00",
        "ends_at": "2027-01-10T12:00", "url": ""})
    assert scheduled.status_code == 302
    # Classes are still to come: closing now needs "close early" and a reason.
    assert client.post(f"/courses/editions/{edition.id}/close", data={
        "confirmed": "1", "close_early": "1", "reason": "Moved to a new platform."}
    ).status_code == 302
    db.session.expire_all()
    statuses = set(db.session.scalars(select(Enrolment.status)
                                      .where(Enrolment.edition_id == edition.id)))
    assert statuses <= {EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED}


def test_own_instructor_teaches_but_does_not_create_editions(client, login, edition, graded,
                                                             instructor):
    login(instructor)
    for url in pages(edition, graded):
        assert client.get(url, follow_redirects=True).status_code == 200, url
    assert client.get(f"/courses/{edition.course_id}/editions/new").status_code == 403
    assert client.get(f"/courses/editions/{edition.id}/instructors").status_code == 403
    manage = client.get(f"/courses/editions/{edition.id}/manage").data
    assert b"/instructors" not in manage
    assert f"/courses/{edition.course_id}/edit".encode() not in manage
    course = client.get(f"/courses/{edition.course_id}").data
    assert b"/editions/new" not in course


def test_instructor_sees_only_own_drafts(client, login, edition, other_instructor):
    edition_id = edition.id
    edition.status = EditionStatus.DRAFT
    db.session.commit()
    login(other_instructor)
    assert client.get(f"/courses/editions/{edition_id}").status_code == 404
    assert client.get(f"/courses/{edition.course_id}").data.count(b"Second edition") == 0
