"""Rows for certificate tests, created directly: events with sessions, attendance, templates."""

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from elearn.extensions import db

SIGNATURE_SIZE = (300, 90)


def png_bytes(size=SIGNATURE_SIZE, colour=(10, 20, 90, 255)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(5, size[1] - 5), (size[0] // 2, 5), (size[0] - 5, size[1] // 2)],
                               fill=colour, width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def make_event(app):
    from elearn.events.models import (
        Event,
        EventKind,
        EventMode,
        EventOrganiser,
        EventSession,
        EventStatus,
    )

    def make(sessions=4, organiser=None, title="Taller regional de políticas PYME",
             title_es="Taller regional de políticas PYME", status=EventStatus.COMPLETED):
        start = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
        event = Event(kind=EventKind.WORKSHOP, timezone="America/Caracas",
                      mode=EventMode.HYBRID, title_en=title, title_es=title_es,
                      status=status, starts_at=start,
                      ends_at=start + timedelta(days=sessions - 1, hours=3))
        for n in range(sessions):
            begins = start + timedelta(days=n)
            event.sessions.append(EventSession(title_en=f"Session {n + 1}", starts_at=begins,
                                               ends_at=begins + timedelta(hours=3)))
        if organiser is not None:
            event.organisers.append(EventOrganiser(user_id=organiser.id))
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def register(app):
    from elearn.events.models import (
        AttendanceMode,
        ParticipantRole,
        Registration,
        RegistrationStatus,
    )

    def do(event, user, status=RegistrationStatus.CONFIRMED, role=ParticipantRole.PARTICIPANT):
        registration = Registration(event_id=event.id, user_id=user.id,
                                    mode=AttendanceMode.IN_PERSON, status=status, role=role)
        db.session.add(registration)
        db.session.commit()
        return registration

    return do


@pytest.fixture
def attend(app):
    from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
    from elearn.events.models import AttendanceMode

    def do(user, sessions, status=AttendanceStatus.PRESENT):
        for session in sessions:
            db.session.add(Attendance(session_id=session.id, user_id=user.id,
                                      status=AttendanceStatus(status),
                                      mode=AttendanceMode.IN_PERSON,
                                      source=AttendanceSource.ROLL_CALL))
        db.session.commit()

    return do


@pytest.fixture
def make_template(app):
    from elearn.certificates.models import CertificateKind, CertificateTemplate, Signatory

    def make(kind=CertificateKind.PARTICIPATION, subject_id=None, signatories=1,
             min_attendance_percent=75, **values):
        template = CertificateTemplate(
            kind=kind, subject_id=subject_id, name=values.pop("name", f"{kind} template"),
            organisation_name="Sistema Económico Latinoamericano y del Caribe",
            min_attendance_percent=min_attendance_percent, **values)
        for n in range(signatories):
            template.signatories.append(Signatory(
                position=n, name=["Clarissa Bórquez", "Jean-Baptiste Désir", "Zoë Øberg"][n],
                title="Secretaria Permanente", signature_png=png_bytes()))
        db.session.add(template)
        db.session.commit()
        return template

    return make


@pytest.fixture
def pdf_text():
    from pypdf import PdfReader

    def read(data: bytes) -> str:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    return read


@pytest.fixture
def make_png():
    return png_bytes


@pytest.fixture
def make_edition(app):
    from datetime import date

    from elearn.courses.models import Course, Edition, EditionInstructor, EditionStatus, Module

    def make(instructor=None, name="Regional 2026"):
        course = Course(title_en="Gender-focused SME policy", title_es="Políticas PYME",
                        languages=["es", "en"])
        edition = Edition(course=course, name_en=name, starts_on=date(2026, 2, 2),
                          ends_on=date(2026, 5, 29), timezone="America/Caracas",
                          status=EditionStatus.COMPLETED)
        edition.modules = [Module(title_en="M1", hours=20, position=0)]
        if instructor is not None:
            edition.instructors = [EditionInstructor(user_id=instructor.id)]
        db.session.add(edition)
        db.session.commit()
        return edition

    return make


@pytest.fixture
def world(make_user, make_event, make_edition, make_template):
    """Two events, two editions and a hackathon, each with its own staff, plus the people who
    look after none of them: the cast of every rights test."""
    from elearn.certificates.models import CertificateKind
    from elearn.hackathons.models import Hackathon

    people = {name: make_user(email=f"{name}@example.org", full_name=name.title(), roles=roles)
              for name, roles in [
                  ("org_a", ["organiser"]), ("org_b", ["organiser"]),
                  ("instr_x", ["instructor"]), ("instr_y", ["instructor"]),
                  ("participant", []), ("judge", ["judge"]),
                  ("manager", ["programme_manager"]), ("admin", ["admin"])]}
    event_a = make_event(sessions=2, organiser=people["org_a"], title="Event A")
    event_b = make_event(sessions=2, organiser=people["org_b"], title="Event B")
    hackathon = Hackathon(event_id=make_event(sessions=1, organiser=people["org_a"],
                                              title="Hackathon A").id)
    db.session.add(hackathon)
    db.session.commit()
    edition_x = make_edition(instructor=people["instr_x"], name="X")
    edition_y = make_edition(instructor=people["instr_y"], name="Y")
    return SimpleNamespace(
        people=people, event_a=event_a, event_b=event_b, hackathon=hackathon,
        edition_x=edition_x, edition_y=edition_y,
        default=make_template(),
        template_a=make_template(subject_id=event_a.id, name="Event A template"),
        template_x=make_template(kind=CertificateKind.DIPLOMA, subject_id=edition_x.id,
                                 name="Edition X template"),
    )
