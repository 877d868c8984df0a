"""Registration questions of an event (issue 16 point 2): the organiser adds a form, people answer
it when registering (checked on the server, nothing written when an answer is wrong), change
their answers while registration is open, and organisers read, filter and export the answers —
sensitive ones only the event's own organisers."""

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select

from elearn import uploads
from elearn.accounts.services import erase_user, export_data
from elearn.events import services
from elearn.events.models import Event, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.forms import answering, building
from elearn.forms.models import Form, FormPurpose, FormResponse

QUESTIONS = {"title": {"en": "Registration questions"}, "sections": [{"questions": [
    {"key": "interpretation", "type": "yes_no", "required": True,
     "text": {"en": "Do you need interpretation?", "es": "¿Necesita interpretación?"}},
    {"key": "language", "type": "single_choice", "required": True,
     "condition": {"key": "interpretation", "values": ["yes"]},
     "text": {"en": "Into which language?", "es": "¿A qué idioma?"},
     "options": [{"key": "pt", "label": {"en": "Portuguese", "es": "Portugués"}},
                 {"key": "fr", "label": {"en": "French", "es": "Francés"}}]},
    {"key": "role", "type": "short_text", "text": {"en": "Your role in the delegation"}},
    {"key": "nights", "type": "number", "settings": {"min": 0, "max": 30},
     "text": {"en": "Nights of accommodation"}},
    {"key": "access", "type": "long_text", "sensitive": True,
     "text": {"en": "Accessibility needs"}},
    {"key": "wheelchair", "type": "yes_no", "sensitive": True,
     "text": {"en": "Do you use a wheelchair?"}},
    {"key": "letter", "type": "file", "text": {"en": "Nomination letter"}},
]}]}
GOOD = {"mode": "online", "q-interpretation": "yes", "q-language": "pt",
        "q-role": "Head of unit", "q-nights": "3", "q-access": "Step-free access",
        "q-wheelchair": "yes"}


@pytest.fixture(autouse=True)
def _form_files(app_config, tmp_path):
    app_config["FORM_FILES_DIR"] = str(tmp_path / "form_files")


@pytest.fixture
def event(make_event):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=5,
                       capacity_online=5)
    event.registration_form = building.from_definition(
        QUESTIONS, FormPurpose.REGISTRATION, "event", event.id)
    db.session.commit()
    return event


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows, cell by cell, read back from the file's XML (openpyxl is not
    installed here; xlsxwriter writes shared strings and inline numbers only)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        shared = [("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
                  for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for cell in row.findall("m:c", ns):
            column = re.match(r"[A-Z]+", cell.get("r")).group(0)
            index = 0
            for letter in column:
                index = index * 26 + ord(letter) - 64
            value = cell.find("m:v", ns)
            text = "" if value is None else value.text
            cells[index - 1] = shared[int(text)] if cell.get("t") == "s" else text
        rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
    return rows


def _pdf() -> bytes:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(out)
    return out.getvalue()


def _register(client, event, **changes):
    data = {**GOOD, **changes}
    return client.post(f"/events/{event.id}/register",
                       data={k: v for k, v in data.items() if v is not None})


def _seats(event):
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    return stored.seats_taken_online, stored.seats_taken_in_person


def _count(model) -> int:
    query = select(func.count()).select_from(model)
    if model is Form:  # the evaluation survey every new event and edition gets is not counted
        from elearn.forms.models import FormPurpose

        query = query.where(Form.purpose == FormPurpose.REGISTRATION)
    return db.session.scalar(query)


def test_the_organiser_adds_questions_and_goes_to_the_editor(client, login, organiser,
                                                            make_event):
    event = make_event()
    login(organiser)
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Add registration questions" in page
    response = client.post(f"/organise/events/{event.id}/questions")
    form = db.session.get(Event, event.id).registration_form
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/forms/{form.id}")
    assert form.purpose == FormPurpose.REGISTRATION
    assert (form.owner_kind, form.owner_id) == ("event", event.id)
    # Asked again: the same form, not a second one.
    client.post(f"/organise/events/{event.id}/questions")
    assert _count(Form) == 1
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Edit questions" in page and f"/forms/{form.id}\"" in page
    # Removing a form nobody answered deletes it.
    assert client.post(f"/organise/events/{event.id}/questions/remove").status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).registration_form_id is None
    assert _count(Form) == 0


def test_registering_answers_the_questions(client, login, make_user, event):
    ana = make_user(full_name="Ana Pérez")
    login(ana)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Do you need interpretation?" in page and 'enctype="multipart/form-data"' in page
    response = _register(client, event, **{"q-letter": (io.BytesIO(_pdf()), "carta.pdf")})
    assert response.status_code == 303
    reg = db.session.scalar(select(Registration).where(Registration.user_id == ana.id))
    assert reg.status == RegistrationStatus.CONFIRMED and reg.form_response_id
    shown = {a.key: a.value for a in services.answers_of(reg, "en", ana)}
    assert shown["language"] == "Portuguese" and shown["access"] == "Step-free access"
    assert shown["letter"] == "carta.pdf"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Your answers" in page and "Step-free access" in page and "Change my answers" in page


@pytest.mark.parametrize("changes,field,message", [
    ({"q-interpretation": None}, "interpretation", "Answer this question."),
    ({"q-language": None}, "language", "Answer this question."),  # asked after "yes"
    ({"q-language": "de"}, "language", "Not a valid choice"),
    ({"q-role": "two\r\nlines"}, "role", "single line"),
    ({"q-nights": "many"}, "nights", "Not a valid float"),
    ({"q-nights": "99999999999999999999"}, "nights", "between"),
    ({"q-letter": (io.BytesIO(b"<html><script>x</script>"), "a.pdf")}, "letter", "PDF"),
])
def test_wrong_answers_register_nobody(client, login, make_user, event, changes, field,
                                       message):
    login(make_user())
    before = _seats(event)
    response = _register(client, event, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The error is beside its question (the macro's id), not only at the top.
    error = re.search(rf'id="q-{field}-error">([^<]*)<', page)
    assert error and message.lower() in error.group(1).lower(), page[-3000:]
    assert _count(Registration) == 0 and _count(FormResponse) == 0
    assert _seats(event) == before
    assert "<script>" not in page


def test_a_question_asked_only_after_an_answer(client, login, make_user, event):
    login(make_user())
    # "No interpretation": the language is not asked, and a value sent anyway is dropped.
    assert _register(client, event, **{"q-interpretation": "no"}).status_code == 303
    reg = db.session.scalar(select(Registration))
    keys = {a.key for a in reading_all(reg)}
    assert "interpretation" in keys and "language" not in keys


def reading_all(reg):
    from elearn.forms.reading import shown_answers
    return shown_answers(reg.form_response, "en", True)


def test_the_person_changes_their_answers_while_registration_is_open(client, login, make_user,
                                                                   event):
    ana = make_user()
    login(ana)
    _register(client, event)
    page = client.get(f"/events/{event.id}/answers").get_data(as_text=True)
    assert 'value="Head of unit"' in page and "Step-free access" in page
    bad = client.post(f"/events/{event.id}/answers", data={"q-interpretation": "maybe"})
    assert bad.status_code == 400 and 'id="q-interpretation-error"' in bad.get_data(as_text=True)
    done = client.post(f"/events/{event.id}/answers",
                       data={"q-interpretation": "no", "q-role": "Adviser"})
    assert done.status_code == 303
    reg = db.session.scalar(select(Registration))
    shown = {a.key: a.value for a in services.answers_of(reg, "en", ana)}
    assert shown == {"interpretation": "No", "role": "Adviser"}
    assert _count(FormResponse) == 1
    # Cancelled: the answers stay for the organisers, and cannot be changed any more.
    client.post(f"/events/{event.id}/cancel")
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert reg.status == RegistrationStatus.CANCELLED and reg.form_response_id
    assert client.get(f"/events/{event.id}/answers").status_code == 303
    assert client.post(f"/events/{event.id}/answers",
                       data={"q-interpretation": "yes"}).status_code == 303
    assert {a.key for a in reading_all(db.session.get(Registration, reg.id))} == {
        "interpretation", "role"}


def test_someone_not_registered_has_no_answers_page(client, login, make_user, event):
    login(make_user())
    assert client.get(f"/events/{event.id}/answers").status_code == 404
    assert client.get("/events/99999999999999999999/answers").status_code == 404


def _people(client, login, make_user, event):
    ana = make_user(full_name="Ana Pérez", email="ana@example.org")
    beto = make_user(full_name="Beto Ruiz", email="beto@example.org")
    login(ana)
    _register(client, event)
    client.post("/logout")
    login(beto)
    _register(client, event, **{"q-interpretation": "no", "q-access": "", "q-role": "=cmd",
                                "q-wheelchair": "no"})
    client.post("/logout")
    return ana, beto


def test_organisers_filter_the_list_by_an_answer(client, login, make_user, organiser, event):
    _people(client, login, make_user, event)
    login(organiser)
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Into which language?: Portuguese" in page
    filtered = client.get(f"/organise/events/{event.id}?answer=language=pt").get_data(
        as_text=True)
    assert "Ana Pérez" in filtered and "Beto Ruiz" not in filtered
    no = client.get(f"/organise/events/{event.id}?answer=interpretation=no").get_data(
        as_text=True)
    assert "Beto Ruiz" in no and "Ana Pérez" not in no
    # Hostile or unknown filters are ignored, never a 500.
    for value in ("x" * 5000, "language=<script>", "nope=pt", "'; DROP TABLE form;--"):
        response = client.get(f"/organise/events/{event.id}", query_string={"answer": value})
        assert response.status_code == 200
        assert "Beto Ruiz" in response.get_data(as_text=True)


def test_sensitive_answers_only_for_the_events_organisers(client, login, make_user, organiser,
                                                          event):
    ana, _beto = _people(client, login, make_user, event)
    reg = db.session.scalar(select(Registration).where(Registration.user_id == ana.id))
    login(organiser)
    page = client.get(f"/organise/registrations/{reg.id}").get_data(as_text=True)
    assert "Step-free access" in page and "Sensitive" in page and "Portuguese" in page
    listing = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Do you use a wheelchair?: Yes" in listing
    picked = client.get(f"/organise/events/{event.id}?answer=wheelchair=yes")
    assert "Beto Ruiz" not in picked.get_data(as_text=True)
    client.post("/logout")

    manager = make_user(roles=["programme_manager"])
    login(manager)
    page = client.get(f"/organise/registrations/{reg.id}").get_data(as_text=True)
    assert "Portuguese" in page and "Step-free access" not in page
    assert "Accessibility needs" not in page
    # Nor can a sensitive question be used to pick people out.
    access = db.session.get(Event, event.id).registration_form.current_version.questions
    assert any(q.key == "access" for q in access)
    listing = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Do you use a wheelchair?" not in listing and "Into which language?" in listing
    # The filter in the URL is ignored: everyone is listed, nobody picked out by it.
    picked = client.get(f"/organise/events/{event.id}?answer=wheelchair=yes")
    assert "Beto Ruiz" in picked.get_data(as_text=True)
    client.post("/logout")

    other = make_user(roles=["organiser"])
    login(other)
    assert client.get(f"/organise/registrations/{reg.id}").status_code in (403, 404)
    assert client.get(f"/organise/events/{event.id}/registrations.csv").status_code in (403,
                                                                                        404)
    assert client.post(f"/organise/events/{event.id}/questions").status_code in (403, 404)


def _csv(client, event) -> list[dict]:
    body = client.get(f"/organise/events/{event.id}/registrations.csv",
                      follow_redirects=True).get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_exports_have_a_column_per_question(client, login, make_user, organiser, event):
    _people(client, login, make_user, event)
    login(organiser)
    rows = {r["Name"]: r for r in _csv(client, event)}
    assert rows["Ana Pérez"]["Into which language?"] == "Portuguese"
    assert rows["Ana Pérez"]["Accessibility needs"] == "Step-free access"
    assert rows["Beto Ruiz"]["Do you need interpretation?"] == "No"
    assert rows["Beto Ruiz"]["Into which language?"] == ""
    assert rows["Beto Ruiz"]["Your role in the delegation"] == "'=cmd"  # no formula
    body = client.get(f"/organise/events/{event.id}/registrations.xlsx",
                      follow_redirects=True).data
    heading, *lines = xlsx_rows(body)
    assert "Accessibility needs" in heading and "Nights of accommodation" in heading
    values = {row[0]: dict(zip(heading, row + [""] * (len(heading) - len(row)), strict=True))
              for row in lines}
    assert values["Ana Pérez"]["Nights of accommodation"] == "3"
    client.post("/logout")

    login(make_user(roles=["programme_manager"]))
    rows = _csv(client, event)
    assert "Accessibility needs" not in rows[0] and "Into which language?" in rows[0]
    filtered = client.get(f"/organise/events/{event.id}/registrations.csv",
                          query_string={"answer": "language=pt"},
                          follow_redirects=True).get_data(as_text=True)
    assert "Ana Pérez" in filtered and "Beto Ruiz" not in filtered


def test_data_export_and_erasure(client, login, make_user, event):
    ana = make_user()
    login(ana)
    _register(client, event, **{"q-letter": (io.BytesIO(_pdf()), "carta.pdf")})
    reg = db.session.scalar(select(Registration))
    stored = next(a.stored_name for a in reg.form_response.answers if a.stored_name)
    assert uploads.exists(answering.FILES, stored)
    exported = export_data(ana)["event_registrations"][0]["answers"]
    assert {"question": "Accessibility needs", "answer": "Step-free access"} in exported
    assert {"question": "Nomination letter", "answer": "carta.pdf"} in exported
    erase_user(ana)
    db.session.commit()
    assert _count(FormResponse) == 0
    assert db.session.get(Registration, reg.id).form_response_id is None
    assert not uploads.exists(answering.FILES, stored)


def test_deleting_the_event_deletes_the_answers(client, login, make_user, event):
    login(make_user())
    _register(client, event, **{"q-letter": (io.BytesIO(_pdf()), "carta.pdf")})
    stored = db.session.scalar(select(Registration)).form_response.answers
    stored = next(a.stored_name for a in stored if a.stored_name)
    db.session.delete(db.session.get(Event, event.id))
    db.session.commit()
    assert _count(FormResponse) == 0 and _count(Form) == 0 and _count(Registration) == 0
    assert not uploads.exists(answering.FILES, stored)
