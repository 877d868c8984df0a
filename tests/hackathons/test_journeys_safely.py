"""Issue 13 for the hackathon: join codes people can read out and type, nothing ticked for
them, confirmation before what cannot be undone, messages that say what happened, refusals
that are pages with a way back, labels instead of raw codes, and the organiser's hub."""

import re

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Criterion
from elearn.hackathons.models import (
    JOIN_CODE_ALPHABET,
    HackathonParticipant,
    Team,
    TeamMember,
    grouped_join_code,
    new_join_code,
    normalise_join_code,
)


def _join(client, hackathon, code):
    return client.post(f"/hackathons/{hackathon.id}/teams/join", data={"code": code})


# --- point 11: join codes and registration ---------------------------------------------------

def test_new_codes_have_no_ambiguous_characters():
    codes = {new_join_code() for _ in range(500)}
    assert len(codes) == 500
    seen = set("".join(codes))
    assert not seen & set("0O1lIiU"), seen
    assert seen <= set(JOIN_CODE_ALPHABET)
    code = codes.pop()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", grouped_join_code(code))
    assert normalise_join_code(grouped_join_code(code).lower()) == code


@pytest.mark.parametrize("typed", [
    lambda c: c.lower(),
    lambda c: f"  {c[:4].lower()} {c[4:]} ",
    lambda c: f"{c[:4]}-{c[4:].lower()}",
])
def test_a_code_typed_in_lower_case_with_spaces_or_dashes_joins(client, login, make_team,
                                                                 make_participant, hackathon,
                                                                 typed):
    team, _people = make_team(hackathon, size=1)
    joiner = make_participant(hackathon, discipline="Law")
    login(joiner)
    response = _join(client, hackathon, typed(team.join_code))
    assert response.status_code == 302
    db.session.expire_all()
    assert services.team_of(hackathon, joiner).id == team.id
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert f"You joined team {team.name}." in page  # says which team


def test_codes_made_before_the_new_alphabet_still_work_in_any_case(
        client, login, make_team, make_participant, hackathon):
    team, _people = make_team(hackathon, size=1)
    team.join_code = "aB3_x-Yz"  # the shape of the former token_urlsafe codes
    db.session.commit()
    joiner = make_participant(hackathon)
    login(joiner)
    assert _join(client, hackathon, "AB3_XYZ").status_code == 302
    db.session.expire_all()
    assert services.team_of(hackathon, joiner).id == team.id


def test_a_wrong_code_is_refused_with_a_way_on(client, login, make_team, make_participant,
                                               hackathon):
    make_team(hackathon, size=1)
    login(make_participant(hackathon))
    response = _join(client, hackathon, "ZZZZ-ZZZZ")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No team has this join code" in page
    assert "Create a team" in page  # the team page itself, not a bare error


def test_captain_sees_the_code_in_groups(client, login, make_team, hackathon):
    team, people = make_team(hackathon, size=1)
    login(people[0])
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert grouped_join_code(team.join_code) in page
    assert "-" in grouped_join_code(team.join_code)


def test_looking_for_a_team_is_not_ticked_for_the_person(client, login, make_user, hackathon):
    user = make_user(email="new@uni.example", institution="Universidad", country="CL")
    login(user)
    page = client.get(f"/hackathons/{hackathon.id}/register").get_data(as_text=True)
    box = re.search(r'<input[^>]*id="looking_for_team"[^>]*>', page).group(0)
    assert "checked" not in box
    assert "Chile" in page and ", CL)" not in page  # the country's name, not its code
    response = client.post(f"/hackathons/{hackathon.id}/register", data={
        "discipline": "Economics", "declaration": "student", "accept_terms": "y"})
    assert response.status_code == 302
    participant = db.session.scalar(select(HackathonParticipant))
    assert participant.looking_for_team is False


# --- point 6: confirmation -------------------------------------------------------------------

def test_removing_a_member_asks_first(client, login, make_team, hackathon):
    team, (captain, second) = make_team(hackathon, size=2)
    login(captain)
    path = f"/hackathons/{hackathon.id}/teams/{team.id}/members/{second.id}/remove"
    response = client.post(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Remove {second.display_name} from team {team.name}?" in page
    assert 'name="confirmed" value="1"' in page and f'action="{path}"' in page
    db.session.expire_all()
    assert team.member_count == 2  # nothing happened yet
    client.post(path, data={"confirmed": "1"})
    db.session.expire_all()
    assert team.member_count == 1
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert f"{second.display_name} was removed from the team." in page


@pytest.mark.parametrize("who,says", [
    ("captain", "will become the captain"), ("member", "no longer see or edit"),
    ("alone", "will be dissolved")])
def test_leaving_a_team_asks_first_and_says_what_follows(client, login, make_team, hackathon,
                                                         who, says):
    team, members = make_team(hackathon, size=1 if who == "alone" else 2)
    leaver = members[1] if who == "member" else members[0]
    login(leaver)
    path = f"/hackathons/{hackathon.id}/teams/{team.id}/leave"
    response = client.post(path)
    assert response.status_code == 200 and says in response.get_data(as_text=True)
    db.session.expire_all()
    assert team.member_count == len(members)  # nothing happened yet
    assert client.post(path, data={"confirmed": "1"}).status_code == 302
    assert services.participant_of(hackathon, leaver) is not None
    remaining = db.session.scalar(select(func.count()).select_from(TeamMember).where(
        TeamMember.team_id == team.id))
    assert remaining == len(members) - 1


def test_locking_asks_first_and_opening_does_not(client, login, make_team, make_participant,
                                                 hackathon):
    team, (captain, _second) = make_team(hackathon, size=2)
    services.invite(team, captain, make_participant(hackathon))
    db.session.commit()
    login(captain)
    path = f"/hackathons/{hackathon.id}/teams/{team.id}/lock"
    page = client.post(path, data={"locked": "1"}).get_data(as_text=True)
    assert "Nobody else can join team" in page
    assert "1 invitation not yet accepted" in page
    assert 'name="locked" value="1"' in page  # carried through the confirmation
    db.session.expire_all()
    assert team.locked is False
    assert client.post(path, data={"locked": "1", "confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert team.locked is True
    assert client.post(path, data={"locked": "0"}).status_code == 302  # opening is harmless
    db.session.expire_all()
    assert team.locked is False


def test_rotating_the_code_says_the_old_one_stops_working(client, login, make_team, hackathon):
    team, (captain, _second) = make_team(hackathon, size=2)
    old = team.join_code
    login(captain)
    path = f"/hackathons/{hackathon.id}/teams/{team.id}/rotate-code"
    page = client.post(path).get_data(as_text=True)
    assert f"The current code {grouped_join_code(old)} stops working" in page
    db.session.expire_all()
    assert team.join_code == old
    client.post(path, data={"confirmed": "1"})
    db.session.expire_all()
    assert team.join_code != old


def test_a_team_member_who_is_not_captain_gets_no_confirmation_page(client, login, make_team,
                                                                    hackathon):
    team, (_captain, second) = make_team(hackathon, size=2)
    login(second)
    response = client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/rotate-code")
    assert response.status_code == 403


def test_deleting_a_challenge_asks_first_and_is_refused_once_used(
        client, login, organiser, make_team, submission_data, hackathon):
    login(organiser)
    unused = hackathon.challenges[1]
    path = f"/hackathons/{hackathon.id}/organise/challenges/{unused.id}/delete"
    page = client.post(path).get_data(as_text=True)
    assert "Remove the challenge “Digital identity”?" in page
    assert db.session.get(type(unused), unused.id) is not None
    assert client.post(path, data={"confirmed": "1"}).status_code == 302

    used = hackathon.challenges[0]
    team, people = make_team(hackathon, size=2)
    services.save_submission(team, people[0], submission_data)
    db.session.commit()
    response = client.post(f"/hackathons/{hackathon.id}/organise/challenges/{used.id}/delete")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Teams have submitted to this challenge" in page
    assert 'name="confirmed"' not in page  # no button to do it anyway
    assert f"/hackathons/{hackathon.id}/organise#challenges" in page  # a way back


def test_deleting_a_criterion_asks_first(client, login, organiser, hackathon):
    criterion = services.criteria_of(hackathon)[1]
    login(organiser)
    path = f"/hackathons/{hackathon.id}/organise/criteria/{criterion.id}/delete"
    page = client.post(path).get_data(as_text=True)
    assert "Remove the criterion “Feasibility”?" in page
    db.session.expire_all()
    assert db.session.get(Criterion, criterion.id) is not None


def test_publishing_results_says_who_is_told_and_asks_first(
        client, login, organiser, make_team, submission_data, hackathon, shift):
    team, people = make_team(hackathon, size=2)
    services.save_submission(team, people[0], submission_data)
    db.session.commit()
    login(organiser)
    path = f"/hackathons/{hackathon.id}/organise/publish"
    response = client.post(path)
    assert response.status_code == 409  # before the results date: refused, with a way back
    assert "results date" in response.get_data(as_text=True)
    shift(hackathon, submission_deadline=-3, judging_opens_at=-2, judging_closes_at=-1,
          results_at=-0.01)
    page = client.post(path).get_data(as_text=True)
    assert "1 team with a submission is told by email (2 people)." in page
    assert "This cannot be undone" in page
    db.session.expire_all()
    assert hackathon.results_published_at is None
    assert client.post(path, data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert hackathon.results_published_at is not None


# --- points 4, 7, 8, 10, 12 ------------------------------------------------------------------

def test_dashboard_is_a_hub_of_what_the_organiser_may_do(client, login, organiser, make_user,
                                                         hackathon):
    login(organiser)
    page = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    hub = re.search(r'<nav aria-label="Organiser tools".*?</nav>', page, re.S).group(0)
    for href in (f"/hackathons/{hackathon.id}/organise/settings", "#challenges", "#criteria",
                 "#judging", "#extensions", "#results",
                 f"/organise/events/{hackathon.event_id}",
                 f"/certificates/manage/hackathon/{hackathon.id}",
                 f"/stats/hackathon/{hackathon.id}"):
        assert f'href="{href}"' in hub, href
    for anchor in ("challenges", "criteria", "judging", "extensions", "results"):
        assert f'id="{anchor}"' in page
    # every link of the hub opens for the organiser
    for href in re.findall(r'href="(/[^"#]+)"', hub):
        assert client.get(href).status_code == 200, href
    assert "z-score per judge and criterion" in page and "zscore" not in page
    client.post("/logout")
    login(make_user(email="someone@example.org", roles=["organiser"]))
    assert client.get(f"/hackathons/{hackathon.id}/organise").status_code == 403


def test_judge_assignment_reports_done_and_skipped(client, login, organiser, make_user,
                                                   make_team, submission_data, hackathon):
    for i in range(2):
        make_user(email=f"j{i}@example.org", roles=["judge"], institution=f"Body {i}")
    login(organiser)
    path = f"/hackathons/{hackathon.id}/organise/assign-judges"
    client.post(path)
    page = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    assert "There are no submissions yet, so no judge was assigned." in page
    team, people = make_team(hackathon, size=2)
    services.save_submission(team, people[0], submission_data)
    db.session.commit()
    client.post(path)
    page = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    assert "2 judge assignments made." in page
    client.post(path)
    page = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    assert "0 judge assignments made." in page
    assert "1 submission already had all its judges and was left as it was." in page


def test_a_full_team_is_a_page_with_a_way_back_in_spanish(client, login, make_team,
                                                          make_participant, hackathon):
    team, _people = make_team(hackathon, size=3)  # the largest team allowed
    login(make_participant(hackathon))
    client.post("/language", data={"language": "es", "next": "/"})
    response = _join(client, hackathon, team.join_code.lower())
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert '<html lang="es"' in page
    assert "This team is full" not in page and "Crear un equipo" in page
    assert f'href="/hackathons/{hackathon.id}"' in page  # back to the hackathon


def test_submitting_without_a_team_leads_to_the_team_page(client, login, make_participant,
                                                          hackathon):
    login(make_participant(hackathon))
    response = client.get(f"/hackathons/{hackathon.id}/submission")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "create or join a team first" in page
    assert f'href="/hackathons/{hackathon.id}/team"' in page


def test_scrollable_tables_can_be_reached_by_keyboard(client, login, organiser, make_team,
                                                      hackathon):
    team, people = make_team(hackathon, size=2)
    pages = []
    login(people[0])
    pages.append(client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True))
    pages.append(client.get(f"/hackathons/{hackathon.id}").get_data(as_text=True))
    client.post("/logout")
    login(organiser)
    pages.append(client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True))
    for page in pages:
        wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
        assert wraps
        tables = page.count("<table")
        assert len(wraps) == tables
        for wrap in wraps:
            assert 'tabindex="0"' in wrap and 'role="region"' in wrap
            assert re.search(r'aria-label="[^"]+"', wrap)


def test_team_rows_stay_consistent_after_a_refused_removal(client, login, make_team, hackathon):
    team, (captain, _second) = make_team(hackathon, size=2)
    login(captain)
    # removing oneself is refused with a reason, and nothing is half-done
    response = client.post(
        f"/hackathons/{hackathon.id}/teams/{team.id}/members/{captain.id}/remove",
        data={"confirmed": "1"})
    assert response.status_code == 400
    assert "Leave team" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Team, team.id).member_count == 2


def test_weights_are_numbers_in_the_readers_language(client, hackathon):
    criterion = services.criteria_of(hackathon)[0]
    criterion.weight = 1.5
    db.session.commit()
    # One language per test: the test's app context keeps the first request's locale.
    spanish = client.get(f"/hackathons/{hackathon.id}",
                         headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in spanish
    assert "<td>1,5</td>" in spanish and "<td>1.5</td>" not in spanish


def test_messages_name_who_and_until_when(client, login, organiser, make_team, hackathon,
                                          shift):
    team, (captain, second) = make_team(hackathon, size=2)
    login(captain)
    client.post(f"/hackathons/{hackathon.id}/teams/{team.id}/members/{second.id}/captain")
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert f"{second.display_name} is now the team captain." in page
    client.post("/logout")
    shift(hackathon, submission_deadline=-0.01)
    login(organiser)
    client.post(f"/hackathons/{hackathon.id}/organise/extensions",
                data={"team_id": team.id, "deadline": "2099-01-01T12:00", "reason": "Power"})
    page = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    assert f"Team {team.name} may edit its submission until" in page
    assert "2099" in page and "(America/Caracas)" in page


def test_putting_oneself_on_the_looking_list_says_what_it_means(client, login,
                                                                make_participant, hackathon):
    login(make_participant(hackathon, looking_for_team=False))
    client.post(f"/hackathons/{hackathon.id}/looking-for-team", data={"looking": "1"})
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert "captains can see your discipline and skills" in page
    client.post(f"/hackathons/{hackathon.id}/looking-for-team", data={"looking": "0"})
    page = client.get(f"/hackathons/{hackathon.id}/team").get_data(as_text=True)
    assert "You are no longer on the list of people looking for a team." in page


def test_removal_after_submissions_close_is_refused_on_the_confirmation_page(
        client, login, make_team, hackathon, shift):
    team, (captain, second) = make_team(hackathon, size=2)
    shift(hackathon, submission_deadline=-0.01)
    login(captain)
    response = client.post(
        f"/hackathons/{hackathon.id}/teams/{team.id}/members/{second.id}/remove")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Submissions have closed" in page and 'name="confirmed"' not in page
    assert f'href="/hackathons/{hackathon.id}/team"' in page
