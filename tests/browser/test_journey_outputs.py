"""Issue 17, materials and outputs, clicking only what is on the screen from `/`: an organiser
logs in, opens their event's dashboard, goes to its materials and outputs, uploads the minutes
(a real PDF), and sees them listed with their type and size; then an anonymous visitor finds
the minutes on the event's public page, type and size shown before the download, and
downloads them. In English and Spanish; every page passes axe and fits the screen."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from elearn.events.models import (
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
)
from elearn.extensions import db
from elearn.outputs.demo import small_pdf
from elearn.outputs.models import Output
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD

TITLE_EN, TITLE_ES = "Regional meeting on SME finance", "Reunión regional sobre financiamiento pyme"
MINUTES_EN, MINUTES_ES = "Minutes of the regional meeting", "Acta de la reunión regional"


@pytest.fixture(autouse=True)
def _output_files(app_config, tmp_path):
    app_config["OUTPUTS_DIR"] = str(tmp_path / "outputs")


def ended_meeting(organiser) -> Event:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    event = Event(kind=EventKind.MEETING, timezone="America/Caracas", mode=EventMode.VIRTUAL,
                  title_en=TITLE_EN, title_es=TITLE_ES, status=EventStatus.PUBLISHED,
                  starts_at=start, ends_at=start + timedelta(hours=2))
    event.sessions.append(EventSession(title_en="Day 1", title_es="Día 1", starts_at=start,
                                       ends_at=start + timedelta(hours=2)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    return event


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_organiser_publishes_minutes_and_a_visitor_reads_them(
        browser, live_server, app, make_user, tmp_path, language, width):
    olga = make_user(email="olga@example.org", roles=["organiser"], full_name="Olga Ortiz",
                     preferred_language=language)
    ended_meeting(olga)
    title = TITLE_ES if language == "es" else TITLE_EN
    minutes = MINUTES_ES if language == "es" else MINUTES_EN
    pdf = small_pdf("Acta", ["Conclusiones de la reunión regional."] * 20, pages=2)
    j = Journey(browser, live_server, language=language, width=width).start()
    try:
        j.log_in(olga.email, PASSWORD)
        j.click_link("Events")
        j.click_link("My events as organiser")
        j.click_link(title)
        j.click_link("Materials and outputs")
        j.select("Kind", "minutes")
        # One fieldset per language, the document's (Spanish) first and required.
        spanish = j.page.locator("fieldset.language-texts").first
        assert spanish.locator('input[name="title_es"]').count() == 1
        spanish.locator('input[name="title_es"]').fill(MINUTES_ES)
        j.page.locator('input[name="title_en"]').fill(MINUTES_EN)
        j.page.get_by_label(j._("File"), exact=True).set_input_files(
            files=[{"name": "acta.pdf", "mimeType": "application/pdf", "buffer": pdf}])
        j.fill("Date", (datetime.now(UTC) - timedelta(days=1)).date().isoformat())
        assert j.page.get_by_label(j._("Public"), exact=True).is_checked()
        j.click_button("Add")
        assert j.sees("The output is added.")
        facts = re.compile(r"PDF, [\d.,]+\s?KB")
        listed = j.page.locator("li.output", has_text=minutes)
        assert facts.search(listed.inner_text())
        j.log_out()

        j.click_link("Events")
        j.click_link(title)
        shown = j.page.locator("li.output", has_text=minutes)
        assert facts.search(shown.inner_text())
        with j.page.expect_download() as download:
            shown.get_by_role("link", name=minutes).click()
        saved = tmp_path / f"minutes-{language}.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes() == pdf
        output = db.session.scalar(select(Output))
        assert output.size_bytes == len(pdf) and output.title["es"] == MINUTES_ES
        j.assert_clean()
    finally:
        j.close()
