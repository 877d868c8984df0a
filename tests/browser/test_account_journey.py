"""A newcomer's first journey in a real browser: sign up, confirm the email from the link that
arrived over SMTP, log in, fill the profile, switch to Spanish and browse the programme."""

import re
from urllib.parse import urlsplit

from elearn.accounts.models import Gender, user_by_email
from elearn.programme.services import load_programme

EMAIL = "ana.perez@mincomercio.example"
PASSWORD = "Caracas-2026-diploma"


def test_sign_up_confirm_log_in_edit_profile_switch_language(page, live_server, mailbox, app):
    load_programme()
    from elearn.extensions import db

    db.session.commit()
    base = live_server.url

    page.goto(base + "/signup")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Full name, as it should appear on your certificates").fill("Ana Pérez Núñez")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=confirm]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign up|create", re.I)).click()
    # Sign-up answers the same for new and registered addresses: "check your email, log in".
    page.wait_for_url(re.compile(r"/login"))

    # The confirmation link arrived through the real SMTP server.
    body = mailbox.text_of(mailbox.last(EMAIL))
    link = re.search(r"https?://\S+/confirm/\S+", body).group(0)
    page.goto(base + urlsplit(link).path)
    assert "confirmed" in page.locator("main").inner_text().lower()

    page.goto(base + "/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))

    page.goto(base + "/profile/edit")
    page.get_by_label("Institution").fill("Ministerio de Comercio")
    page.locator("select[name=country]").select_option("VE")
    page.locator("select[name=sector]").select_option("government")
    page.locator("select[name=gender]").select_option("woman")
    page.get_by_label("I am a public official").check()
    page.get_by_role("button", name=re.compile("save", re.I)).click()
    page.wait_for_url(re.compile(r"/profile$"))

    with app.app_context():
        db.session.expire_all()
        user = user_by_email(EMAIL)
        assert user.email_confirmed_at is not None
        assert (user.country, user.institution, user.gender) == (
            "VE", "Ministerio de Comercio", Gender.WOMAN)
        assert user.is_public_official

    page.locator("#language-select").select_option("es")
    page.locator("form.lang button").click()
    page.goto(base + "/programme/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Diplomado" in page.locator("main").inner_text()
