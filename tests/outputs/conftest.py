"""A small world for the outputs: an activity (planned 2023–2024) with event A (organiser_a;
one session over, one to come) and edition A (instructor_a); event B (organiser_b) and
edition B (instructor_b) under a second activity; the owner registered for event A and
enrolled in edition A; someone with nothing; a programme manager."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from elearn.courses.models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
)
from elearn.events.models import (
    AttendanceMode,
    EventSession,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.programme.models import Activity, Programme, Project, ThematicArea

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _output_files(app_config, tmp_path):
    """Files go to a temporary folder, not the instance folder."""
    app_config["OUTPUTS_DIR"] = str(tmp_path / "outputs")


@dataclass
class World:
    people: dict
    activity: Activity
    activity_b: Activity
    event_a: object
    event_b: object
    session_over: EventSession
    session_to_come: EventSession
    edition_a: Edition
    edition_b: Edition


def _edition(course, instructor, name, activity=None):
    edition = Edition(course=course, name_en=name, starts_on=date.today() - timedelta(days=30),
                      ends_on=date.today() + timedelta(days=30), timezone="America/Caracas",
                      language="es", status=EditionStatus.RUNNING,
                      activity_id=activity.id if activity else None)
    db.session.add(edition)
    edition.instructors = [EditionInstructor(user_id=instructor.id)]
    return edition


@pytest.fixture
def world(app, make_user, make_event):
    people = {
        "owner": make_user(email="owner@example.org"),
        "other": make_user(email="other@example.org"),
        "organiser_a": make_user(email="org-a@example.org", roles=["organiser"]),
        "organiser_b": make_user(email="org-b@example.org", roles=["organiser"]),
        "instructor_a": make_user(email="inst-a@example.org", roles=["instructor"]),
        "instructor_b": make_user(email="inst-b@example.org", roles=["instructor"]),
        "programme_manager": make_user(email="pm@example.org", roles=["programme_manager"]),
    }
    area = ThematicArea(code="I", title_en="Economic", title_es="Económica")
    programme = Programme(area=area, code="III", title_en="SMEs", title_es="Pymes")
    project = Project(programme=programme, code="A", title_en="Policy", title_es="Política")
    activity = Activity(project=project, code="4", path_code="I.III.A.4", position=4,
                        title_en="Best practices", title_es="Buenas prácticas",
                        year_from=2023, year_to=2024)
    activity_b = Activity(project=project, code="5", path_code="I.III.A.5", position=5,
                          title_en="Regional meeting", title_es="Reunión regional",
                          year_from=2025)
    db.session.add_all([activity, activity_b])
    db.session.commit()
    start = datetime.now(UTC) - timedelta(days=1, hours=1)
    event_a = make_event(people["organiser_a"], starts_at=start, minutes=120, sessions=2,
                         activity_id=activity.id, title_en="Workshop A", title_es="Taller A")
    event_b = make_event(people["organiser_b"], activity_id=activity_b.id, title_en="Workshop B")
    course = Course(title_en="Diploma", title_es="Diplomado", activity_id=activity.id)
    db.session.add(course)
    edition_a = _edition(course, people["instructor_a"], "First edition")
    edition_b = _edition(course, people["instructor_b"], "Second edition", activity=activity_b)
    db.session.add(Registration(event_id=event_a.id, user_id=people["owner"].id,
                                status=RegistrationStatus.CONFIRMED,
                                mode=AttendanceMode.IN_PERSON))
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition_a.id, user_id=people["owner"].id,
                             status=EnrolmentStatus.ACCEPTED, motivation="To learn."))
    db.session.commit()
    over, to_come = event_a.sessions
    assert over.ends_at < datetime.now(UTC) < to_come.ends_at
    return World(people, activity, activity_b, event_a, event_b, over, to_come, edition_a,
                 edition_b)
