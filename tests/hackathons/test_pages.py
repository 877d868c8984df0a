"""Pages: list, landing page, organiser setup/settings/dashboard (aggregate counts only),
judge queue access, and the demo loader."""

import random
from datetime import UTC, datetime

from sqlalchemy import func, select

from elearn.events.models import Event, EventKind, EventMode, EventOrganiser, EventStatus
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Criterion, Score, Submission
from elearn.hackathons.models import Hackathon, Team


def test_index_and_landing_page(client, hackathon):
    index = client.get("/hackathons/")
    assert index.status_code == 200
    assert "Digital solutions for regional integration" in index.get_data(as_text=True)
    page = client.get(f"/hackathons/{hackathon.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Trade facilitation" in text and "Impact" in text and "America/Caracas" in text
    assert len(page.data) < 60_000
    assert client.get("/hackathons/999999").status_code == 404


def test_draft_hackathon_is_hidden_from_the_public(client, hackathon):
    hackathon.event.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(f"/hackathons/{hackathon.id}").status_code == 404
    assert "regional integration" not in client.get("/hackathons/").get_data(as_text=True)


def test_landing_page_in_spanish(client, hackathon):
    client.post("/language", data={"language": "es", "next": "/"})
    text = client.get(f"/hackathons/{hackathon.id}",
                      headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Facilitación del comercio" in text


def test_organiser_sets_up_a_hackathon_for_an_event(client, login, organiser):
    event = Event(kind=EventKind.HACKATHON, title_en="Second hackathon", timezone="America/Lima",
                  language="en",
                  mode=EventMode.VIRTUAL, status=EventStatus.DRAFT)
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    login(organiser)
    response = client.post(f"/hackathons/events/{event.id}/setup")
    assert response.status_code == 302
    hackathon = db.session.scalar(select(Hackathon).where(Hackathon.event_id == event.id))
    assert hackathon is not None
    response = client.post(f"/hackathons/{hackathon.id}/organise/settings", data={
        "team_size_min": "2", "team_size_max": "4", "min_disciplines": "2",
        "registration_deadline": "2030-03-01T18:00", "submission_opens_at": "2030-03-02T09:00",
        "submission_deadline": "2030-03-05T23:59", "judging_opens_at": "2030-03-06T09:00",
        "judging_closes_at": "2030-03-10T18:00", "results_at": "2030-03-12T12:00",
        "judges_per_submission": "3", "normalisation": "zscore",
        "rules_en": "Be kind.", "rules_es": "Sea amable."})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    # Lima is UTC-5: the wall-clock time is stored in UTC
    assert hackathon.submission_deadline == datetime(2030, 3, 6, 4, 59, tzinfo=UTC)
    assert hackathon.min_disciplines == 2 and hackathon.rules["es"] == "Sea amable."
    form = client.get(f"/hackathons/{hackathon.id}/organise/settings").get_data(as_text=True)
    assert 'value="2030-03-05T23:59"' in form  # shown back in the hackathon's zone


def test_settings_with_dates_out_of_order_are_refused(client, login, organiser, hackathon):
    login(organiser)
    before = hackathon.submission_deadline
    response = client.post(f"/hackathons/{hackathon.id}/organise/settings", data={
        "team_size_min": "2", "team_size_max": "4", "min_disciplines": "0",
        "registration_deadline": "2030-03-10T18:00", "submission_deadline": "2030-03-05T23:59",
        "judges_per_submission": "3", "normalisation": "raw"})
    assert response.status_code == 400
    assert "dates must follow each other" in response.get_data(as_text=True)
    response = client.post(f"/hackathons/{hackathon.id}/organise/settings", data={
        "team_size_min": "5", "team_size_max": "3", "min_disciplines": "0",
        "judges_per_submission": "3", "normalisation": "raw"})
    assert response.status_code == 400
    db.session.expire_all()
    assert hackathon.submission_deadline == before and hackathon.team_size_max == 3


def test_only_organisers_of_the_event_manage(client, login, make_user, hackathon):
    other_organiser = make_user(email="other@example.org", roles=["organiser"])
    login(other_organiser)
    for path in ("organise", "organise/settings"):
        assert client.get(f"/hackathons/{hackathon.id}/{path}").status_code == 403
    assert client.post(f"/hackathons/{hackathon.id}/organise/publish").status_code == 403
    assert client.post(f"/hackathons/{hackathon.id}/organise/challenges",
                       data={"title_en": "Sneaky"}).status_code == 403
    assert len(hackathon.challenges) == 2


def test_organiser_adds_challenge_and_criterion(client, login, organiser, hackathon):
    login(organiser)
    assert client.post(f"/hackathons/{hackathon.id}/organise/challenges", data={
        "title_en": "Green logistics", "title_es": "Logística verde"}).status_code == 302
    assert client.post(f"/hackathons/{hackathon.id}/organise/criteria", data={
        "name_en": "Innovation", "weight": "2", "scale_min": "0", "scale_max": "5"}
    ).status_code == 302
    response = client.post(f"/hackathons/{hackathon.id}/organise/criteria", data={
        "name_en": "Broken", "weight": "2", "scale_min": "5", "scale_max": "5"})
    assert response.status_code == 400
    db.session.expire_all()
    assert [c.title["en"] for c in hackathon.challenges][-1] == "Green logistics"
    names = [c.name["en"] for c in db.session.scalars(select(Criterion))]
    assert "Innovation" in names and "Broken" not in names


def test_organiser_sees_hackathon_events_to_set_up(client, login, organiser):
    event = Event(kind=EventKind.HACKATHON, title_en="Caribbean hackathon",
                  timezone="America/Jamaica", mode=EventMode.VIRTUAL, status=EventStatus.DRAFT)
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    assert "Caribbean hackathon" not in client.get("/hackathons/").get_data(as_text=True)
    login(organiser)
    text = client.get("/hackathons/").get_data(as_text=True)
    assert "Caribbean hackathon" in text and f"/hackathons/events/{event.id}/setup" in text


def test_cli_assigns_judges_and_prints_ranking(app, hackathon, make_team, make_user,
                                               submission_data):
    team, (captain, _m) = make_team(hackathon, size=2)
    services.save_submission(team, captain, submission_data)
    make_user(email="judge@example.org", roles=["judge"], institution="Panel")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["elearn", "hackathon-assign-judges", str(hackathon.id)])
    assert result.exit_code == 0 and "1 assignments added" in result.output
    assert "Not enough judges" in result.output  # 2 judges wanted, 1 exists
    result = runner.invoke(args=["elearn", "hackathon-ranking", str(hackathon.id)])
    assert result.exit_code == 0 and "Customs bridge" in result.output
    result = runner.invoke(args=["elearn", "hackathon-ranking", "999"])
    assert result.exit_code != 0 and "No hackathon" in result.output


def test_judge_queue_needs_the_judge_role(client, login, make_participant, hackathon):
    login(make_participant(hackathon))
    assert client.get(f"/hackathons/{hackathon.id}/judging").status_code == 403


def test_demo_builds_the_pilot_hackathon(client, app):
    from elearn.accounts import demo as accounts_demo
    from elearn.hackathons import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(2026)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    db.session.commit()
    lines = demo.populate(rng)
    db.session.commit()
    assert "12 teams" in lines[0]
    hackathon = db.session.scalar(select(Hackathon))
    assert hackathon.results_published
    assert hackathon.event.activity is not None
    assert "hackathon" in hackathon.event.activity.title["en"].lower()
    assert db.session.scalar(select(func.count(Team.id))) == 12
    subs = list(db.session.scalars(select(Submission).order_by(Submission.final_rank)))
    assert len(subs) == 12 and [s.final_rank for s in subs] == list(range(1, 13))
    assert db.session.scalar(select(func.count(Score.id))) == 12 * 3 * 4
    for team in db.session.scalars(select(Team)):
        assert services.composition_problem(team) is None
    assert client.get(f"/hackathons/{hackathon.id}/results").status_code == 200
    assert client.get(f"/hackathons/{hackathon.id}/gallery").status_code == 200


def test_every_page_renders_for_each_kind_of_user(client, login, organiser, hackathon,
                                                  make_team, make_user, submission_data,
                                                  shift):
    team, (captain, member) = make_team(hackathon, size=2)
    submission = services.save_submission(team, captain, submission_data)
    judge = make_user(email="judge@example.org", roles=["judge"], institution="Panel")
    db.session.commit()
    services.assign_judges(hackathon)
    db.session.commit()
    base = f"/hackathons/{hackathon.id}"
    pages = {
        captain: ["", "/team", "/submission", "/looking", "/results",
                  f"/submissions/{submission.id}"],
        judge: ["/judging", f"/judging/{submission.id}", f"/submissions/{submission.id}"],
        organiser: ["/organise", "/organise/settings", "/gallery", "/looking",
                    f"/submissions/{submission.id}/scores"],
    }
    for user, paths in pages.items():
        login(user)
        for path in paths:
            response = client.get(base + path)
            assert response.status_code == 200, (user.email, path)
            assert len(response.data) < 60_000, path
        client.post("/logout")
    login(captain)
    submission_page = client.get(f"{base}/submission").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in submission_page
    assert "Customs bridge" in submission_page
