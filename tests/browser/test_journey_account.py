"""Issue 13, the visitor's way in: from `/` to an event, "Sign up" from that page, confirm the
address by the link shown on screen (development without a mail server), log in and land back
on the event. And the admin who confirms, from the Users page, the address of someone whose
mail never arrived. Only what is on the screen is clicked."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.accounts.models import user_by_email
from elearn.audit.models import AuditRecord
from elearn.extensions import db
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD

NEW_PASSWORD = "Caracas-2026-diploma"


@pytest.fixture
def app_config(app_config):
    # No SMTP server: the confirmation link can only be shown on screen.
    return dict(app_config, MAIL_SERVER=None, BASE_URL="")


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 1280), ("en", 360),
                                            ("es", 360)])
def test_visitor_signs_up_from_an_event_and_lands_back_on_it(browser, live_server, make_event,
                                                             language, width):
    event = make_event(starts_at=datetime.now(UTC) + timedelta(days=10),
                       title_en="Hybrid meeting on women-led SMEs",
                       title_es="Reunión híbrida sobre pymes de mujeres")
    title = event.title["es"] if language == "es" else event.title["en"]
    email = f"visitor-{language}-{width}@example.org"

    j = Journey(browser, live_server, language=language, width=width).start()
    j.click_link("Events")
    j.click_link(title)
    event_url = j.page.url
    j.click_link("Sign up")
    j.fill("Email", email)
    j.fill("Full name, as it should appear on your certificates", "Ana Pérez Núñez")
    j.page.locator("input[name=password]").fill(NEW_PASSWORD)
    j.page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    j.click_button("Sign up")
    assert j.sees("Mail is not configured on this server.")
    j.click_link("Confirm my email address")
    j.fill("Email", email)
    j.fill("Password", NEW_PASSWORD, exact=True)
    j.click_button("Log in")
    assert j.page.url == event_url
    assert j.page.get_by_role("button", name=j._("Log out")).count() == 1
    db.session.expire_all()
    assert user_by_email(email).email_confirmed_at is not None
    j.assert_clean()
    j.close()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_admin_confirms_an_address_from_the_users_page(browser, live_server, make_user,
                                                       language, width):
    admin = make_user(email="admin@sela.example", roles=["admin"], full_name="Adela Admin",
                      preferred_language=language)
    waiting = make_user(email="waiting@example.org", full_name="Walter Waiting",
                        confirmed=False)

    j = Journey(browser, live_server, language=language, width=width).start()
    j.log_in(admin.email, PASSWORD)
    j.click_link("Users")
    row = j.page.get_by_role("row").filter(has_text="waiting@example.org")
    j.click_button("Confirm the email address", within=row)
    assert j.sees(j._("The email address of %(name)s is confirmed.") % {
        "name": waiting.display_name})
    db.session.expire_all()
    assert db.session.get(type(waiting), waiting.id).email_confirmed_at is not None
    assert db.session.query(AuditRecord).filter_by(
        action="accounts.email_confirmed_by_admin", actor_id=admin.id).count() == 1
    j.assert_clean()
    j.close()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_own_account_pages_and_admin_pages_fit_and_pass_axe(browser, live_server, make_user,
                                                            language, width):
    admin = make_user(email="admin@sela.example", roles=["admin"], full_name="Adela Admin",
                      preferred_language=language)
    j = Journey(browser, live_server, language=language, width=width).start()
    j.log_in(admin.email, PASSWORD)
    j.click_link("My profile")
    j.click_link("Edit my profile")
    j.select("Time zone", "America/Bogota")
    j.click_button("Save")
    assert j.sees("Bogotá")
    j.click_link("Change my password")
    j.click_link("My profile")
    j.click_link("Change my email address")
    j.click_link("My profile")
    j.click_link("Erase my account")
    j.click_link("Users")
    j.click_link("Edit the member states")
    j.assert_clean()
    j.close()
