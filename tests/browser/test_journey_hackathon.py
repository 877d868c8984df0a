"""Issue 13's hackathon journey, clicking only what is on the screen from `/`: a participant
logs in, finds the hackathon, registers, creates a team and reads its join code; a colleague
logs in, registers and joins by typing the code in lower case; the captain submits the
project before the deadline and sees it saved. In English and Spanish, on a 1280 px and a
360 px screen, with axe and the sideways-scroll check on every page."""

import re
from datetime import timedelta

import pytest

from elearn.db_types import utcnow
from elearn.events.models import Event, EventKind, EventMode, EventOrganiser, EventStatus
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Submission
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD

TITLE = {"en": "Digital integration hackathon", "es": "Hackatón de integración digital"}


def set_up_hackathon(organiser):
    event = Event(kind=EventKind.HACKATHON, title_en=TITLE["en"], title_es=TITLE["es"],
                  timezone="America/Port_of_Spain", mode=EventMode.VIRTUAL,
                  status=EventStatus.PUBLISHED)
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    now = utcnow()
    hackathon = services.create_hackathon(
        event, organiser, team_size_min=2, team_size_max=3,
        registration_deadline=now + timedelta(days=5),
        submission_opens_at=now - timedelta(days=1),
        submission_deadline=now + timedelta(days=10),
        judging_opens_at=now + timedelta(days=11), judging_closes_at=now + timedelta(days=15),
        results_at=now + timedelta(days=16), rules_en="Original work only.",
        rules_es="Solo trabajo original.")
    services.save_challenge(hackathon, {"title_en": "Trade facilitation",
                                        "title_es": "Facilitación del comercio"}, organiser)
    services.add_criterion(hackathon, {"name_en": "Impact", "name_es": "Impacto", "weight": 2,
                                       "scale_min": 1, "scale_max": 10}, organiser)
    db.session.commit()
    return hackathon


def find_the_hackathon(j: Journey, language: str) -> None:
    j.click_link("Hackathon")
    j.click_link(TITLE[language])


def register(j: Journey, discipline: str) -> None:
    j.click_link("Register", within=j.page.locator("main"))
    j.fill("Your discipline (e.g. economics, software engineering)", discipline)
    j.check_box("a student at my institution")
    j.check_box("I have read and accept the rules and terms")
    # Nobody is put on the "looking for a team" list without ticking it themselves.
    assert not j.page.get_by_label(
        j._("I am looking for a team (captains may invite me)")).is_checked()
    j.click_button("Register", within=j.page.locator("main"))
    assert j.sees("You are registered for the hackathon. Now create or join a team."), j.text()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 1280), ("en", 360),
                                            ("es", 360)])
def test_team_forms_joins_by_code_in_lower_case_and_submits(browser, live_server, app,
                                                            make_user, language, width):
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos")
    kim = make_user(email="kim@uwi.example", full_name="Kim Lee", country="JM",
                    institution="University of the West Indies", preferred_language=language)
    ravi = make_user(email="ravi@uwi.example", full_name="Ravi Singh", country="TT",
                     institution="University of the West Indies", preferred_language=language)
    set_up_hackathon(olga)

    # Kim finds the hackathon from the home page, registers and creates the team.
    captain = Journey(browser, live_server, language=language, width=width).start()
    captain.log_in(kim.email, PASSWORD)
    find_the_hackathon(captain, language)
    register(captain, "Economics")
    captain.fill("Team name", "Caribbean Customs Coders")
    captain.click_button("Create team")
    assert captain.sees("Your team is created and you are its captain."), captain.text()
    code = captain.page.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code

    # Ravi joins by typing the code as people do: in lower case.
    mate = Journey(browser, live_server, language=language, width=width).start()
    mate.log_in(ravi.email, PASSWORD)
    find_the_hackathon(mate, language)
    register(mate, "Computer science")
    mate.fill("Join code", code.lower())
    mate.click_button("Join team")
    assert mate.sees(mate._("You joined team %(team)s.") % {
        "team": "Caribbean Customs Coders"}), mate.text()
    assert mate.sees("Ravi Singh") and mate.sees("Kim Lee")
    mate.assert_clean()
    mate.close()

    # Before the deadline, the captain submits the project and sees it saved.
    find_the_hackathon(captain, language)
    captain.click_link("Our submission")
    captain.fill("Project title", "Customs bridge")
    captain.fill("Summary", "A shared customs data hub for small island states.")
    captain.fill("Problem addressed", "Slow border crossings.")
    captain.check_box("We declare that this is our team's original work")
    captain.click_button("Save submission")
    assert captain.sees("Your submission is saved."), captain.text()
    captain.click_link("My team")
    captain.click_link("View our submission")
    assert captain.sees("Customs bridge")
    captain.assert_clean()
    captain.close()
    with app.app_context():
        saved = db.session.query(Submission).one()
        assert saved.title == "Customs bridge" and saved.submitted_at is not None


@pytest.mark.parametrize("language", ["en", "es"])
def test_captain_and_organiser_confirm_before_what_cannot_be_undone(browser, live_server, app,
                                                                    make_user, language):
    """At 360 px: the captain's tools and the organiser's hub, each irreversible step through
    the confirmation page, every page axe clean."""
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    make_user(email="judge@cepal.example", roles=["judge"], full_name="Judge Jones",
              institution="CEPAL", preferred_language=language)
    people = [make_user(email=f"s{i}@uwi.example", full_name=name, country="JM",
                        institution="University of the West Indies",
                        preferred_language=language)
              for i, name in enumerate(["Kim Lee", "Ravi Singh", "Maria Gómez"])]
    hackathon = set_up_hackathon(olga)
    for person, discipline in zip(people, ["Economics", "Law", "Design"], strict=True):
        services.register_participant(hackathon, person, discipline=discipline,
                                      declaration="student", accept_terms=True)
    team = services.create_team(hackathon, people[0], "Caribbean Customs Coders")
    for person in people[1:]:
        services.join_team(team, person)
    db.session.commit()
    old_code = team.join_code

    captain = Journey(browser, live_server, language=language, width=360).start()
    captain.log_in(people[0].email, PASSWORD)
    find_the_hackathon(captain, language)
    captain.click_link("My team")
    captain.click_button("Change the join code")
    assert captain.sees(captain._("The current code %(code)s stops working: anyone who has it "
                                  "but has not joined yet will need the new one.")
                        % {"code": f"{old_code[:4]}-{old_code[4:]}"}), captain.text()
    captain.click_button("Change the join code", within=captain.page.locator("main"))
    assert captain.sees("The join code was changed; the old code and earlier invitations no "
                        "longer work.")
    assert captain.page.locator(".join-code").inner_text().replace("-", "") != old_code
    captain.click_button(captain._("Remove from the team: %(name)s") % {"name": "Maria Gómez"})
    assert captain.sees(captain._("Remove %(name)s from team %(team)s?") % {
        "name": "Maria Gómez", "team": "Caribbean Customs Coders"})
    captain.click_button(captain._("Remove %(name)s") % {"name": "Maria Gómez"},
                         within=captain.page.locator("form.confirm"))
    assert captain.sees(captain._("%(name)s was removed from the team.") % {
        "name": "Maria Gómez"})
    captain.click_button("Lock the team")
    captain.click_button("Lock the team", within=captain.page.locator("form.confirm"))
    assert captain.sees("The team is locked: nobody else can join.")
    captain.assert_clean()
    captain.close()

    # Judging opens; the organiser assigns the judge from the hub, and cannot publish yet.
    set_dates(app, hackathon.id, people[0], submission_deadline=-3, judging_opens_at=-2,
              judging_closes_at=1, results_at=2)
    organiser = Journey(browser, live_server, language=language, width=360).start()
    organiser.log_in(olga.email, PASSWORD)
    find_the_hackathon(organiser, language)
    organiser.click_link("Organiser dashboard")
    hub = organiser.page.get_by_role("navigation", name=organiser._("Organiser tools"))
    for label in ("Set-up: dates, team rules and terms", "Judge assignment", "Certificates",
                  "Statistics of this hackathon", "The event's registrations"):
        assert hub.get_by_role("link", name=organiser._(label), exact=True).count() == 1, label
    organiser.click_button("Assign judges to submissions")
    assert organiser.sees(organiser._("%(num)s judge assignment made.") % {"num": 1})
    organiser.click_button("Publish results")
    assert organiser.sees("Results can be published on or after the results date.")
    assert organiser.page.locator("form.confirm").count() == 0  # refused: no way to do it
    organiser.click_link("Go back")

    # The judge finds the submission from the home page and scores it.
    judge = Journey(browser, live_server, language=language, width=360).start()
    judge.log_in("judge@cepal.example", PASSWORD)
    find_the_hackathon(judge, language)
    judge.click_link("Judging queue")
    judge.click_link("Customs bridge")
    judge.fill(judge._("Score from %(min)s to %(max)s") % {"min": 1, "max": 10}, "8")
    judge.fill("Comment for the team", "Clear value for island ports.")
    judge.click_button("Save scores")
    assert judge.sees("Your scores are saved.")
    judge.assert_clean()
    judge.close()

    # The results date comes: the organiser publishes after the confirmation.
    set_dates(app, hackathon.id, None, judging_closes_at=-0.5, results_at=-0.01)
    organiser.click_button("Publish results")
    assert organiser.sees(re.compile(re.escape(organiser._("This cannot be undone: scores and "
                                                           "criteria can no longer change."))))
    organiser.click_button("Publish results", within=organiser.page.locator("form.confirm"))
    assert organiser.sees("The results are published and the teams informed.")
    organiser.click_link("Set-up: dates, team rules and terms")
    find_the_hackathon(organiser, language)
    organiser.click_link("Results", within=organiser.page.locator("main"))
    assert organiser.sees("Customs bridge")
    organiser.click_link("Submissions gallery", within=organiser.page.locator("main"))
    organiser.assert_clean()
    organiser.close()


def set_dates(app, hackathon_id, submitter, **days):
    """Move the hackathon's clock (days from now); with `submitter`, their team submits first."""
    from elearn.hackathons.models import Hackathon

    with app.app_context():
        stored = db.session.get(Hackathon, hackathon_id)
        if submitter is not None:
            services.save_submission(services.team_of(stored, submitter), submitter, {
                "title": "Customs bridge", "summary": "A shared customs data hub.",
                "problem": "Slow border crossings.", "challenge_id": stored.challenges[0].id,
                "original_work": True})
        now = utcnow()
        for key, value in days.items():
            setattr(stored, key, now + timedelta(days=value))
        db.session.commit()
