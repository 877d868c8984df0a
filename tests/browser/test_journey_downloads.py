"""Prepared downloads in a real browser (issue 15): an organiser clicks "Download CSV" on her
event's dashboard and gets the file (built inline in development, before the redirect); finds
it again under My elearn → My downloads; opens a download that failed, reads why with its
reference, and prepares it again. English and Spanish, 1280 and 360 px; every page passes axe
and fits."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.downloads.models import DownloadStatus, PreparedDownload
from elearn.events.models import AttendanceMode, Registration, RegistrationStatus
from elearn.extensions import db
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_an_organiser_exports_and_finds_her_downloads(browser, live_server, app, make_user,
                                                      make_event, language, width):
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    event = make_event(olga, title_en="Digital trade workshop", title_es="Taller de comercio",
                       starts_at=datetime.now(UTC) + timedelta(days=7))
    ana = make_user(email="ana@mincomercio.example", full_name="Ana Pérez")
    db.session.add(Registration(event_id=event.id, user_id=ana.id, mode=AttendanceMode.ONLINE,
                                status=RegistrationStatus.CONFIRMED))
    failed = PreparedDownload(
        owner_id=olga.id, kind="events.registrations", filename="event-old-registrations.csv",
        parameters={"event_id": event.id, "fmt": "csv", "filters": {}}, locale=language,
        status=DownloadStatus.FAILED, error="The mail server was down.",
        expires_at=datetime.now(UTC) + timedelta(hours=3))
    db.session.add(failed)
    db.session.commit()
    j = Journey(browser, live_server, language=language, width=width).start()

    j.log_in(olga.email, PASSWORD)
    j.click_link("Events")
    j.click_link("My events as organiser")
    j.click_link("Taller de comercio" if language == "es" else "Digital trade workshop")
    with j.page.expect_download() as caught:
        j.page.get_by_role("link", name=j._("Download CSV"), exact=True).first.click()
    download = caught.value
    assert download.suggested_filename == f"event-{event.id}-registrations.csv"
    assert "Ana Pérez" in open(download.path(), encoding="utf-8-sig").read()

    j.click_link("My elearn")
    j.click_link("My downloads")
    assert j.sees(f"event-{event.id}-registrations.csv") and j.sees("Ready")
    with j.page.expect_download() as again:
        j.click_link(f"event-{event.id}-registrations.csv")
    assert again.value.suggested_filename == f"event-{event.id}-registrations.csv"

    j.click_link("event-old-registrations.csv")
    assert j.sees("The file could not be prepared.") and j.sees("The mail server was down.")
    assert str(failed.id) in j.text()
    with j.page.expect_download() as fresh:
        j.page.get_by_role("button", name=j._("Prepare it again")).click()
    assert "Ana Pérez" in open(fresh.value.path(), encoding="utf-8-sig").read()
    j.click_link("My downloads")
    assert j.page.locator("tbody tr").count() == 3
    j.assert_clean()
    j.close()
