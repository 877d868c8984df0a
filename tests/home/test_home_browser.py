""""My elearn" and an activity page full of things, in a real browser from `/`: found by their
links, accessible (axe: WCAG 2.2 AA and best practice) and without sideways scrolling at
360 px, in English and Spanish."""

import pytest

from elearn.extensions import db
from elearn.programme.services import activity_by_path, load_programme
from tests.browser.conftest import browser, live_server  # noqa: F401 (fixtures)
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD


@pytest.mark.browser
@pytest.mark.parametrize("language,width", [("en", 360), ("es", 360), ("es", 1280)])
def test_a_full_home_and_activity_page_are_clean(browser, live_server, make_user, give,  # noqa: F811
                                                 language, width):
    load_programme()
    db.session.commit()
    person = make_user(email=f"full.{language}.{width}@example.org",
                       preferred_language=language, timezone="America/Argentina/Buenos_Aires")
    made = give(person, n=3)
    for key in ("hybrid", "online_event", "full"):
        made[key].activity_id = activity_by_path("II.I.A.3").id
    made["hackathon"].event.activity_id = activity_by_path("II.I.A.3").id
    db.session.commit()

    j = Journey(browser, live_server, language=language, width=width)
    try:
        j.start()
        j.log_in(person.email, PASSWORD)
        j.click_link("My elearn")
        assert j.sees("Team Caribe 3")
        assert j.sees("Upcoming sessions")
        j.click_link("Work programme")
        j.page.locator('a[href$="/programme/activities/II.I.A.3"]').first.click()
        j.arrived()
        assert j.sees("Events, courses and hackathon")
        assert j.sees("Hybrid workshop 3")
        j.assert_clean()
    finally:
        j.close()
