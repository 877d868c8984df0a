"""The annual report in a real browser, with the demo's data (issue 17, point 3): a programme
manager starts at `/`, clicks Statistics, then the annual report, generates it in Spanish (or
English), reads it on the page and downloads the PDF and the Word document, which open with
pypdf and python-docx."""

import io

import docx
import pypdf
import pytest

from elearn.reports.period import FIRST_YEAR, LAST_YEAR
from tests.browser.journey_kit import Journey

MANAGER = "organiser@elearn.demo"
PASSWORD = "demo-password-2026"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@pytest.fixture
def demo(app):
    from elearn.demo import populate

    populate()


def _download(j: Journey, link: str, kind: str) -> bytes:
    """Click a download link; the response's content type and the file's bytes."""
    page = j.page
    with page.expect_response(lambda r: f"report.{kind}" in r.url) as response_info, \
            page.expect_download() as download_info:
        page.get_by_role("link", name=j._(link), exact=True).first.click()
    assert response_info.value.headers["content-type"].startswith(CONTENT_TYPES[kind])
    with open(download_info.value.path(), "rb") as saved:
        return saved.read()


@pytest.mark.parametrize("language,width", [("es", 1280), ("en", 360)])
def test_programme_manager_generates_and_downloads_the_report(browser, live_server, demo,
                                                              language, width):
    from datetime import date

    year = min(max(date.today().year, FIRST_YEAR), LAST_YEAR)
    j = Journey(browser, live_server, language=language, width=width).start()
    j.log_in(MANAGER, PASSWORD)
    if j.page.locator("html").get_attribute("lang") != language:
        switcher = j.page.locator("form.lang")  # the account's own language took over
        switcher.locator("select").select_option(language)
        switcher.get_by_role("button").click()
        j.arrived()
    j.click_link("Statistics")
    j.click_link("Annual report to member states")
    j.select("Period", str(year))
    j.select("Language of the report", "es")  # the report in Spanish, whatever the page's
    j.click_button("Generate the report")
    report_title = j.page.locator("article.annual-report h1").inner_text()
    assert str(year) in report_title
    article = j.page.locator("article.annual-report")
    assert article.get_attribute("lang") == "es"
    assert "Resumen" in article.inner_text() or "Summary" in article.inner_text()
    pdf = pypdf.PdfReader(io.BytesIO(_download(j, "PDF", "pdf")))
    first_page = pdf.pages[0].extract_text()
    assert report_title in first_page and pdf.metadata.title == report_title
    word = docx.Document(io.BytesIO(_download(j, "Word (editable)", "docx")))
    assert any(p.text == report_title for p in word.paragraphs)
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    j.assert_clean()
    j.close()
