"""Hostile and mistaken input on the outputs' form: wrong kinds of file, too large, markup in
the file name, links that are not https or break lines. Always a 4xx with a message, nothing
written, never a 500."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from elearn import uploads
from elearn.extensions import db
from elearn.outputs.models import Output

from .conftest import PDF


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ODT = _zip({"mimetype": uploads.CONTENT_TYPES["odt"], "content.xml": "<office:document/>"})
ODP = _zip({"mimetype": uploads.CONTENT_TYPES["odp"], "content.xml": "<office:document/>"})
XLSX = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


@pytest.fixture
def organiser(world, login):
    login(world.people["organiser_a"])
    return world


def _post(client, world, **fields):
    data = {"attach_to": "", "kind": "minutes", "title_en": "Minutes", "title_es": "Acta",
            "language": "es", "published_on": "2026-03-01", "visibility": "public",
            "url": ""}
    data.update(fields)
    return client.post(f"/outputs/event/{world.event_a.id}", data=data,
                       content_type="multipart/form-data")


def _count() -> int:
    return db.session.scalar(select(func.count(Output.id)))


@pytest.mark.parametrize("data,name,kind", [
    (PDF, "acta.pdf", "application/pdf"),
    (ODT, "informe.odt", uploads.CONTENT_TYPES["odt"]),
    (ODP, "slides.odp", uploads.CONTENT_TYPES["odp"]),
    (XLSX, "datos.xlsx", uploads.CONTENT_TYPES["xlsx"]),
    ("país;mujeres;hombres\nVE;3;4\n".encode(), "datos.csv", "text/csv"),
    (b"\x89PNG\r\n\x1a\n....", "foto.png", "image/png"),
])
def test_accepted_kinds_are_recognised_by_content(client, organiser, data, name, kind):
    response = _post(client, organiser, file=(io.BytesIO(data), name))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(Output.content_type)) == kind


@pytest.mark.parametrize("data,name", [
    (b"MZ\x90\x00 an executable", "minutes.pdf"),
    (b"<html><script>alert(1)</script></html>", "minutes.csv"),
    (b"a,b\n<svg onload=alert(1)>,2\n", "data.csv"),
    (_zip({"readme.txt": "plain zip"}), "deck.pptx"),
    (_zip({"mimetype": "application/vnd.oasis.opendocument.graphics", "x": "y"}), "a.odg"),
    (b"PK\x03\x04 broken", "a.docx"),
    (b"", "empty.pdf"),
])
def test_wrong_kinds_are_refused(client, organiser, data, name):
    response = _post(client, organiser, file=(io.BytesIO(data), name))
    assert response.status_code == 400
    assert 'class="flash error"' in response.get_data(as_text=True)
    assert _count() == 0


def test_too_large_is_refused_with_the_limit(app, client, organiser, stored_keys):
    app.config["OUTPUTS_MAX_BYTES"] = 1000
    response = _post(client, organiser, file=(io.BytesIO(PDF + b"x" * 2000), "big.pdf"))
    assert response.status_code == 413
    assert "The file is too large: the limit is 0.0 MB." in response.get_data(as_text=True)
    assert _count() == 0 and stored_keys("outputs") == []


def test_markup_in_the_file_name_never_reaches_the_page(client, organiser):
    name = "<img src=x onerror=alert(1)>.pdf"
    assert _post(client, organiser, file=(io.BytesIO(PDF), name)).status_code == 302
    output = db.session.scalar(select(Output))
    assert "<" not in output.file_name and '"' not in output.file_name
    response = client.get(f"/outputs/{output.id}/file")
    assert "<" not in response.headers["Content-Disposition"]
    page = client.get(f"/outputs/event/{organiser.event_a.id}").get_data(as_text=True)
    assert "<img src=x" not in page


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", "http://example.org/report",
    "https://example.org/a\r\nSet-Cookie: x=1", "https://example.org/a b", "https://",
    "data:text/html,<script>alert(1)</script>", "//example.org/x",
    "https://" + "a" * 1100 + ".org",
])
def test_bad_links_are_refused(client, organiser, url):
    response = _post(client, organiser, kind="recording", url=url)
    assert response.status_code == 400
    assert _count() == 0


def test_a_good_link_is_kept(client, organiser):
    url = "https://video.example.org/watch?v=abc&t=10"
    response = _post(client, organiser, kind="recording", url=url)
    assert response.status_code == 302
    output = db.session.scalar(select(Output))
    assert output.url == url and output.stored_name is None
    assert client.get(f"/outputs/{output.id}/file").headers["Location"] == url


@pytest.mark.parametrize("fields,status", [
    ({"title_en": "", "title_es": ""}, 400),  # no title at all
    ({"title_en": "Minutes\r\nBcc: x@example.org"}, 400),
    ({"kind": "spell"}, 400), ({"language": "de"}, 400), ({"visibility": "secret"}, 400),
    ({"published_on": "0001-01-01"}, 400), ({"published_on": "yesterday"}, 400),
    ({"attach_to": "2147483647"}, 400), ({"attach_to": "nonsense"}, 400),
    ({}, 400),  # neither file nor link
])
def test_bad_fields_are_refused(client, organiser, fields, status):
    assert _post(client, organiser, **fields).status_code == status
    assert _count() == 0


def test_both_file_and_link_is_refused(client, organiser):
    response = _post(client, organiser, url="https://example.org/x",
                     file=(io.BytesIO(PDF), "a.pdf"))
    assert response.status_code == 400 and _count() == 0


def test_session_of_another_event_cannot_be_chosen(client, organiser):
    other_session = organiser.event_b.sessions[0]
    response = _post(client, organiser, attach_to=str(other_session.id),
                     file=(io.BytesIO(PDF), "a.pdf"))
    assert response.status_code == 400 and _count() == 0


def test_a_session_of_the_event_can_be_chosen(client, organiser):
    session = organiser.session_over
    response = _post(client, organiser, attach_to=str(session.id), kind="recording",
                     url="https://video.example.org/1")
    assert response.status_code == 302
    assert db.session.scalar(select(Output.session_id)) == session.id


def test_a_file_gone_from_storage_is_410_not_500(client, organiser):
    from elearn.outputs.services import files

    assert _post(client, organiser, file=(io.BytesIO(PDF), "a.pdf")).status_code == 302
    output = db.session.scalar(select(Output))
    files.discard(output.stored_name)
    assert client.get(f"/outputs/{output.id}/file").status_code == 410


def test_titles_in_every_language_and_the_documents_language_is_required(client, organiser):
    page = client.get(f"/outputs/event/{organiser.event_a.id}").get_data(as_text=True)
    for name in ("title_en", "title_es", "title_pt", "title_fr"):
        assert f'name="{name}"' in page
    assert page.count('class="language-texts"') == 4

    refused = _post(client, organiser, title_es="", title_en="Minutes", language="es",
                    url="https://example.org/minutes")
    assert refused.status_code == 400
    assert "Required in Spanish, the main language." in refused.get_data(as_text=True)
    assert _count() == 0

    response = _post(client, organiser, title_en="", title_es="", title_pt="Ata do dia 1",
                     title_fr="Procès-verbal du jour 1", language="pt",
                     url="https://example.org/ata")
    assert response.status_code == 302
    output = db.session.scalar(select(Output))
    assert output.title == {"pt": "Ata do dia 1", "fr": "Procès-verbal du jour 1"}
    # The organiser reads English: the Portuguese title, said to be in Portuguese.
    page = client.get(f"/events/{organiser.event_a.id}").get_data(as_text=True)
    assert "Ata do dia 1 (in Portuguese)" in page
