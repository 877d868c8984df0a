"""Withdrawing from a hackathon: the team is left as with "Leave team" (captaincy passes on,
the last member dissolves it, never a team with a submission), the event registration is
cancelled through the events domain (seat and waiting list), refused after the submission
deadline, all or nothing."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.events.models import Registration, RegistrationStatus
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Submission
from elearn.hackathons.models import HackathonParticipant, Team, TeamMember

CONFIRM = {"confirm": "y"}


def _path(hackathon):
    return f"/hackathons/{hackathon.id}/withdraw"


def _registration(hackathon, user):
    return db.session.scalar(select(Registration).where(
        Registration.event_id == hackathon.event_id, Registration.user_id == user.id))


def _state(hackathon):
    """Everything a withdrawal may touch, to prove a refusal wrote nothing."""
    db.session.expire_all()
    return {
        "participants": sorted(db.session.scalars(select(HackathonParticipant.user_id))),
        "members": sorted(db.session.execute(
            select(TeamMember.team_id, TeamMember.user_id)).all()),
        "teams": sorted(db.session.execute(
            select(Team.id, Team.captain_id, Team.member_count)).all()),
        "registrations": sorted((r.user_id, r.status.value) for r in db.session.scalars(
            select(Registration))),
        "seats": hackathon.event.seats_taken_online,
        "audit": db.session.scalar(select(func.count(AuditRecord.id))),
        "submissions": db.session.scalar(select(func.count(Submission.id))),
    }


def _actions():
    return list(db.session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))


def test_plain_member_withdraws_through_the_pages(client, login, mailbox, make_team,
                                                  hackathon):
    team, (captain, member, third) = make_team(hackathon, size=3)
    seats = hackathon.event.seats_taken_online
    login(member)
    detail = client.get(f"/hackathons/{hackathon.id}").get_data(as_text=True)
    assert _path(hackathon) in detail
    assert _path(hackathon) in client.get(f"/hackathons/{hackathon.id}/team"
                                          ).get_data(as_text=True)
    page = client.get(_path(hackathon))
    assert page.status_code == 200
    assert f"You leave team {team.name}" in page.get_data(as_text=True)

    before = _state(hackathon)
    response = client.post(_path(hackathon), data={})  # the box is not ticked
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.get_data(as_text=True)
    assert _state(hackathon) == before

    response = client.post(_path(hackathon), data=CONFIRM)
    assert response.status_code == 302
    db.session.expire_all()
    assert services.participant_of(hackathon, member) is None
    assert services.team_of(hackathon, member) is None
    assert team.member_count == 2 and [m.user_id for m in team.members] == [captain.id,
                                                                           third.id]
    assert team.captain_id == captain.id
    assert _registration(hackathon, member).status == RegistrationStatus.CANCELLED
    assert hackathon.event.seats_taken_online == seats - 1
    actions = _actions()
    for action in ("hackathon.team_left", "event.registration_cancelled",
                   "hackathon.withdrawn"):
        assert action in actions
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "hackathon.withdrawn"))
    assert entry.actor_id == member.id and entry.before["team_id"] == team.id
    assert "cancelled" in mailbox.last(member.email)["Subject"].lower()
    # the page no longer offers to withdraw, and the team page sends them to register
    assert _path(hackathon) not in client.get(f"/hackathons/{hackathon.id}"
                                              ).get_data(as_text=True)
    assert client.get(f"/hackathons/{hackathon.id}/team").status_code == 302


def test_captain_withdrawing_hands_over_to_the_earliest_joined(client, login, make_team,
                                                               hackathon):
    team, (captain, second, third) = make_team(hackathon, size=3)
    # the third person joined earlier than the second (e.g. re-joined after a mix-up)
    members = {m.user_id: m for m in team.members}
    members[third.id].joined_at = members[second.id].joined_at - timedelta(hours=1)
    db.session.commit()
    login(captain)
    assert "the member who joined earliest becomes captain" in client.get(
        _path(hackathon)).get_data(as_text=True)
    assert client.post(_path(hackathon), data=CONFIRM).status_code == 302
    db.session.expire_all()
    assert team.captain_id == third.id
    assert team.member_count == 2
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "hackathon.captain_changed"))
    assert entry.before == {"captain_id": captain.id} and entry.after == {"captain_id":
                                                                           third.id}
    assert services.participant_of(hackathon, captain) is None


def test_last_member_withdrawing_dissolves_the_team(client, login, make_participant,
                                                   hackathon):
    solo = make_participant(hackathon)
    team = services.create_team(hackathon, solo, "Lonely")
    db.session.commit()
    team_id = team.id
    login(solo)
    assert "the team is dissolved" in client.get(_path(hackathon)).get_data(as_text=True)
    assert client.post(_path(hackathon), data=CONFIRM).status_code == 302
    db.session.expire_all()
    assert db.session.get(Team, team_id) is None
    assert services.participant_of(hackathon, solo) is None
    assert _registration(hackathon, solo).status == RegistrationStatus.CANCELLED
    assert "hackathon.team_dissolved" in _actions()


def test_participant_without_a_team_withdraws(make_participant, hackathon):
    person = make_participant(hackathon)
    services.withdraw(hackathon, person)
    db.session.commit()
    assert services.participant_of(hackathon, person) is None
    assert _registration(hackathon, person).status == RegistrationStatus.CANCELLED


def test_last_member_of_a_team_with_a_submission_is_refused(client, login, make_team,
                                                            hackathon, submission_data):
    team, (captain, member) = make_team(hackathon, size=2)
    services.save_submission(team, captain, submission_data)
    db.session.commit()
    # not the last one: the team and its submission carry on without them
    login(member)
    assert client.post(_path(hackathon), data=CONFIRM).status_code == 302
    client.post("/logout")

    before = _state(hackathon)
    login(captain)
    response = client.post(_path(hackathon), data=CONFIRM)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "last member of a team that has a submission" in text
    assert "contact the organisers" in text
    assert _state(hackathon) == before  # nothing written: team, registration, participant
    assert services.participant_of(hackathon, captain) is not None
    assert _registration(hackathon, captain).status == RegistrationStatus.CONFIRMED
    # the same rule holds for "Leave team", which shares the code
    response = client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/leave",
                           data={"confirmed": "1"})
    assert response.status_code == 409
    assert _state(hackathon) == before


def test_withdrawing_after_the_submission_deadline_is_refused(client, login, make_team,
                                                              hackathon, shift):
    team, (captain, member) = make_team(hackathon, size=2)
    shift(hackathon, submission_deadline=-1)
    before = _state(hackathon)
    login(member)
    detail = client.get(f"/hackathons/{hackathon.id}").get_data(as_text=True)
    assert _path(hackathon) not in detail
    page = client.get(_path(hackathon))
    assert "can no longer withdraw" in page.get_data(as_text=True)
    response = client.post(_path(hackathon), data=CONFIRM)
    assert response.status_code == 409
    assert "can no longer withdraw" in response.get_data(as_text=True)
    with pytest.raises(services.Conflict):
        services.withdraw(hackathon, member)
    db.session.rollback()
    assert _state(hackathon) == before


def test_the_freed_seat_goes_to_the_waiting_list(make_participant, make_user, register,
                                                 hackathon):
    from elearn.db_types import utcnow
    from elearn.events.models import AttendanceMode
    from elearn.mail.models import OutboxMessage

    leaving = make_participant(hackathon)
    event = hackathon.event
    event.capacity_online = 1
    db.session.commit()
    assert event.seats_taken_online == 1
    waiting = make_user(email="waiting@example.org")
    register(event, waiting, status=RegistrationStatus.WAITLISTED, mode=AttendanceMode.ONLINE,
             waitlisted_at=utcnow())
    services.withdraw(hackathon, leaving)
    db.session.commit()
    db.session.expire_all()
    assert _registration(hackathon, leaving).status == RegistrationStatus.CANCELLED
    assert _registration(hackathon, waiting).status == RegistrationStatus.CONFIRMED
    assert event.seats_taken_online == 1
    assert "event.registration_promoted" in _actions()
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.to_address == waiting.email)) is not None  # told they have a seat


def test_withdrawn_participant_may_register_again_while_open(make_participant, hackathon):
    person = make_participant(hackathon)
    services.withdraw(hackathon, person)
    db.session.commit()
    services.register_participant(hackathon, person, discipline="Law", declaration="staff",
                                  accept_terms=True)
    db.session.commit()
    assert services.participant_of(hackathon, person).discipline == "Law"
    assert _registration(hackathon, person).status == RegistrationStatus.CONFIRMED


def test_someone_not_registered_cannot_withdraw(client, login, make_user, hackathon):
    outsider = make_user(email="outsider@example.org", institution="Uni", country="VE")
    login(outsider)
    response = client.post(_path(hackathon), data=CONFIRM)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hackathons/{hackathon.id}")
    with pytest.raises(services.Forbidden):
        services.withdraw(hackathon, outsider)
    assert client.get(_path(hackathon)).status_code == 302
    client.post("/logout")
    assert client.post(_path(hackathon), data=CONFIRM).status_code in (302, 401)


def test_two_last_members_withdrawing_at_once_keep_the_submission(
        app, is_postgres, make_team, hackathon, submission_data):
    if not is_postgres:
        pytest.skip("real concurrent transactions need PostgreSQL")
    team, people = make_team(hackathon, size=2)
    services.save_submission(team, people[0], submission_data)
    db.session.commit()
    team_id, hackathon_id = team.id, hackathon.id
    user_ids = [p.id for p in people]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(user_id):
        from elearn.accounts.models import User
        from elearn.hackathons.models import Hackathon

        with app.app_context():
            try:
                found = db.session.get(Hackathon, hackathon_id)
                user = db.session.get(User, user_id)
                services.team_of(found, user).members  # noqa: B018  (load before racing)
                barrier.wait()
                services.withdraw(found, user)
                db.session.commit()
                outcomes.append("withdrew")
            except services.HackathonError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "withdrew"]
    db.session.expire_all()
    team = db.session.get(Team, team_id)
    assert team is not None and team.member_count == 1 and len(team.members) == 1
    assert db.session.scalar(select(func.count(Submission.id))) == 1
