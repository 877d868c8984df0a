"""The hackathon in a real browser: a student registers, creates a team, two colleagues join
with its code, the team submits and edits before the deadline and is refused after it, a judge
scores inside the judging window, the organiser publishes the results, and the team reads its
rank and the judges' comments."""

import re
from datetime import timedelta

from elearn.db_types import utcnow
from elearn.events.models import Event, EventKind, EventMode, EventOrganiser, EventStatus
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Submission
from elearn.hackathons.models import Hackathon
from tests.conftest import PASSWORD


def logged_in(browser, base, user):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    return page


def set_up_hackathon(organiser) -> Hackathon:
    event = Event(kind=EventKind.HACKATHON, title_en="Digital integration hackathon",
                  title_es="Hackatón de integración digital", timezone="America/Caracas",
                  mode=EventMode.VIRTUAL, status=EventStatus.PUBLISHED, language="en")
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    now = utcnow()
    hackathon = services.create_hackathon(
        event, organiser, team_size_min=2, team_size_max=3, judges_per_submission=1,
        registration_deadline=now + timedelta(days=5),
        submission_opens_at=now - timedelta(days=1),
        submission_deadline=now + timedelta(days=10),
        judging_opens_at=now + timedelta(days=11), judging_closes_at=now + timedelta(days=15),
        results_at=now + timedelta(days=16), rules_en="Original work only.")
    services.save_challenge(hackathon, {"title_en": "Trade facilitation"}, organiser)
    services.add_criterion(hackathon, {"name_en": "Impact", "weight": 2, "scale_min": 1,
                                       "scale_max": 10}, organiser)
    db.session.commit()
    return hackathon


def register(page, base, hackathon_id, discipline):
    page.goto(f"{base}/hackathons/{hackathon_id}/register")
    page.get_by_label("Your discipline").fill(discipline)
    page.get_by_label("a student at my institution").check()
    page.get_by_label("I have read and accept the rules and terms").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    assert "/register" not in page.url, page.locator("main").inner_text()


def test_team_submits_is_judged_and_reads_its_rank(page, browser, live_server, app,
                                                   make_user, mailbox):
    base = live_server.url
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos")
    judge = make_user(email="judge@cepal.example", roles=["judge"], full_name="Judge Jones",
                      institution="CEPAL")
    people = [make_user(email=f"s{i}@uwi.example", full_name=name, country="JM",
                        institution="University of the West Indies")
              for i, name in enumerate(["Kim Lee", "Ravi Singh", "Maria Gómez"])]
    hackathon = set_up_hackathon(olga)
    hid = hackathon.id

    # Kim registers and creates the team; the two colleagues join with its code.
    kim = logged_in(browser, base, people[0])
    register(kim, base, hid, "Economics")
    kim.goto(f"{base}/hackathons/{hid}/team")
    kim.get_by_label("Team name").fill("Caribbean Customs Coders")
    kim.get_by_role("button", name="Create team").click()
    kim.wait_for_load_state()
    code = re.search(r"Join code: (\S+)", kim.locator("main").inner_text()).group(1)
    for person, discipline in zip(people[1:], ["Computer science", "Law"], strict=True):
        mate = logged_in(browser, base, person)
        register(mate, base, hid, discipline)
        mate.goto(f"{base}/hackathons/{hid}/team")
        mate.get_by_label("Join code").fill(code)
        mate.get_by_role("button", name="Join team").click()
        mate.wait_for_load_state()
        assert "Caribbean Customs Coders" in mate.locator("main").inner_text()
        mate.context.close()
    with app.app_context():
        team = services.team_of(db.session.get(Hackathon, hid), people[2])
        assert team is not None and len(team.members) == 3

    # The team submits, then edits before the deadline.
    kim.goto(f"{base}/hackathons/{hid}/submission")
    kim.get_by_label("Project title").fill("Customs bridge")
    kim.get_by_label("Summary").fill("A shared customs data hub for small island states.")
    kim.get_by_label("Problem addressed").fill("Slow border crossings.")
    kim.get_by_label("We declare that this is our team's original work").check()
    kim.get_by_role("button", name="Save submission").click()
    kim.wait_for_load_state()
    assert "Your submission is saved." in kim.locator("main").inner_text()
    kim.get_by_label("Project title").fill("Customs bridge 2.0")
    kim.get_by_role("button", name="Save submission").click()
    kim.wait_for_load_state()
    assert "Your submission is saved." in kim.locator("main").inner_text()
    with app.app_context():
        assert db.session.query(Submission).one().title == "Customs bridge 2.0"

    # The deadline passes: the next edit is refused and nothing changes.
    with app.app_context():
        stored = db.session.get(Hackathon, hid)
        stored.submission_deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    kim.goto(f"{base}/hackathons/{hid}/submission")
    kim.get_by_label("Project title").fill("Customs bridge 3.0 (late)")
    kim.get_by_role("button", name="Save submission").click()
    kim.wait_for_load_state()
    assert "Your submission is saved." not in kim.locator("main").inner_text()
    assert kim.locator(".flash.error").count() >= 1
    with app.app_context():
        assert db.session.query(Submission).one().title == "Customs bridge 2.0"

    # Judging opens; the organiser assigns the judge from the dashboard.
    with app.app_context():
        stored = db.session.get(Hackathon, hid)
        now = utcnow()
        stored.judging_opens_at = now - timedelta(seconds=30)
        stored.judging_closes_at = now + timedelta(days=2)
        stored.results_at = now + timedelta(days=3)
        db.session.commit()
    page.goto(base + "/login")
    page.get_by_label("Email").fill(olga.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    page.goto(f"{base}/hackathons/{hid}/organise")
    assert page.get_by_role("link", name="Certificates").get_attribute("href") == \
        f"/certificates/manage/hackathon/{hid}"
    page.get_by_role("button", name=re.compile("assign", re.I)).click()
    page.wait_for_load_state()
    assert "1 judge assignment made." in page.locator("main").inner_text()

    # Figures about who takes part are on the statistics page, not on the dashboard.
    assert "Participants by gender" not in page.locator("main").inner_text()
    page.get_by_role("link", name=re.compile("Statistics of the participants")).click()
    page.wait_for_url(re.compile(rf"/stats/hackathon/{hid}$"))
    main = page.locator("main").inner_text()
    assert "Participants in a team" in main and "Fewer people than can be published" in main
    page.get_by_role("link", name="Back to the organiser dashboard").click()
    page.wait_for_url(re.compile(rf"/hackathons/{hid}/organise$"))

    judging = logged_in(browser, base, judge)
    judging.goto(f"{base}/hackathons/{hid}/judging")
    judging.get_by_role("link", name=re.compile("Customs bridge 2.0")).click()
    judging.get_by_label("Score from 1 to 10").fill("8")
    judging.get_by_label("Comment for the team").fill("Clear value for island ports.")
    judging.get_by_role("button", name="Save scores").click()
    judging.wait_for_url(re.compile(rf"/hackathons/{hid}/judging$"))
    assert "Your scores are saved." in judging.locator("main").inner_text()
    judging.context.close()

    # The results date arrives; the organiser publishes.
    with app.app_context():
        stored = db.session.get(Hackathon, hid)
        stored.judging_closes_at = utcnow() - timedelta(seconds=20)
        stored.results_at = utcnow() - timedelta(seconds=10)
        db.session.commit()
    page.goto(f"{base}/hackathons/{hid}/organise")
    page.get_by_role("button", name=re.compile("publish", re.I)).click()
    page.wait_for_load_state()
    assert "told by email" in page.locator("main").inner_text()  # the confirmation page
    page.get_by_role("button", name="Publish results").click()
    page.wait_for_load_state()
    assert "The results are published" in page.locator("main").inner_text()

    # The team sees its rank and the judge's comment.
    kim.goto(f"{base}/hackathons/{hid}/team")
    kim.get_by_role("link", name="Our scores and the judges' comments").click()
    text = kim.locator("main").inner_text()
    assert "rank 1" in text
    assert "Clear value for island ports." in text
    assert "8 / 10" in text
    kim.goto(f"{base}/hackathons/{hid}/results")
    assert "Caribbean Customs Coders" in kim.locator("main").inner_text()
    kim.context.close()
