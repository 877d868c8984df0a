"""The results pages and exports as their readers use them: who may open them, the files read
back (csv, the XLSX's own XML, pypdf), hostile addresses, and a query count that does not
grow with the number of responses."""

import csv
import io
import re
import zipfile

import pytest
from flask_babel import refresh
from pypdf import PdfReader
from sqlalchemy import event

from elearn.extensions import db

from .results_data import answer, crafted, make_survey


@pytest.fixture
def world(app, make_user, make_event):
    organiser = make_user(roles=["organiser"])
    event = make_event(organiser)
    survey = make_survey(event)
    invited = [make_user() for _ in range(40)]
    crafted(survey, invited)
    return {"survey": survey.id, "organiser": organiser, "invited": invited,
            "other_organiser": make_user(roles=["organiser"]),
            "manager": make_user(roles=["programme_manager"]),
            "participant": make_user(), "admin": make_user(roles=["admin"])}


@pytest.mark.parametrize("who,status", [("organiser", 200), ("manager", 200), ("admin", 200),
                                        ("other_organiser", 403), ("participant", 403)])
def test_who_reads_the_results(client, login, world, who, status):
    login(world[who])
    for path in ("", ".csv", ".xlsx", ".pdf", "/answers/improve"):
        response = client.get(f"/surveys/{world['survey']}/results{path}")
        assert response.status_code == status, path


def test_anonymous_people_are_sent_to_log_in(client, world):
    response = client.get(f"/surveys/{world['survey']}/results")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_page_shows_figures_charts_and_tables_without_names(client, login, world):
    login(world["organiser"])
    page = client.get(f"/surveys/{world['survey']}/results?by=gender").get_data(as_text=True)
    assert "32 of 40 people invited answered" in page and "80%" in page
    assert page.count('<svg class="chart"') == 3  # one per closed question
    assert "Mean: 3.1; median: 3" in page
    assert "Other groups or not stated" in page and "Non-binary" not in page
    assert "More time for question 0" in page
    assert not any(person.full_name in page for person in world["invited"])  # no names
    mode = client.get(f"/surveys/{world['survey']}/results?by=mode").get_data(as_text=True)
    assert "In person" in mode and "Online" in mode
    country = client.get(f"/surveys/{world['survey']}/results?by=country").get_data(
        as_text=True)
    assert "some groups are too small" in country


def test_spanish_page(client, login, world):
    login(world["organiser"])
    client.post("/language", data={"language": "es", "next": "/"})
    page = client.get(f"/surveys/{world['survey']}/results").get_data(as_text=True)
    assert "Satisfacción general" in page and "Finanzas" in page


@pytest.mark.parametrize("path,status", [
    ("/results?by=password", 400), ("/results?by=" + "x" * 5000, 400),
    ("/results/answers/improve?page=abc", 400), ("/results/answers/improve?page=0", 400),
    ("/results/answers/improve?page=%EF%BC%91", 400), ("/results/answers/nothere", 404),
    ("/results/answers/satisfaction", 404),
])
def test_hostile_addresses(client, login, world, path, status):
    login(world["organiser"])
    assert client.get(f"/surveys/{world['survey']}{path}").status_code == status


def test_huge_and_missing_ids(client, login, world):
    login(world["organiser"])
    assert client.get("/surveys/99999999999999999999/results").status_code == 404
    assert client.get("/surveys/2147483647/results.csv").status_code == 404


def test_all_answers_a_page_at_a_time(client, login, world, app):
    from elearn.surveys.models import Survey

    survey = db.session.get(Survey, world["survey"])
    for n in range(60):
        answer(survey, survey.form.current_version, {"improve": f"Extra answer {n:02d}"},
               gender="woman")
    db.session.commit()
    login(world["organiser"])
    first = client.get(f"/surveys/{survey.id}/results/answers/improve").get_data(as_text=True)
    second = client.get(f"/surveys/{survey.id}/results/answers/improve?page=2").get_data(
        as_text=True)
    assert first.count("<li>") - first.count("<li><a") >= 50
    assert "More answers" in first and "Previous answers" in second
    shown = {line for line in (first + second).split("<li>") if "answer" in line.lower()}
    assert len(shown) >= 60


def test_exports_read_back(client, login, world):
    login(world["organiser"])
    base = f"/surveys/{world['survey']}/results"
    rows = list(csv.reader(io.StringIO(client.get(base + ".csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    flat = [cell for row in rows for cell in row]
    assert ["1 – Very poor", "6", "18.8%"] in rows
    assert ["Yes", "24", "75.0%"] in rows
    assert "Mean: 3.1; median: 3 (scale of 1 to 5)." in flat
    assert any(cell.startswith("Most useful topics — Gender") for cell in flat)
    assert "More time for question 0" not in flat  # aggregates only
    assert "x" in flat and any("Not broken down" in cell for cell in flat)

    strings, numbers, sheets = _xlsx(client.get(base + ".xlsx").data)
    assert "Overall satisfaction" in strings and "x" in strings and "24" in numbers
    assert {"Answers", "Gender", "Mode of participation"} <= set(sheets)

    pdf = client.get(base + ".pdf")
    assert pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Overall satisfaction" in text and "Response rate: 80.0%" in text
    assert "x: hidden to protect" in text

    client.post("/language", data={"language": "es", "next": "/"})
    refresh()  # the test shares one app context, where Flask-Babel caches the locale
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(base + ".pdf").data)).pages)
    assert "Satisfacción general" in text


def _xlsx(data: bytes):
    """(text cells, number cells, sheet names) of a workbook, from its XML (the app writes
    XLSX with xlsxwriter, which cannot read; the parts are plain XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
        workbook = book.read("xl/workbook.xml").decode()
        cells = "".join(book.read(n).decode() for n in book.namelist()
                        if n.startswith("xl/worksheets/sheet"))
    unescape = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
    strings = [re.sub("&[a-z]+;", lambda m: unescape.get(m.group(0), m.group(0)), t)
               for t in re.findall(r"<t[^>]*>([^<]*)</t>", shared)]
    numbers = re.findall(r'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?><v>([0-9.]+)</v>', cells)
    return strings, numbers, re.findall(r'<sheet name="([^"]+)"', workbook)


def _count_statements(app, client, path) -> int:
    found = []
    listener = lambda *args: found.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(found)


def test_statements_do_not_grow_with_responses(app, client, login, world):
    from elearn.surveys.models import Survey

    login(world["organiser"])
    path = f"/surveys/{world['survey']}/results?by=mode"
    before = _count_statements(app, client, path)
    survey = db.session.get(Survey, world["survey"])
    for n in range(64):
        answer(survey, survey.form.current_version,
               {"satisfaction": 1 + n % 5, "recommend": "yes", "topics": ["export"],
                "improve": f"Later {n}", "hours": n},
               gender=["woman", "man"][n % 2], country=["VE", "JM"][n % 2],
               mode=["online", "in_person"][n % 2])
    db.session.commit()
    assert _count_statements(app, client, path) == before
    assert before <= 25
