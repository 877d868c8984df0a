"""The visitor's journey of issue 13, clicking only what is on the screen from `/`: sign up,
confirm the address by the link shown on screen (development without a mail server), log in,
find a hybrid event, register (in person or online), open "My elearn", the ticket, back, and
the calendar feed. In English and Spanish, on a 1280 px and a 360 px screen; axe and the
sideways-scroll check on every page."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.events.models import EventMode
from tests.browser.journey_kit import Journey

PASSWORD = "mango river lantern 42"
TITLE_EN, TITLE_ES = "Hybrid meeting on SME export policy", "Reunión híbrida sobre exportación"


@pytest.fixture
def app_config(app_config):
    # No mail server: the confirmation link is shown on the page (development behaviour).
    return dict(app_config, MAIL_SERVER=None)


@pytest.fixture
def hybrid_event(make_event, make_user):
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=12)
    return make_event(make_user(roles=["organiser"]), starts_at=starts, minutes=180,
                      sessions=2, mode=EventMode.HYBRID, title_en=TITLE_EN, title_es=TITLE_ES,
                      timezone="America/Bogota", capacity_in_person=30, capacity_online=100,
                      venue_name="SELA", venue_city="Caracas")


def confirm_on_screen(j: Journey, email: str) -> None:
    j.click_link("Confirm my email address")


def visitor_journey(j: Journey, email: str, mode: str, confirm=confirm_on_screen) -> None:
    title = TITLE_ES if j.language == "es" else TITLE_EN
    j.start()
    j.click_link("Sign up")
    j.fill("Email", email)
    j.fill("Full name, as it should appear on your certificates", "Lucía Fernández")
    j.fill("Password", PASSWORD, exact=True)
    j.fill("Repeat the password", PASSWORD)
    j.click_button("Sign up")
    confirm(j, email)
    j.log_in(email, PASSWORD)

    j.click_link("Events")
    j.click_link(title)
    j.check_box(mode, exact=True)
    j.click_button("Register")
    assert j.sees("You are registered. A confirmation is on its way.")

    j.click_link("My elearn")
    assert j.sees(title)
    assert j.sees("Upcoming sessions")
    j.click_link("Ticket")
    assert j.sees(title)
    assert j.page.get_by_role("img").count() == 1  # the QR code

    j.click_link("My elearn")
    j.click_link("Subscribe to your events in your own calendar")
    assert j.page.locator("h1").count() == 1
    j.assert_clean()


@pytest.mark.parametrize("language,width,mode", [
    ("en", 1280, "In person"), ("en", 360, "Online"),
    ("es", 1280, "Online"), ("es", 360, "In person"),
])
def test_visitor_signs_up_registers_and_finds_everything(browser, live_server, hybrid_event,
                                                         language, width, mode):
    j = Journey(browser, live_server, language=language, width=width)
    try:
        visitor_journey(j, f"lucia.{language}.{width}@example.org", mode)
    finally:
        j.close()
