"""The form engine: every question type asked, checked on the server and read back; conditions;
versions that keep old answers' wording; exports and filters in a fixed number of queries."""

import io
from datetime import date

import pytest
from pypdf import PdfWriter
from werkzeug.datastructures import FileStorage, MultiDict

from elearn.extensions import db
from elearn.forms import answering, building, reading
from elearn.forms.models import FormAnswer, FormPurpose, FormResponse, FormVersion

from .definitions import EVERY_TYPE


@pytest.fixture
def form(app):
    with app.test_request_context():
        made = building.from_definition(EVERY_TYPE, FormPurpose.REGISTRATION)
        db.session.commit()
        return made.id


def _pdf() -> bytes:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(out)
    return out.getvalue()


GOOD = {"q-role": "Head of unit", "q-motivation": "Policy\nwork", "q-interpretation": "yes",
        "q-language": "pt", "q-topics": ["finance", "digital"], "q-expectation": "4",
        "q-nights": "3", "q-arrival": "2027-03-01", "q-country": "BR",
        "q-access": "Step-free access"}


def _asked(app, form_id, data, language="en", files=None):
    from elearn.forms.models import Form
    version = db.session.get(Form, form_id).current_version
    formdata = MultiDict()
    for key, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            formdata.add(key, v)
    return version, answering.ask(version, language, formdata, files)


def test_every_type_is_saved_and_read_back(app, form):
    with app.test_request_context():
        files = MultiDict({"q-letter": FileStorage(io.BytesIO(_pdf()), "carta oficial.pdf")})
        version, asked = _asked(app, form, GOOD, files=files)
        assert asked.validate(), asked.errors
        response = answering.save_response(version, asked)
        db.session.commit()
        shown = {a.key: a.value for a in reading.shown_answers(response, "es", True)}
        assert shown["language"] == "Portugués"
        assert shown["topics"] == "Finanzas; Digital"
        assert shown["interpretation"] == "Sí"
        assert shown["expectation"] == "4" and shown["nights"] == "3"
        assert shown["country"] == "Brasil" and shown["motivation"] == "Policy\nwork"
        assert shown["letter"] == "carta_oficial.pdf"
        assert "2027" in shown["arrival"]
        hidden = {a.key for a in reading.shown_answers(response, "en", False)}
        assert "access" not in hidden and "role" in hidden


@pytest.mark.parametrize("field,value,message", [
    ("q-role", "", "Answer this question."),
    ("q-role", "two\r\nlines", "single line"),
    ("q-language", "de", "Not a valid choice"),
    ("q-topics", ["finance", "<script>"], "not a valid choice"),
    ("q-expectation", "6", "Not a valid choice"),
    ("q-nights", "31", "between"),
    ("q-nights", "many", "Not a valid float"),
    ("q-arrival", "0001-01-01", "between"),
    ("q-arrival", "tomorrow", "Not a valid date"),
    ("q-country", "XX", "Choose a country"),
    ("q-interpretation", "maybe", "Not a valid choice"),
])
def test_bad_answers_are_refused_beside_the_question(app, form, field, value, message):
    with app.test_request_context():
        version, asked = _asked(app, form, {**GOOD, field: value})
        assert not asked.validate()
        errors = " ".join(str(e) for e in asked[field[2:]].errors)
        assert message.lower() in errors.lower()
        assert db.session.query(FormResponse).count() == 0


def test_a_file_that_is_not_a_document_is_refused(app, form):
    with app.test_request_context():
        files = MultiDict({"q-letter": FileStorage(io.BytesIO(b"<html>hi</html>"), "a.pdf")})
        _version, asked = _asked(app, form, GOOD, files=files)
        assert not asked.validate()
        assert "PDF" in " ".join(map(str, asked["letter"].errors))


def test_a_question_asked_only_after_an_answer(app, form):
    with app.test_request_context():
        # "No interpretation": the language is not required, and a value sent anyway is dropped.
        version, asked = _asked(app, form, {**GOOD, "q-interpretation": "no", "q-language": ""})
        assert asked.validate(), asked.errors
        version, asked = _asked(app, form, {**GOOD, "q-interpretation": "no"})
        assert asked.validate()
        response = answering.save_response(version, asked)
        db.session.commit()
        assert "language" not in {a.key for a in reading.shown_answers(response, "en", True)}
        # "Yes": now it must be answered.
        _version, asked = _asked(app, form, {**GOOD, "q-language": ""})
        assert not asked.validate() and asked["language"].errors
        when = next(e.when for e in asked.shown if e.question.key == "language")
        assert "Do you need interpretation?" in when and "Yes" in when


def test_editing_an_answered_form_makes_a_new_version(app, form):
    from elearn.forms.models import Form
    with app.test_request_context():
        version, asked = _asked(app, form, GOOD)
        assert asked.validate()
        first = answering.save_response(version, asked)
        db.session.commit()
        f = db.session.get(Form, form)
        edited = building.editable_version(f)
        assert edited.id != version.id and edited.number == 2
        role = next(q for q in edited.questions if q.key == "role")
        role.text = {"en": "Position", "es": "Cargo"}
        option = next(q for q in edited.questions if q.key == "language").options[0]
        option.label = {"en": "Brazilian Portuguese", "es": "Portugués de Brasil"}
        db.session.commit()
        # The old answer keeps the wording it was given under.
        old = {a.key: (a.question, a.value) for a in reading.shown_answers(first, "en", True)}
        assert old["role"] == ("Your role in the delegation", "Head of unit")
        assert old["language"][1] == "Portuguese"
        # Until someone answers the new version, editing changes it in place.
        assert building.editable_version(f).id == edited.id
        # Exports line both up by key, with the current wording as the heading.
        headings = dict(reading.columns(f, "en", True))
        assert headings["role"] == "Position"
        _v, asked = _asked(app, form, {**GOOD, "q-role": "Minister"})
        assert asked.validate()
        second = answering.save_response(edited, asked)
        db.session.commit()
        table = reading.values([first.id, second.id], "en", True)
        assert table[first.id]["role"] == "Head of unit"
        assert table[second.id]["role"] == "Minister"
        assert table[second.id]["language"] == "Brazilian Portuguese"
        # A filter by option key finds answers of both versions.
        found = set(db.session.scalars(reading.responses_answering(f, "language", "pt")))
        assert found == {first.id, second.id}
        assert db.session.query(FormVersion).filter_by(form_id=form).count() == 2


def test_deleting_a_response_removes_its_answers_and_file(app, form):
    with app.test_request_context():
        files = MultiDict({"q-letter": FileStorage(io.BytesIO(_pdf()), "letter.pdf")})
        version, asked = _asked(app, form, GOOD, files=files)
        assert asked.validate()
        response = answering.save_response(version, asked)
        db.session.commit()
        stored = next(a.stored_name for a in response.answers if a.stored_name)
        from elearn import uploads
        assert uploads.exists(answering.FILES, stored)
        answering.delete_response(response)
        db.session.commit()
        assert db.session.query(FormAnswer).count() == 0
        assert not uploads.exists(answering.FILES, stored)


def test_spanish_reader_sees_spanish_wording(app, form):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        _version, asked = _asked(app, form, {}, language="es")
        texts = [e.text for e in asked.shown]
        assert "¿Necesita interpretación?" in texts
        assert asked.shown[0].section_title == "Sobre usted"
        assert date(2027, 1, 1)  # dates parse in ISO whatever the language
