"""Issuing the other kinds end to end: diploma (hours from the modules), instructor, speaker,
hackathon participation and award — the printed wording and the facts."""

from datetime import UTC, date, datetime

import pytest

from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue
from elearn.extensions import db


@pytest.fixture
def edition(app):
    from elearn.courses.models import Course, Edition, Module

    # English first: what a French diploma prints when the course has no French title.
    edition = Edition(course=Course(title_en="Gender-focused SME policy",
                                    title_es="Políticas PYME con enfoque de género",
                                    languages=["en", "es"]),
                      name_en="Caribe 2026", starts_on=date(2026, 2, 2), ends_on=date(2026, 5, 29),
                      timezone="America/Port_of_Spain", status="completed",
                      require_required_passed=False)
    edition.modules = [Module(title_en="M1", hours=40), Module(title_en="M2", hours=25.5)]
    db.session.add(edition)
    db.session.commit()
    return edition


def test_diploma_prints_the_course_and_its_hours(make_user, edition, make_template, pdf_text):
    from elearn.courses.models import Enrolment

    person = make_user(full_name="Nadège Saint-Éloi", preferred_language="fr")
    db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, status="completed"))
    db.session.commit()
    make_template(kind=CertificateKind.DIPLOMA)
    certificate, _ = issue(CertificateKind.DIPLOMA, edition, person)
    text = pdf_text(certificate.pdf)
    assert certificate.hours == 65.5
    assert "Diplôme" in text and "pour avoir suivi avec succès" in text
    assert "65,5 heures de formation" in text
    assert "Gender-focused SME policy — Caribe 2026" in text
    assert "Nadège Saint-Éloi" in text


def test_instructor_acknowledgement(make_user, edition, make_template, pdf_text):
    from elearn.courses.models import EditionInstructor

    teacher = make_user(full_name="Inés Ábrego", preferred_language="es")
    db.session.add(EditionInstructor(edition_id=edition.id, user_id=teacher.id))
    db.session.commit()
    db.session.refresh(edition)
    make_template(kind=CertificateKind.INSTRUCTOR)
    certificate, _ = issue(CertificateKind.INSTRUCTOR, edition, teacher)
    text = pdf_text(certificate.pdf)
    assert "Certificado de reconocimiento" in text and "por haber impartido" in text
    assert "Políticas PYME con enfoque de género — Caribe 2026" in text


def test_speaker_acknowledgement_names_the_role(make_user, make_event, register,
                                                make_template, pdf_text):
    event = make_event(sessions=1)
    person = make_user(full_name="João Conceição", preferred_language="pt")
    register(event, person, role="moderator")
    make_template(kind=CertificateKind.SPEAKER)
    certificate, _ = issue(CertificateKind.SPEAKER, event, person)
    assert "por sua contribuição como moderador em" in pdf_text(certificate.pdf)
    assert certificate.details == {"role": "moderator"}


@pytest.fixture
def hackathon_with_team(make_user, make_event):
    from elearn.hackathons.judging_models import Submission
    from elearn.hackathons.models import (
        Challenge,
        Hackathon,
        HackathonParticipant,
        Team,
        TeamMember,
    )

    organiser = make_user(roles=["organiser"])
    event = make_event(sessions=2, title="Digital hackathon", title_es="Hackatón digital",
                       organiser=organiser)
    hackathon = Hackathon(event_id=event.id, results_published_at=datetime.now(UTC))
    hackathon.challenges = [Challenge(title_en="Open data")]
    db.session.add(hackathon)
    db.session.flush()
    person = make_user(full_name="Ximena Quispe Ñahui", preferred_language="es")
    team = Team(hackathon_id=hackathon.id, name="Cóndor", member_count=1)
    participant = HackathonParticipant(hackathon_id=hackathon.id, user_id=person.id,
                                       discipline="data", declaration="student",
                                       terms_accepted_at=datetime.now(UTC))
    db.session.add_all([team, participant])
    db.session.flush()
    db.session.add(TeamMember(team_id=team.id, hackathon_id=hackathon.id, user_id=person.id,
                              participant_id=participant.id))
    db.session.add(Submission(hackathon_id=hackathon.id, team_id=team.id,
                              challenge_id=hackathon.challenges[0].id, title="Mapa abierto",
                              summary="s", problem="p", final_rank=2))
    db.session.commit()
    return hackathon, person, organiser


def test_hackathon_award_prints_team_and_placing(hackathon_with_team, make_template, pdf_text):
    hackathon, person, _organiser = hackathon_with_team
    make_template(kind=CertificateKind.HACKATHON_AWARD)
    make_template(kind=CertificateKind.HACKATHON_PARTICIPATION)
    award, _ = issue(CertificateKind.HACKATHON_AWARD, hackathon, person)
    text = pdf_text(award.pdf)
    assert "por obtener el segundo lugar, con el equipo Cóndor, en" in text
    assert "Hackatón digital" in text and award.hours is None
    participation, created = issue(CertificateKind.HACKATHON_PARTICIPATION, hackathon, person)
    assert created and "integrante del equipo Cóndor" in pdf_text(participation.pdf)


def test_hackathon_organisers_issue_awards_from_the_page(client, login, make_user,
                                                         hackathon_with_team, make_template):
    hackathon, person, organiser = hackathon_with_team
    make_template(kind=CertificateKind.HACKATHON_AWARD)
    base = f"/certificates/manage/hackathon/{hackathon.id}"
    login(make_user(roles=["organiser"]))
    assert client.get(f"{base}?kind=hackathon_award").status_code == 403
    client.post("/logout")
    login(organiser)
    page = client.get(f"{base}?kind=hackathon_award").get_data(as_text=True)
    assert "The team Cóndor placed 2." in page
    response = client.post(f"{base}/bulk", data={"kind": "hackathon_award", "confirmed": "1"})
    assert response.status_code == 302
    assert "1 issued" in client.get(response.headers["Location"]).get_data(as_text=True)
