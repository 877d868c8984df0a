"""Statistics-test helpers: events, registrations, attendance and a programme tree made
directly as rows, and a small population covering every gender answer."""

from datetime import UTC, date, datetime

import pytest

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.certificates.models import Certificate
from elearn.courses.models import Course, Edition, EditionInstructor
from elearn.events.models import (
    AttendanceMode,
    ParticipantRole,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.programme.models import Activity, Programme, Project, Sdg, ThematicArea


def add_certificate(code: str, kind, subject_type, subject_id: int, holder) -> Certificate:
    """A valid certificate row (no PDF worth reading): what the statistics count."""
    certificate = Certificate(
        code=code, kind=kind, subject_type=subject_type, subject_id=subject_id,
        holder_id=holder.id, language="es", holder_name=holder.full_name,
        organisation_name="SELA", subject_title="Taller", printed={}, pdf=b"%PDF",
        pdf_sha256="0" * 64)
    db.session.add(certificate)
    return certificate


@pytest.fixture
def activity(app):
    area = ThematicArea(code="I", title_en="Economic", title_es="Económica")
    programme = Programme(area=area, code="II", title_en="SMEs", title_es="Pymes")
    project = Project(programme=programme, code="A", title_en="Policy", title_es="Política")
    act = Activity(project=project, code="1", path_code="I.II.A.1", title_en="Diploma",
                   title_es="Diplomado")
    if db.session.get(Sdg, 5) is None:
        db.session.add(Sdg(number=5, title_en="Gender equality", title_es="Igualdad de género"))
    db.session.flush()
    act.sdgs.append(db.session.get(Sdg, 5))
    db.session.add(area)
    db.session.commit()
    return act


@pytest.fixture
def population(app, make_user, make_event, register, activity):
    """An event in 2025 with participants of every gender answer, a panel, and attendance."""
    event = make_event(make_user(roles=["organiser"]), activity_id=activity.id,
                       starts_at=datetime(2025, 5, 6, 14, tzinfo=UTC))
    session = event.sessions[0]
    people = []
    spec = ([("woman", "VE")] * 6 + [("man", "VE")] * 3 + [("woman", "JM")] * 2
            + [("non_binary", "MX")] + [("prefer_not_to_say", "VE")] * 2 + [(None, "VE")] * 3)
    for n, (gender, country) in enumerate(spec):
        person = make_user(gender=gender, country=country, year_of_birth=1990 + n,
                           sector="government")
        register(event, person, mode=AttendanceMode.ONLINE if n % 2 else AttendanceMode.IN_PERSON)
        people.append(person)
    for person in people[:10]:
        record_attendance(session, person, status=AttendanceStatus.PRESENT,
                          mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)
    record_attendance(session, people[10], status=AttendanceStatus.ABSENT,
                      mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)
    speakers = [make_user(gender=g) for g in ("woman", "woman", "man", "man", "man")]
    for person, role in zip(speakers, [ParticipantRole.SPEAKER, ParticipantRole.CHAIR,
                                       ParticipantRole.SPEAKER, ParticipantRole.PANELLIST,
                                       ParticipantRole.MODERATOR], strict=True):
        register(event, person, role=role)
        record_attendance(session, person, status=AttendanceStatus.PRESENT,
                          mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)
    register(event, make_user(gender="woman"), status=RegistrationStatus.CANCELLED)
    db.session.commit()
    return event, people


@pytest.fixture
def demo(app):
    """The demo's data in the test database (the tables the public and staff pages show)."""
    from elearn.demo import populate

    populate()


@pytest.fixture
def edition(app, make_user):
    course = Course(title_en="SME policy", title_es="Política pyme", languages=["es"])
    edition = Edition(course=course, name_en="Regional 2025", starts_on=date(2025, 3, 1),
                      ends_on=date(2025, 6, 30), timezone="America/Caracas")
    db.session.add(edition)
    db.session.flush()
    db.session.add(EditionInstructor(edition_id=edition.id,
                                     user_id=make_user(roles=["instructor"]).id))
    db.session.commit()
    return edition


@pytest.fixture
def people(make_user, population, edition):
    event, _people = population
    other = Edition(course=edition.course, name_en="Other 2025", starts_on=date(2025, 3, 1),
                    ends_on=date(2025, 6, 30), timezone="America/Caracas")
    db.session.add(other)
    db.session.flush()
    db.session.add(EditionInstructor(edition_id=other.id,
                                     user_id=make_user(roles=["instructor"]).id))
    db.session.commit()
    return {"organiser": event.organisers[0].user,
            "instructor": db.session.get(type(event.organisers[0].user),
                                         edition.instructors[0].user_id),
            "other_instructor": db.session.get(type(event.organisers[0].user),
                                               other.instructors[0].user_id),
            "other_organiser": make_user(roles=["organiser"]),
            "manager": make_user(roles=["programme_manager"]),
            "participant": make_user()}
