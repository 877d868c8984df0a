import csv
import io

import pytest

from elearn.extensions import db


@pytest.fixture
def staff(make_user, population):
    """The organiser of the population's event, an organiser of another event, a programme
    manager, an admin and a participant."""
    event, _people = population
    return {"organiser": event.organisers[0].user,
            "other_organiser": make_user(roles=["organiser"]),
            "manager": make_user(roles=["programme_manager"]),
            "admin": make_user(roles=["admin"]), "participant": make_user()}


def test_dashboards_need_the_organiser_role(client, login, staff, population):
    event, _people = population
    login(staff["participant"])
    assert client.get("/stats/").status_code == 403
    assert client.get(f"/stats/event/{event.id}").status_code == 403


def test_event_organiser_sees_suppressed_admin_sees_all(client, login, staff, population):
    event, _people = population
    login(staff["organiser"])
    page = client.get(f"/stats/event/{event.id}?by=country").get_data(as_text=True)
    # Jamaica (2 people) and Mexico (1) are shown together, within "Other countries".
    assert "Other countries" in page and "Jamaica" not in page
    assert "x: hidden to protect privacy" in page and "shown within their sub-region" in page
    assert 'role="img"' in page and "<title id=" in page and "aria-labelledby" in page
    assert "<script" not in page and 'style="' not in page
    assert len(page.encode()) < 60_000
    login(staff["admin"])
    page = client.get(f"/stats/event/{event.id}?by=country").get_data(as_text=True)
    assert "x: hidden to protect privacy" not in page and "Jamaica" in page


@pytest.mark.parametrize("query,message", [
    ("year=1800", "year must be"), ("year=abc", "year must be"),
    ("programme=99999", "no programme"), ("kind=party", "Unknown kind"),
    ("mode=telepathy", "Mode must be"), ("country=XX", "Unknown country"),
    ("subregion=atlantis", "Unknown sub-region"), ("by=shoe_size", "Cannot break"),
])
def test_impossible_filters_are_400(client, login, staff, population, query, message):
    login(staff["manager"])
    r = client.get(f"/stats/?{query}")
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    r = client.get(f"/stats/all/0/export.xlsx?{query}")
    assert r.status_code == 400


def test_work_programme_by_year_and_programme_pages(client, login, staff, population,
                                                    activity):
    login(staff["admin"])
    page = client.get("/stats/?year=2025").get_data(as_text=True)
    assert "2025" in page and "Share of women per programme" in page and "SMEs" in page
    programme_id = activity.project.programme_id
    r = client.get(f"/stats/programme/{programme_id}?by=sdg")
    assert r.status_code == 200 and "Gender equality" in r.get_data(as_text=True)


def test_exports(client, login, staff, population):
    event, _people = population
    login(staff["organiser"])
    r = client.get(f"/stats/event/{event.id}/export.csv?table=registered-by-country&by=country",
                   follow_redirects=True)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    other = next(row for row in rows if row and row[0] == "Other countries")
    assert other[1] == "x"  # 2 women (of Jamaica): hidden in the export as on the page
    assert not any(row and row[0] in ("Jamaica", "Mexico") for row in rows)
    r = client.get(f"/stats/event/{event.id}/export.csv?table=nope")
    assert r.status_code == 400
    r = client.get(f"/stats/event/{event.id}/export.xlsx", follow_redirects=True)
    assert r.status_code == 200 and r.data[:2] == b"PK"
    r = client.get(f"/stats/event/{event.id}/summary.pdf", follow_redirects=True)
    assert r.status_code == 200 and r.data.startswith(b"%PDF")
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(r.data)).pages) == 1


def test_public_page_lists_only_opted_in_events(client, login, staff, population, make_event):
    event, _people = population
    other = make_event(title_en="Private meeting")
    assert client.get(f"/statistics/event/{event.id}").status_code == 404
    login(staff["participant"])
    assert client.post(f"/stats/event/{event.id}/public", data={"public": "1"}).status_code \
        == 403
    organiser = event.organisers[0].user
    login(organiser)
    assert client.post(f"/stats/event/{event.id}/public", data={"public": "1"}).status_code \
        == 302
    client.post("/logout")
    index = client.get("/statistics/").get_data(as_text=True)
    assert "Gender and SME policy workshop" in index and "Private meeting" not in index
    public = client.get(f"/statistics/event/{event.id}").get_data(as_text=True)
    assert "x: hidden to protect privacy" in public and "Caribbean" in public
    assert client.get(f"/statistics/event/{other.id}").status_code == 404
    db.session.refresh(event)
    assert event.public_statistics


def test_attendance_records_export_job_is_anonymous(app, tmp_path, population):
    import zipfile

    from elearn.jobs import enqueue

    path = tmp_path / "attendance.xlsx"
    written = enqueue("elearn.stats.exports.export_attendance_xlsx", str(path), None)
    assert written == 16  # 10 present, 1 absent, 5 on the panel
    with zipfile.ZipFile(path) as book:
        xml = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert "session_starts" in xml and "woman" in xml and "VE" in xml
    assert "@" not in xml and "Person" not in xml  # no emails, no names
