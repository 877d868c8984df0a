"""Issue 17's journey, clicking only what is on the screen from `/`, on the demo's data: the
programme manager uploads the minutes of a past meeting from its dashboard, marks the meeting's
activity delivered from the programme's progress page, generates the year's report in Spanish
and downloads the PDF and the Word document: the minutes are listed among the activity's
outputs and the activity reads "delivered". English and Spanish pages; axe on every page."""

import io
from datetime import UTC, datetime, timedelta

import docx
import pypdf
import pytest
from sqlalchemy import select

from elearn.events.models import Event, EventOrganiser, EventStatus
from elearn.extensions import db
from elearn.outputs.models import ActivityStatus, ActivityVerdict
from elearn.reports.period import FIRST_YEAR, LAST_YEAR
from tests.browser.journey_kit import Journey
from tests.browser.test_journey_outputs import small_pdf
from tests.browser.test_journey_report import MANAGER, PASSWORD, _download

MINUTES = {"en": "Minutes of the regional meeting", "es": "Acta de la reunión regional"}


@pytest.fixture
def demo(app):
    from elearn.demo import populate

    populate()


def past_meeting() -> Event:
    """A meeting of the demo that has ended, organised by the manager, tied to an activity."""
    from elearn.accounts.models import User

    manager = db.session.scalar(select(User).where(User.email == MANAGER))
    return db.session.scalar(
        select(Event).join(EventOrganiser).where(
            EventOrganiser.user_id == manager.id, Event.status != EventStatus.DRAFT,
            Event.activity_id.is_not(None), Event.ends_at < datetime.now(UTC),
            Event.ends_at > datetime(min(max(datetime.now(UTC).year, FIRST_YEAR), LAST_YEAR),
                                     1, 1, tzinfo=UTC))
        .order_by(Event.ends_at.desc()).limit(1))


@pytest.mark.parametrize("language,width", [("es", 1280), ("en", 360)])
def test_minutes_delivered_activity_and_the_report(browser, live_server, demo, language,
                                                   width):
    event = past_meeting()
    assert event is not None
    title = event.text("title", language)
    code = event.activity.path_code
    year = event.ends_at.year
    db.session.rollback()

    j = Journey(browser, live_server, language=language, width=width).start()
    try:
        j.log_in(MANAGER, PASSWORD)
        if j.page.locator("html").get_attribute("lang") != language:
            switcher = j.page.locator("form.lang")  # the account's own language took over
            switcher.locator("select").select_option(language)
            switcher.get_by_role("button").click()
            j.arrived()
        # The minutes, from the meeting's dashboard.
        j.click_link("Events")
        j.click_link("My events as organiser")
        j.click_link(title, exact=False)
        j.click_link("Materials and outputs")
        j.select("Kind", "minutes")
        j.page.locator('input[name="title_en"]').fill(MINUTES["en"])
        j.page.locator('input[name="title_es"]').fill(MINUTES["es"])
        j.page.get_by_label(j._("File"), exact=True).set_input_files(files=[{
            "name": "acta.pdf", "mimeType": "application/pdf",
            "buffer": small_pdf("Acta", ["Conclusiones de la reunión."] * 10, pages=1)}])
        j.fill("Date", (datetime.now(UTC) - timedelta(days=1)).date().isoformat())
        j.click_button("Add")
        assert j.sees("The output is added.")

        # The activity delivered, from the programme's progress page.
        j.click_link("Work programme")
        j.click_link("Progress of the work programme: planned against delivered")
        j.page.get_by_role("link", name=f"{j._('Set the status')} {code}").click()
        j.arrived()
        j.page.get_by_label(j._("Delivered"), exact=True).check()
        j.click_button("Save the status")
        verdict = db.session.scalar(select(ActivityStatus.state).where(
            ActivityStatus.activity_id == event.activity_id))
        db.session.rollback()
        assert verdict == ActivityVerdict.DELIVERED

        # The report in Spanish, on the page and downloaded.
        j.click_link("Statistics")
        j.click_link("Annual report to member states")
        j.select("Period", str(year))
        j.select("Language of the report", "es")
        j.click_button("Generate the report")
        article = j.page.locator("article.annual-report")
        assert MINUTES["es"] in article.inner_text()
        pdf = pypdf.PdfReader(io.BytesIO(_download(j, "PDF", "pdf")))
        text = "\n".join(page.extract_text() for page in pdf.pages)
        assert MINUTES["es"] in text and code in text
        word = docx.Document(io.BytesIO(_download(j, "Word (editable)", "docx")))
        words = "\n".join(p.text for p in word.paragraphs)
        assert code in words
        j.assert_clean()
    finally:
        j.close()
