"""Survey fixtures: a workshop whose sessions are over, the people who attended it (and one
who registered and stayed away), and helpers to run the scheduler's task and read the link."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.events.models import AttendanceMode
from elearn.extensions import db
from elearn.mail.services import deliver_committed
from elearn.surveys.services import lifecycle
from elearn.surveys.services.setup import survey_of

LINK = re.compile(r"https?://\S+/surveys/answer/([A-Za-z0-9_-]+)")


def now():
    return datetime.now(UTC)


def attend(event, user, status=AttendanceStatus.PRESENT, mode=AttendanceMode.IN_PERSON,
           session_index=0):
    session = event.sessions[session_index]
    db.session.add(Attendance(session_id=session.id, user_id=user.id, status=status, mode=mode,
                              source=AttendanceSource.ROLL_CALL))
    db.session.commit()


def run_scheduler(at=None):
    done = lifecycle.run(at)
    deliver_committed()
    return done


def link_token(mailbox, address) -> str:
    text = mailbox.text_of(mailbox.last(address))
    found = LINK.search(text)
    assert found, text
    return found.group(1)


@pytest.fixture
def organiser(make_user):
    return make_user(email="organiser@example.org", roles=["organiser"])


@pytest.fixture
def workshop(make_event, organiser):
    """Two sessions, the second ended two hours ago."""
    return make_event(organiser, starts_at=now() - timedelta(days=1, hours=4), minutes=120,
                      sessions=2)


@pytest.fixture
def people(workshop, make_user, register):
    """Attended in person, attended late online (Spanish reader), registered but absent,
    registered and never recorded."""
    found = {
        "present": make_user(email="present@example.org", gender="woman", country="CL",
                             sector="government", year_of_birth=1985),
        "late": make_user(email="late@example.org", preferred_language="es",
                          stats_consent_at=None, gender="man", country="PE"),
        "absent": make_user(email="absent@example.org"),
        "registered": make_user(email="registered@example.org"),
    }
    for user in found.values():
        register(workshop, user)
    attend(workshop, found["present"])
    attend(workshop, found["late"], status=AttendanceStatus.LATE, mode=AttendanceMode.ONLINE,
           session_index=1)
    attend(workshop, found["absent"], status=AttendanceStatus.ABSENT)
    return found


@pytest.fixture
def survey(workshop):
    return survey_of("event", workshop.id)


def answers(**overrides) -> dict:
    data = {"q-satisfaction": "5", "q-objectives": "4", "q-usefulness": "4",
            "q-speakers": "5", "q-organisation": "3", "q-mode": "in_person",
            "q-venue": "4", "q-improve": "More time for questions", "q-recommend": "yes"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
