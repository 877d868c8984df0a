"""Issue 18.3, the organiser writes one message in two languages, clicking only what is on the
screen from `/`: log in, open her event from "My events as organiser", "Email registrants",
write the Spanish version (the event's main language) and the English one, send; a Spanish
and an English registrant each receive their version, and a Portuguese one the main (Spanish)
version. In English (1280 px) and Spanish (360 px); every page passes axe and fits."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.mail.services import deliver_committed
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD

TITLE_EN, TITLE_ES = "Caribbean trade policy seminar", "Seminario de política comercial"


def _event(organiser, people) -> Event:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=5)
    event = Event(kind=EventKind.WORKSHOP, timezone="America/Caracas", mode=EventMode.VIRTUAL,
                  title_en=TITLE_EN, title_es=TITLE_ES, language="es",
                  status=EventStatus.PUBLISHED, starts_at=start,
                  ends_at=start + timedelta(hours=2))
    event.sessions.append(EventSession(title_en="Day 1", title_es="Día 1", starts_at=start,
                                       ends_at=start + timedelta(hours=2)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    for person in people:
        db.session.add(Registration(event_id=event.id, user_id=person.id,
                                    mode=AttendanceMode.ONLINE,
                                    status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    return event


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_organiser_writes_a_spanish_and_an_english_version(browser, live_server, app,
                                                            make_user, mailbox, language,
                                                            width):
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    readers = {lang: make_user(email=f"{lang}@gov.example", full_name=f"Reader {lang}",
                               preferred_language=lang) for lang in ("es", "en", "pt")}
    _event(olga, readers.values())
    j = Journey(browser, live_server, language=language, width=width).start()
    _ = j._

    j.log_in(olga.email, PASSWORD)
    j.click_link("Events")
    j.click_link("My events as organiser")
    j.click_link(TITLE_ES if language == "es" else TITLE_EN)
    if not j.sees("Email registrants"):
        j.click_link("Organiser dashboard")
    j.click_link("Email registrants")
    spanish, english = j.page.locator("#message-es"), j.page.locator("#message-en")
    assert _("(main language: required)") in spanish.inner_text()
    spanish.get_by_label(_("Subject")).fill("Enlace de la sesión")
    spanish.get_by_label(_("Message")).fill("El enlace llegará el lunes.")
    english.get_by_label(_("Subject")).fill("Session link")
    english.get_by_label(_("Message")).fill("The link arrives on Monday.")
    j.click_button("Send")
    assert j.sees(_("Your message is on its way to %(n)s people.") % {"n": 3})
    j.click_link("Email registrants")
    assert j.sees("Enlace de la sesión") and j.sees("Messages sent")

    deliver_committed()
    expected = {"es": ("Enlace de la sesión", "El enlace llegará el lunes."),
                "en": ("Session link", "The link arrives on Monday."),
                "pt": ("Enlace de la sesión", "El enlace llegará el lunes.")}
    for lang, (subject, body) in expected.items():
        [message] = [m for m in mailbox.to(readers[lang].email)]
        assert message["Subject"] == subject
        assert body in mailbox.text_of(message)
    j.assert_clean()
    j.close()
