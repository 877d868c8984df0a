"""A person with something of every kind (fixture `give`): registrations (confirmed in person
and online, waitlisted behind someone), applications and courses with lessons viewed, a
hackathon team with an extended deadline, and a certificate; all as rows, one call per copy."""

from datetime import UTC, date, datetime, timedelta

import pytest

from elearn.certificates.models import Certificate, CertificateKind, SubjectType
from elearn.courses.models import (
    Course,
    Edition,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonView,
    Module,
)
from elearn.events.models import (
    AttendanceMode,
    EventKind,
    EventMode,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.hackathons.models import (
    Declaration,
    Hackathon,
    HackathonParticipant,
    Team,
    TeamExtension,
    TeamMember,
)

SOON = datetime(2030, 3, 4, 15, 0, tzinfo=UTC)


@pytest.fixture
def give(app, make_user, make_event, register):
    """give(person, n=1): n copies of everything; returns what was made (the last copy)."""
    counter = {"n": 0}

    def make(person, n=1):
        made = {}
        for _ in range(n):
            counter["n"] += 1
            k = counter["n"]
            made.update(_events(person, k, make_user, make_event, register))
            made.update(_course(person, k))
            made.update(_hackathon(person, k, make_event))
            made["certificate"] = _certificate(person, k)
        db.session.commit()
        return made

    return make


def _events(person, k, make_user, make_event, register):
    hybrid = make_event(title_en=f"Hybrid workshop {k}", starts_at=SOON + timedelta(days=k),
                        timezone="America/Caracas", mode=EventMode.HYBRID)
    in_person = register(hybrid, person, mode=AttendanceMode.IN_PERSON)
    online_event = make_event(title_en=f"Virtual seminar {k}", mode=EventMode.VIRTUAL,
                              starts_at=SOON + timedelta(days=k, hours=3))
    online = register(online_event, person, mode=AttendanceMode.ONLINE)
    full = make_event(title_en=f"Full meeting {k}", starts_at=SOON + timedelta(days=k, hours=6))
    first = make_user()
    register(full, first, status=RegistrationStatus.WAITLISTED,
             waitlisted_at=SOON - timedelta(days=30))
    waiting = register(full, person, status=RegistrationStatus.WAITLISTED,
                       waitlisted_at=SOON - timedelta(days=20))
    return {"hybrid": hybrid, "in_person": in_person, "online_event": online_event,
            "online": online, "full": full, "waiting": waiting}


def _course(person, k):
    course = Course(title_en=f"Gender and SME policy diploma {k}", languages=["en"])
    edition = Edition(course=course, name_en=f"Regional edition {k}", starts_on=date(2030, 2, 1),
                      ends_on=date(2030, 6, 30), timezone="America/Caracas",
                      status=EditionStatus.RUNNING)
    module = Module(edition=edition, title_en="Module 1")
    lessons = [Lesson(module=module, title=f"Lesson {n}") for n in range(3)]
    db.session.add_all([course, edition, module, *lessons])
    db.session.flush()
    db.session.add(LessonView(lesson_id=lessons[0].id, user_id=person.id))
    accepted = Enrolment(edition=edition, user_id=person.id, status=EnrolmentStatus.ACCEPTED)
    other = Edition(course=course, name_en=f"Caribbean edition {k}", starts_on=date(2030, 9, 1),
                    ends_on=date(2030, 12, 1), timezone="America/Port_of_Spain",
                    status=EditionStatus.OPEN)
    pending = Enrolment(edition=other, user_id=person.id, status=EnrolmentStatus.PENDING)
    db.session.add_all([other, accepted, pending])
    db.session.flush()
    return {"edition": edition, "application": other}


def _hackathon(person, k, make_event):
    event = make_event(title_en=f"Hackathon {k}", kind=EventKind.HACKATHON,
                       mode=EventMode.VIRTUAL, starts_at=SOON + timedelta(days=40 + k))
    hackathon = Hackathon(event_id=event.id, submission_deadline=SOON + timedelta(days=45))
    db.session.add(hackathon)
    db.session.flush()
    participant = HackathonParticipant(hackathon_id=hackathon.id, user_id=person.id,
                                       discipline="Economics", declaration=Declaration.STUDENT,
                                       terms_accepted_at=SOON - timedelta(days=50))
    team = Team(hackathon_id=hackathon.id, name=f"Team Caribe {k}", captain_id=person.id,
                member_count=1)
    db.session.add_all([participant, team])
    db.session.flush()
    db.session.add(TeamMember(team_id=team.id, hackathon_id=hackathon.id, user_id=person.id,
                              participant_id=participant.id))
    db.session.add(TeamExtension(team_id=team.id, deadline=SOON + timedelta(days=47),
                                 reason="Power cut"))
    db.session.flush()
    return {"hackathon": hackathon, "team": team}


def _certificate(person, k):
    certificate = Certificate(
        code=f"HOME{k:04d}", kind=CertificateKind.PARTICIPATION, subject_type=SubjectType.EVENT,
        subject_id=1000 + k, holder_id=person.id, language="en",
        holder_name=person.full_name, organisation_name="SELA",
        subject_title=f"Trade facilitation workshop {k}", printed={}, pdf=b"%PDF-1.4",
        pdf_sha256="0" * 64)
    db.session.add(certificate)
    db.session.flush()
    return certificate
