"""Teams: create, join by code, size limit and lock (in the database), one team per person,
discipline mix, captaincy, leaving, join-code rotation, invitations."""

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from elearn.audit.models import AuditRecord
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.models import Team, TeamMember, grouped_join_code


def _members(team_id):
    return db.session.scalar(select(func.count(TeamMember.id)).where(
        TeamMember.team_id == team_id))


def test_create_and_join_by_code_through_pages(client, login, make_participant, hackathon):
    captain = make_participant(hackathon)
    login(captain)
    response = client.post(f"/hackathons/{hackathon.id}/teams", data={"name": "Andes Coders"})
    assert response.status_code == 302
    team = db.session.scalar(select(Team))
    assert team.captain_id == captain.id and team.member_count == 1
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert grouped_join_code(team.join_code) in page  # the captain sees the code to share

    joiner = make_participant(hackathon, discipline="Law")
    client.post("/logout")
    login(joiner)
    response = client.post(f"/hackathons/{hackathon.id}/teams/join",
                           data={"code": team.join_code})
    assert response.status_code == 302
    db.session.expire_all()
    assert team.member_count == 2 and _members(team.id) == 2


def test_wrong_code_is_404_with_message(client, login, make_participant, hackathon):
    login(make_participant(hackathon))
    response = client.post(f"/hackathons/{hackathon.id}/teams/join", data={"code": "nope"})
    assert response.status_code == 404
    assert "No team has this join code" in response.get_data(as_text=True)


def test_joining_a_full_team_is_refused(client, login, make_team, make_participant, hackathon):
    team, _people = make_team(hackathon, size=3)  # max is 3
    late = make_participant(hackathon)
    login(late)
    response = client.post(f"/hackathons/{hackathon.id}/teams/join",
                           data={"code": team.join_code})
    assert response.status_code == 409
    assert "full" in response.get_data(as_text=True)
    db.session.expire_all()
    assert team.member_count == 3 and _members(team.id) == 3
    assert services.team_of(hackathon, late) is None


def test_joining_a_locked_team_is_refused(client, login, make_team, make_participant,
                                          hackathon):
    team, people = make_team(hackathon, size=2)
    login(people[0])
    assert client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/lock",
                       data={"locked": "1", "confirmed": "1"}).status_code == 302
    client.post("/logout")
    login(make_participant(hackathon))
    response = client.post(f"/hackathons/{hackathon.id}/teams/join",
                           data={"code": team.join_code})
    assert response.status_code == 409
    assert "locked" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _members(team.id) == 2


def test_only_the_captain_can_lock(client, login, make_team, hackathon):
    team, people = make_team(hackathon, size=2)
    login(people[1])
    response = client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/lock",
                           data={"locked": "1"})
    assert response.status_code == 403
    db.session.expire_all()
    assert team.locked is False


def test_a_second_team_is_refused(client, login, make_team, make_participant, hackathon):
    first, people = make_team(hackathon, size=2)
    other, _ = make_team(hackathon, size=2)
    login(people[1])
    response = client.post(f"/hackathons/{hackathon.id}/teams/join",
                           data={"code": other.join_code})
    assert response.status_code == 409
    assert "already in a team" in response.get_data(as_text=True)
    response = client.post(f"/hackathons/{hackathon.id}/teams", data={"name": "Another"})
    assert response.status_code == 409
    db.session.expire_all()
    assert other.member_count == 2


def test_one_team_per_person_is_a_database_constraint(make_team, hackathon):
    first, people = make_team(hackathon, size=2)
    other, _ = make_team(hackathon, size=2)
    participant = services.participant_of(hackathon, people[1])
    db.session.add(TeamMember(team_id=other.id, hackathon_id=hackathon.id,
                              user_id=people[1].id, participant_id=participant.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_joining_after_registration_deadline_is_refused(client, login, make_team,
                                                        make_participant, hackathon, shift):
    team, _ = make_team(hackathon, size=2)
    late = make_participant(hackathon)
    shift(hackathon, registration_deadline=-1)
    login(late)
    response = client.post(f"/hackathons/{hackathon.id}/teams/join",
                           data={"code": team.join_code})
    assert response.status_code == 409
    assert "closed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _members(team.id) == 2


def test_discipline_mix_is_enforced_at_join(make_participant, make_hackathon):
    hackathon = make_hackathon(team_size_max=3, min_disciplines=2)
    a = make_participant(hackathon, discipline="Economics")
    b = make_participant(hackathon, discipline="economics ")  # same discipline, other spelling
    c = make_participant(hackathon, discipline="Economics")
    d = make_participant(hackathon, discipline="Computer science")
    team = services.create_team(hackathon, a, "Mix")
    services.join_team(team, b)  # 1 discipline, 1 place left: still reachable
    db.session.commit()
    with pytest.raises(services.Conflict, match="disciplines"):
        services.join_team(team, c)
    db.session.rollback()
    db.session.expire_all()
    assert team.member_count == 2  # the counter UPDATE was rolled back with the refusal
    services.join_team(team, d)
    db.session.commit()
    assert services.discipline_count(team) == 2


def test_captain_leaving_hands_over_to_longest_standing(make_team, hackathon):
    team, (captain, second, third) = make_team(hackathon, size=3)
    services.leave_team(team, captain)
    db.session.commit()
    db.session.expire_all()
    assert team.captain_id == second.id
    assert team.member_count == 2
    actions = list(db.session.scalars(select(AuditRecord.action)))
    assert "hackathon.captain_changed" in actions


def test_last_member_leaving_dissolves_the_team(make_participant, hackathon):
    solo = make_participant(hackathon)
    team = services.create_team(hackathon, solo, "Solo")
    db.session.commit()
    team_id = team.id
    assert services.leave_team(team, solo) is None
    db.session.commit()
    assert db.session.get(Team, team_id) is None


def test_captain_removes_member_and_hands_over(client, login, make_team, hackathon):
    team, (captain, second, third) = make_team(hackathon, size=3)
    login(captain)
    assert client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/members/"
                       f"{third.id}/remove", data={"confirmed": "1"}).status_code == 302
    assert client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/members/"
                       f"{second.id}/captain").status_code == 302
    db.session.expire_all()
    assert team.member_count == 2 and team.captain_id == second.id
    # no longer captain: cannot remove anyone
    for confirmed in ({}, {"confirmed": "1"}):
        response = client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/members/"
                               f"{second.id}/remove", data=confirmed)
        assert response.status_code == 403


def test_invitation_email_and_acceptance(client, login, mailbox, make_team, make_participant,
                                         hackathon):
    team, (captain, _m) = make_team(hackathon, size=2)
    invitee = make_participant(hackathon, discipline="Design", preferred_language="es")
    login(captain)
    page = client.get(f"/hackathons/{hackathon.id}/looking").get_data(as_text=True)
    assert invitee.display_name in page and "Design" in page
    response = client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/invite/{invitee.id}")
    assert response.status_code == 302
    message = mailbox.last(invitee.email)
    body = mailbox.text_of(message)
    assert "Soluciones digitales para la integración regional" in body  # her language
    link = next(line for line in body.splitlines() if "/hackathons/invitations/" in line)
    path = link.strip().replace("http://localhost", "")
    client.post("/logout")
    login(invitee)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    db.session.expire_all()
    assert services.team_of(hackathon, invitee).id == team.id
    assert client.post(path).status_code == 409  # used once only


def test_rotating_the_code_invalidates_old_invitations(client, login, make_team,
                                                       make_participant, hackathon):
    team, (captain, _m) = make_team(hackathon, size=2)
    invitee = make_participant(hackathon)
    invitation = services.invite(team, captain, invitee)
    db.session.commit()
    old_code = team.join_code
    login(captain)
    assert client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/rotate-code",
                       data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert team.join_code != old_code and team.code_version == 2
    client.post("/logout")
    login(invitee)
    response = client.post(f"/hackathons/invitations/{invitation.token}")
    assert response.status_code == 409
    assert "join code" in response.get_data(as_text=True)
    response = client.post(f"/hackathons/{hackathon.id}/teams/join", data={"code": old_code})
    assert response.status_code == 404
    assert services.team_of(hackathon, invitee) is None


def test_invitation_for_someone_else_is_refused(client, login, make_team, make_participant,
                                                hackathon):
    team, (captain, _m) = make_team(hackathon, size=2)
    invitee = make_participant(hackathon)
    intruder = make_participant(hackathon)
    invitation = services.invite(team, captain, invitee)
    db.session.commit()
    login(intruder)
    assert client.post(f"/hackathons/invitations/{invitation.token}").status_code == 409
    assert services.team_of(hackathon, intruder) is None


def test_parallel_joins_never_exceed_the_maximum(app, is_postgres, make_participant,
                                                 make_hackathon):
    if not is_postgres:
        pytest.skip("real concurrent transactions need PostgreSQL")
    hackathon = make_hackathon(team_size_max=3)
    captain = make_participant(hackathon)
    team = services.create_team(hackathon, captain, "Race")
    joiners = [make_participant(hackathon) for _ in range(8)]
    db.session.commit()
    team_id, hackathon_id = team.id, hackathon.id
    joiner_ids = [u.id for u in joiners]
    barrier = threading.Barrier(len(joiner_ids))
    outcomes = []

    def attempt(user_id):
        from elearn.accounts.models import User
        from elearn.hackathons.models import Hackathon

        with app.app_context():
            try:
                barrier.wait()
                t = db.session.get(Team, team_id)
                services.join_team(t, db.session.get(User, user_id))
                db.session.commit()
                outcomes.append("joined")
            except services.HackathonError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()
            assert db.session.get(Hackathon, hackathon_id) is not None

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in joiner_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert outcomes.count("joined") == 2
    assert outcomes.count("refused") == 6
    assert _members(team_id) == 3
    assert db.session.get(Team, team_id).member_count == 3
