"""The report's pages and downloads: who may open them, hostile periods and languages, and the
files read back (PDF with pypdf, Word with python-docx, the annex as CSV and XLSX)."""

import csv
import io
import re
import zipfile

import docx
import pypdf
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from elearn.extensions import db
from elearn.programme.models import Sdg
from elearn.reports.documents import ReportError, build_annex, build_report_pdf

from .conftest import AREA_ES


def _pdf_text(data: bytes) -> tuple[str, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    return reader.metadata.title, pages


@pytest.mark.parametrize("who", ["participant", "organiser"])
def test_only_programme_managers_and_admins_open_the_report(client, login, world, who):
    login(world[who])
    for url in ("/reports/", "/reports/2025", "/reports/2025/report.pdf",
                "/reports/2025/report.docx", "/reports/2025/annex.csv"):
        assert client.get(url).status_code == 403, url


def test_anonymous_people_are_asked_to_log_in(client, world):
    response = client.get("/reports/2025")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("period", ["0", "99999", "2021", "2027", "text", "2025x", "-1",
                                    "２０２５", "2025%0A", "1" * 300])
def test_hostile_periods_are_not_found(client, login, world, period):
    login(world["manager"])
    for suffix in ("", "/report.pdf", "/report.docx", "/annex.csv"):
        assert client.get(f"/reports/{period}{suffix}").status_code == 404, (period, suffix)


def test_hostile_languages_formats_and_choices_are_refused(client, login, world):
    login(world["manager"])
    assert client.get("/reports/2025?lang=xx").status_code == 400
    assert client.get("/reports/2025/report.pdf?lang=es%0D%0A").status_code == 400
    assert client.get("/reports/2025/annex.exe").status_code == 404
    assert client.get("/reports/generate?period=99999&lang=es").status_code == 400
    assert client.get("/reports/generate?period=2025&lang=zz").status_code == 400
    response = client.get("/reports/generate?period=2025&lang=es")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/reports/2025?lang=es")


def test_builders_refuse_what_does_not_exist(app, world):
    for year, lang in ((0, "es"), (99999, "es"), ("2025", "es"), (True, "es"), (2025, "de")):
        with pytest.raises(ReportError):
            build_report_pdf(year, lang)
    with pytest.raises(ReportError):
        build_annex(2025, "exe")


def test_the_page_shows_the_figures_in_spanish_with_what_they_count(client, login, world):
    login(world["manager"])
    page = client.get("/reports/2025?lang=es").get_data(as_text=True)
    assert AREA_ES in page and "Diplomado de gestión 1" in page
    assert "Taller de políticas con enfoque de género" in page
    assert 'href="https://example.org/acta"' in page and "Acta de la reunión" in page
    assert "Igualdad de género" in page
    assert 'lang="es"' in page
    # The notes say what the figures count.
    with force_locale("es"):
        assert _("What the figures count") in page
    # Gender never beside a name: the report has no names of people at all.
    assert world["manager"].full_name not in page


def test_pdf_reads_back_with_title_headings_spanish_text_and_page_numbers(app, world):
    data = build_report_pdf(2025, "es")
    with app.test_request_context(), force_locale("es"):
        title, pages = _pdf_text(data)
        expected_title = _("Annual report %(year)s", year=2025)
        page_words = [_("Page %(num)s", num=n + 1) for n in range(len(pages))]
        contents = _("Contents")
    text = "\n".join(pages)
    assert title == expected_title and expected_title in pages[0]
    assert contents in pages[0]
    assert f"I. {AREA_ES}" in text and "I.III.A.1 Diplomado de gestión 1" in text
    assert "Taller de políticas con enfoque de género" in text
    for page, word in zip(pages, page_words, strict=True):
        assert word in page


def test_word_document_has_the_same_headings_as_the_pdf(client, login, world):
    login(world["manager"])
    response = client.get("/reports/2025/report.docx?lang=es")
    assert response.status_code == 200
    assert response.content_type.startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    document = docx.Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert f"I. {AREA_ES}" in headings and "I.III.A.1 Diplomado de gestión 1" in headings
    pdf = client.get("/reports/2025/report.pdf?lang=es")
    assert pdf.content_type == "application/pdf"
    _title, pages = _pdf_text(pdf.data)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    for heading in headings:
        assert heading in text, heading
    tables = [t for t in document.tables if t.rows[0].cells[0].text]
    assert tables, "the figures are in Word tables the Secretariat can edit"


def test_annex_reads_back_as_csv_and_xlsx(client, login, world):
    login(world["manager"])
    response = client.get("/reports/2022-2026/annex.csv?lang=en")
    assert response.content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], [r for r in rows[1:] if r and r[0].isdigit()]
    assert [r[4] for r in body] == ["I.III.A.1"] and body[0][0] == "2025"
    column = header.index("Participants who attended: Total")
    assert body[0][column] == "10"
    assert any("What these figures count" in " ".join(r) for r in rows)
    xlsx = client.get("/reports/2025/annex.xlsx")
    assert xlsx.content_type.startswith("application/vnd.openxmlformats-officedocument"
                                        ".spreadsheetml.sheet")
    with zipfile.ZipFile(io.BytesIO(xlsx.data)) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "I.III.A.1" in shared and "Participants who attended: Total" in shared
    assert "<v>10</v>" in sheet


def test_the_report_in_portuguese_and_french_uses_their_programme_titles(client, login, world):
    activity = world["activity"]
    area = activity.project.programme.area
    activity.title["pt"], activity.title["fr"] = "Diploma de gestão 1", "Diplôme de gestion 1"
    area.title = {**area.title, "pt": "Recuperação econômica", "fr": "Relance économique"}
    # Keep the row while changing its texts in place: a row nobody holds is forgotten by the
    # session at once, and the change with it.
    sdg = db.session.get(Sdg, 5)
    sdg.title["pt"] = "Igualdade de gênero"
    db.session.commit()

    login(world["manager"])
    page = client.get("/reports/2025?lang=pt").get_data(as_text=True)
    assert "Diploma de gestão 1" in page and "Recuperação econômica" in page
    assert "Igualdade de gênero" in page
    assert "Diplomado de gestión 1" not in page and AREA_ES not in page
    # Not written in Portuguese: the programme's Spanish ("Pymes"), not the English "SMEs".
    assert "Pymes" in page

    _title, pages = _pdf_text(build_report_pdf(2025, "fr"))
    text = "\n".join(pages)
    assert "I. Relance économique" in text and "I.III.A.1 Diplôme de gestion 1" in text
