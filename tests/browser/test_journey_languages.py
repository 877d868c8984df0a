"""Issue 18's journeys in the two languages beside English and Spanish, clicking only what is on
the screen from `/`:

(a) in Portuguese, a Brazilian public official applies to the diploma's regional edition;
(b) in French, a Haitian official registers for a hybrid meeting (online) and opens the
    calendar invite the confirmation brings: its texts are in French and it parses.

Every button and link is looked up in the Portuguese or French catalogue, so a missing
translation fails the journey; axe and the sideways-scroll check run on every page (360 px)."""

from datetime import UTC, datetime, timedelta

import icalendar

from elearn.events.models import EventMode
from elearn.extensions import db
from elearn.mail.services import deliver_committed
from tests.browser.journey_kit import Journey
from tests.browser.test_event_journey import calendar_part, wait_for_mail
from tests.browser.test_journey_courses import EDITION, _course_files, caribbean_edition
from tests.conftest import PASSWORD

__all__ = ["_course_files"]  # the course journeys' file folder fixture, used here too


def test_a_brazilian_official_applies_to_the_diploma_in_portuguese(
        browser, live_server, app, make_user):
    instructor = make_user(email="ana.teacher@sela.example", roles=["instructor"],
                           full_name="Ana Teacher")
    official = make_user(email="joana.silva@economia.gov.br", full_name="Joana Silva",
                         country="BR", is_public_official=True, preferred_language="pt")
    edition = caribbean_edition(instructor)
    edition.eligible_subregions = []  # the regional edition: every member state
    db.session.commit()

    j = Journey(browser, live_server, language="pt", width=360)
    j.start()
    assert j.page.locator("html").get_attribute("lang") == "pt"
    j.log_in(official.email, PASSWORD)
    j.click_link("Courses")
    # Content written in English and Spanish only: the reader gets English, marked "(em inglês)".
    assert j.sees("(in English)")
    j.click_link(EDITION["en"], exact=False)
    j.click_link("Apply")
    j.fill("Why do you want to take part, and how will you use what you learn?",
           "Para desenhar linhas de crédito para PMEs lideradas por mulheres.")
    j.click_button("Send my application")
    assert j.sees("Pending"), j.text()
    j.click_link("Courses")
    j.click_link("My courses")
    assert EDITION["en"] in j.text()
    j.assert_clean()
    j.close()


def test_a_haitian_official_registers_online_in_french_and_opens_the_invite(
        browser, live_server, mailbox, make_event, make_user):
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=12)
    title = "Hybrid meeting on exporting SMEs"
    make_event(make_user(roles=["organiser"]), starts_at=starts, minutes=180, sessions=2,
               mode=EventMode.HYBRID, title_en=title, title_es="Reunión híbrida sobre pymes",
               language="en",  # its main language: what a French reader is shown, noted
               timezone="America/Port-au-Prince", capacity_in_person=30, capacity_online=100,
               venue_name="SELA", venue_city="Caracas")
    official = make_user(email="jean.pierre@mef.gouv.ht", full_name="Jean Pierre",
                         country="HT", is_public_official=True, preferred_language="fr")

    j = Journey(browser, live_server, language="fr", width=360)
    j.start()
    j.log_in(official.email, PASSWORD)
    j.click_link("Events")
    j.click_link(title, exact=False)  # followed by "(en anglais)": the title is English
    j.check_box("Online", exact=True)
    j.click_button("Register")
    assert j.sees("You are registered. A confirmation is on its way."), j.text()

    deliver_committed()
    subject = j._("Registration confirmed: %(title)s") % {"title": title}
    message = wait_for_mail(mailbox, official.email, subject)
    invite = icalendar.Calendar.from_ical(calendar_part(message).get_payload(decode=True))
    assert invite["METHOD"] == "REQUEST"
    entries = list(invite.walk("VEVENT"))
    assert entries and all(title in str(e["SUMMARY"]) for e in entries)
    assert "TZID=America/Port-au-Prince" in invite.to_ical().decode()
    text = message.get_body(("plain",)).get_content()
    assert j._("Your registration is confirmed. The calendar invitation is attached.") in text
    assert "Bonjour Jean Pierre," in text
    j.click_link("My elearn")
    assert title in j.text()
    j.assert_clean()
    j.close()
