"""Registering for the hackathon: eligibility from the profile, declaration, terms, deadline,
and the CONFIRMED event registration that goes with it."""

from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.events.models import AttendanceMode, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.hackathons.models import Declaration, HackathonParticipant

FORM = {"discipline": "Economics", "skills": "Data analysis", "declaration": "student",
        "looking_for_team": "y", "accept_terms": "y"}


def _participants():
    return db.session.scalar(select(func.count(HackathonParticipant.id)))


def test_register_records_terms_declaration_and_event_registration(
        client, login, make_user, hackathon):
    user = make_user(institution="Universidad de Chile", country="CL")
    login(user)
    page = client.get(f"/hackathons/{hackathon.id}/register")
    assert page.status_code == 200
    assert "Be original" in page.get_data(as_text=True)  # the rules are shown before accepting
    response = client.post(f"/hackathons/{hackathon.id}/register", data=FORM)
    assert response.status_code == 302
    participant = db.session.scalar(select(HackathonParticipant))
    assert participant.user_id == user.id
    assert participant.declaration == Declaration.STUDENT
    assert participant.terms_accepted_at is not None
    assert participant.looking_for_team is True
    reg = db.session.scalar(select(Registration).where(Registration.user_id == user.id))
    assert reg.event_id == hackathon.event_id
    assert reg.status == RegistrationStatus.CONFIRMED
    assert reg.mode == AttendanceMode.ONLINE  # a virtual hackathon
    assert hackathon.event.seats_taken_online == 1
    actions = set(db.session.scalars(select(AuditRecord.action)))
    assert {"hackathon.registered", "event.registration"} <= actions


def test_terms_must_be_accepted(client, login, make_user, hackathon):
    login(make_user(institution="UWI", country="JM"))
    response = client.post(f"/hackathons/{hackathon.id}/register",
                           data={k: v for k, v in FORM.items() if k != "accept_terms"})
    assert response.status_code == 400
    assert _participants() == 0


def test_declaration_is_required(client, login, make_user, hackathon):
    login(make_user(institution="UWI", country="JM"))
    response = client.post(f"/hackathons/{hackathon.id}/register",
                           data={k: v for k, v in FORM.items() if k != "declaration"})
    assert response.status_code == 400
    assert _participants() == 0


def test_profile_without_institution_is_refused(client, login, make_user, hackathon):
    login(make_user(country="MX"))
    response = client.post(f"/hackathons/{hackathon.id}/register", data=FORM)
    assert response.status_code == 403
    assert "institution" in response.get_data(as_text=True)
    assert _participants() == 0


def test_non_member_state_is_refused(client, login, make_user, hackathon):
    login(make_user(institution="MIT", country="US"))
    response = client.post(f"/hackathons/{hackathon.id}/register", data=FORM)
    assert response.status_code == 403
    assert "member states" in response.get_data(as_text=True)
    assert _participants() == 0
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_registration_after_deadline_is_refused(client, login, make_user, hackathon, shift):
    shift(hackathon, registration_deadline=-1)
    login(make_user(institution="UNAM", country="MX"))
    response = client.post(f"/hackathons/{hackathon.id}/register", data=FORM)
    assert response.status_code == 409
    assert "closed" in response.get_data(as_text=True)
    assert _participants() == 0


def test_second_registration_is_a_conflict(client, login, make_participant, hackathon):
    user = make_participant(hackathon)
    login(user)
    response = client.post(f"/hackathons/{hackathon.id}/register", data=FORM)
    assert response.status_code == 302  # already registered: sent to the team page
    assert _participants() == 1


def test_full_event_refuses_without_half_written_rows(client, login, make_user, hackathon):
    hackathon.event.capacity_online = 0
    db.session.commit()
    login(make_user(institution="UNAM", country="MX"))
    response = client.post(f"/hackathons/{hackathon.id}/register", data=FORM)
    assert response.status_code == 409
    assert _participants() == 0
    assert db.session.scalar(select(func.count(Registration.id))) == 0
