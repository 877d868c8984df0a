"""Answering an invitation from the email, in a browser, without logging in (issue 14 point 3):
Ana, who has the only online seat, opens "I cannot attend" from her confirmation email and
confirms on the page; Beto, first on the waiting list, receives "A seat is yours" and answers
"I will attend" from it. Axe and the sideways-scroll check run on every page."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from elearn.events import services
from elearn.events.models import EventMode, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.mail.services import deliver_committed
from tests.browser.journey_kit import Journey
from tests.browser.test_event_journey import wait_for_mail


def open_link_from_mail(j: Journey, message, answer: str) -> None:
    """The person clicks the link in their mail program: the browser opens it."""
    found = re.search(rf"https?://\S+?(/events/reply/\S+/{answer})", message.get_body(
        ("plain",)).get_content())
    assert found, message["Subject"]
    j.page.goto(j.base + found.group(1))
    j.arrived()


@pytest.mark.parametrize("language", ["en", "es"])
def test_declining_from_the_email_gives_the_seat_to_the_waiting_list(
        browser, live_server, mailbox, make_event, make_user, language):
    event = make_event(starts_at=datetime.now(UTC) + timedelta(days=10), mode=EventMode.VIRTUAL,
                       capacity_online=1, title_en="Port logistics workshop",
                       title_es="Taller de logística portuaria")
    ana = services.register(event, make_user(email="ana@example.org", full_name="Ana Pérez",
                                             preferred_language=language))
    beto = services.register(event, make_user(email="beto@example.org", full_name="Beto Ruiz",
                                              preferred_language=language))
    db.session.commit()
    deliver_committed()
    assert beto.status == RegistrationStatus.WAITLISTED

    j = Journey(browser, live_server, language=language, width=360)
    try:
        j.start()
        open_link_from_mail(j, wait_for_mail(mailbox, ana.user.email,
                                               j._("Registration confirmed: %(title)s")
                                               .split(":")[0]),
                            "decline")
        assert j.sees("Your seat will be released and given to the next person on the "
                      "waiting list.")
        j.click_button("I cannot attend: cancel my registration")
        assert j.sees("Your registration is cancelled")
        j.assert_clean()
    finally:
        j.close()

    k = Journey(browser, live_server, language=language, width=1280)
    try:
        k.start()
        open_link_from_mail(k, wait_for_mail(mailbox, beto.user.email,
                                               k._("A seat is yours: %(title)s").split(":")[0]),
                            "attend")
        k.click_button("I will attend")
        assert k.sees("Thank you: you will attend")
        k.click_link("Event page")
        k.assert_clean()
    finally:
        k.close()

    db.session.expire_all()
    assert db.session.get(Registration, ana.id).status == RegistrationStatus.CANCELLED
    beto = db.session.get(Registration, beto.id)
    assert beto.status == RegistrationStatus.CONFIRMED and beto.reply.value == "attending"
