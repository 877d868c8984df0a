"""Hackathon fixtures: a published hackathon event with challenges and criteria, and helpers
to register participants and build teams through the real services."""

from datetime import timedelta

import pytest

from elearn.db_types import utcnow
from elearn.events.models import Event, EventKind, EventMode, EventOrganiser, EventStatus
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Criterion
from elearn.hackathons.models import Challenge, Hackathon


@pytest.fixture
def organiser(make_user):
    return make_user(email="organiser@example.org", roles=["organiser"])


@pytest.fixture
def make_hackathon(organiser):
    def make(**settings):
        now = utcnow()
        event = Event(kind=EventKind.HACKATHON, title_en="Digital solutions for regional "
                      "integration", title_es="Soluciones digitales para la integración "
                      "regional", timezone="America/Caracas", mode=EventMode.VIRTUAL,
                      language="en", status=EventStatus.PUBLISHED)
        event.organisers.append(EventOrganiser(user_id=organiser.id))
        db.session.add(event)
        db.session.flush()
        values = dict(
            team_size_min=2, team_size_max=3, min_disciplines=0,
            registration_deadline=now + timedelta(days=5),
            submission_opens_at=now - timedelta(days=1),
            submission_deadline=now + timedelta(days=10),
            judging_opens_at=now + timedelta(days=11),
            judging_closes_at=now + timedelta(days=15),
            results_at=now + timedelta(days=16),
            rules_en="Be original. Respect the code of conduct.",
            rules_es="Sea original.", judges_per_submission=2,
        )
        values.update(settings)
        hackathon = Hackathon(event=event, event_id=event.id, **values)
        hackathon.challenges.append(Challenge(title_en="Trade facilitation",
                                              title_es="Facilitación del comercio"))
        hackathon.challenges.append(Challenge(title_en="Digital identity", position=1))
        db.session.add(hackathon)
        db.session.flush()
        db.session.add_all([
            Criterion(hackathon_id=hackathon.id, name_en="Impact", weight=3, scale_min=1,
                      scale_max=10, position=0),
            Criterion(hackathon_id=hackathon.id, name_en="Feasibility", weight=1,
                      scale_min=1, scale_max=10, position=1),
        ])
        db.session.commit()
        return hackathon

    return make


@pytest.fixture
def hackathon(make_hackathon):
    return make_hackathon()


@pytest.fixture
def make_participant(make_user):
    counter = {"n": 0}

    def make(hackathon, discipline="Economics", institution=None, country="VE", **profile):
        counter["n"] += 1
        looking = profile.pop("looking_for_team", True)
        user = make_user(email=profile.pop("email", f"student{counter['n']}@uni.example"),
                         institution=institution or f"Universidad {counter['n']}",
                         country=country, **profile)
        services.register_participant(hackathon, user, discipline=discipline,
                                      declaration="student", accept_terms=True,
                                      skills="Python, research",
                                      looking_for_team=looking)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_team(make_participant):
    def make(hackathon, size=2, name=None, disciplines=None):
        disciplines = disciplines or ["Economics", "Computer science", "Law", "Design"]
        people = [make_participant(hackathon, discipline=disciplines[i % len(disciplines)])
                  for i in range(size)]
        team = services.create_team(hackathon, people[0], name or f"Team {people[0].id}")
        for person in people[1:]:
            services.join_team(team, person)
        db.session.commit()
        return team, people

    return make


SUBMISSION = {"title": "Customs bridge", "summary": "A shared customs data hub.",
              "problem": "Slow border crossings.", "repository_url": "https://git.example/cb",
              "video_url": "https://video.example/cb", "original_work": True}


@pytest.fixture
def submission_data(hackathon):
    return dict(SUBMISSION, challenge_id=hackathon.challenges[0].id)


@pytest.fixture
def shift():
    """shift(hackathon, submission_deadline=-1): move dates to now + N days (None: unset)."""

    def move(hackathon, **deltas):
        now = utcnow()
        for key, days in deltas.items():
            setattr(hackathon, key, None if days is None else now + timedelta(days=days))
        db.session.commit()

    return move
