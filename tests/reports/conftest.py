"""A small work programme for the report's tests: one area with an accented Spanish title,
an activity planned in 2025 with a hybrid workshop, participants of several genders and
countries, a panel, attendance, and a public output."""

from datetime import UTC, date, datetime

import pytest

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.events.models import AttendanceMode, ParticipantRole
from elearn.extensions import db
from elearn.outputs.models import Output, OutputKind, Visibility
from elearn.programme.models import Activity, Programme, Project, Sdg, ThematicArea

AREA_ES = "Recuperación económica"


def make_programme(code: str = "I", n: int = 1) -> list[Activity]:
    area = ThematicArea(code=code, title_en=f"Economic recovery {code}", title_es=AREA_ES)
    programme = Programme(area=area, code="III", title_en="SMEs", title_es="Pymes")
    project = Project(programme=programme, code="A", title_en="SME policy",
                      title_es="Política para pymes")
    activities = [Activity(project=project, code=str(k + 1), path_code=f"{code}.III.A.{k + 1}",
                           title_en=f"Diploma {k + 1}", title_es=f"Diplomado de gestión {k + 1}",
                           year_from=2025, year_to=2025, position=k) for k in range(n)]
    if db.session.get(Sdg, 5) is None:
        db.session.add(Sdg(number=5, title_en="Gender equality", title_es="Igualdad de género"))
    db.session.add(area)
    db.session.flush()
    for activity in activities:
        activity.sdgs.append(db.session.get(Sdg, 5))
    db.session.commit()
    return activities


def populate_event(make_user, make_event, register, activity, people: int = 14,
                   starts_at=None):
    """A 2025 workshop of `activity` with `people` participants (10 of them attending) and
    a panel of two women and three men."""
    event = make_event(make_user(roles=["organiser"]), activity_id=activity.id,
                       title_es="Taller de políticas con enfoque de género",
                       starts_at=starts_at or datetime(2025, 5, 6, 14, tzinfo=UTC))
    session = event.sessions[0]
    genders = ["woman", "woman", "man", "woman", "non_binary", "man", "woman", None]
    countries = ["VE", "MX", "JM", "VE", "BR", "VE", "MX", "CL"]
    for n in range(people):
        person = make_user(gender=genders[n % len(genders)],
                           country=countries[n % len(countries)], year_of_birth=1980 + n)
        register(event, person)
        if n < 10:
            record_attendance(session, person, status=AttendanceStatus.PRESENT,
                              mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)
    for gender, role in (("woman", ParticipantRole.SPEAKER), ("woman", ParticipantRole.CHAIR),
                         ("man", ParticipantRole.SPEAKER), ("man", ParticipantRole.PANELLIST),
                         ("man", ParticipantRole.MODERATOR)):
        register(event, make_user(gender=gender), role=role)
    db.session.commit()
    return event


@pytest.fixture
def world(app, make_user, make_event, register):
    activity, = make_programme()
    event = populate_event(make_user, make_event, register, activity, people=30)
    db.session.add(Output(event_id=event.id, kind=OutputKind.MINUTES,
                          title_en="Minutes", title_es="Acta de la reunión",
                          url="https://example.org/acta", language="es",
                          published_on=date(2025, 5, 8), visibility=Visibility.PUBLIC))
    db.session.commit()
    return {"activity": activity, "event": event,
            "manager": make_user(roles=["programme_manager"]),
            "organiser": make_user(roles=["organiser"]), "participant": make_user()}
