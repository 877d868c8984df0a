"""Application questions of a course edition (issue 16 point 2): its staff add a form, applicants
answer it with their motivation (checked on the server; a wrong answer writes nothing), change
their answers while applications are open, and reviewers read, filter and export the answers —
sensitive ones only the edition's own instructors."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from elearn import uploads
from elearn.accounts.services import erase_user, export_data
from elearn.courses.models import Edition, Enrolment
from elearn.courses.services import questions
from elearn.extensions import db
from elearn.forms import answering, building
from elearn.forms.models import Form, FormPurpose, FormResponse
from tests.events.test_registration_questions import QUESTIONS, _pdf, xlsx_rows

GOOD = {"motivation": "To design better SME policies.", "q-interpretation": "yes",
        "q-language": "pt", "q-role": "Head of unit", "q-nights": "3",
        "q-access": "Screen reader", "q-wheelchair": "yes"}


@pytest.fixture(autouse=True)
def _form_files(app_config, tmp_path):
    app_config["FORM_FILES_DIR"] = str(tmp_path / "form_files")


@pytest.fixture
def asking(edition):
    edition.application_form = building.from_definition(
        QUESTIONS, FormPurpose.REGISTRATION, "edition", edition.id)
    db.session.commit()
    return edition


def _apply(client, edition, **changes):
    data = {**GOOD, **changes}
    return client.post(f"/courses/editions/{edition.id}/apply",
                       data={k: v for k, v in data.items() if v is not None})


def _count(model) -> int:
    query = select(func.count()).select_from(model)
    if model is Form:  # the evaluation survey every new event and edition gets is not counted
        from elearn.forms.models import FormPurpose

        query = query.where(Form.purpose == FormPurpose.REGISTRATION)
    return db.session.scalar(query)


def test_staff_add_questions_from_the_staff_page(client, login, instructor, edition):
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/staff").get_data(as_text=True)
    assert "Add application questions" in page
    response = client.post(f"/courses/editions/{edition.id}/questions")
    form = db.session.get(Edition, edition.id).application_form
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/forms/{form.id}")
    assert (form.owner_kind, form.owner_id, form.purpose) == ("edition", edition.id,
                                                              FormPurpose.REGISTRATION)
    page = client.get(f"/courses/editions/{edition.id}/staff").get_data(as_text=True)
    assert "Edit questions" in page
    assert client.post(f"/courses/editions/{edition.id}/questions/remove").status_code == 303
    assert _count(Form) == 0


def test_applying_answers_the_questions(client, login, make_user, asking):
    ana = make_user(full_name="Ana Pérez")
    login(ana)
    page = client.get(f"/courses/editions/{asking.id}/apply").get_data(as_text=True)
    assert "Do you need interpretation?" in page
    response = _apply(client, asking, **{"q-letter": (io.BytesIO(_pdf()), "carta.pdf")})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    mine = db.session.scalar(select(Enrolment).where(Enrolment.user_id == ana.id))
    shown = {a.key: a.value for a in questions.answers_of(mine, "es", ana)}
    assert shown["language"] == "Portugués" and shown["letter"] == "carta.pdf"
    page = client.get(f"/courses/editions/{asking.id}").get_data(as_text=True)
    assert "Screen reader" in page and "Change my answers" in page


@pytest.mark.parametrize("changes,field,message", [
    ({"q-interpretation": None}, "interpretation", "Answer this question."),
    ({"q-language": None}, "language", "Answer this question."),
    ({"q-role": "a\nb"}, "role", "single line"),
    ({"q-nights": "-1"}, "nights", "between"),
    ({"q-letter": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "x.pdf")}, "letter", "PDF"),
])
def test_wrong_answers_make_no_application(client, login, make_user, asking, changes, field,
                                           message):
    login(make_user())
    response = _apply(client, asking, **changes)
    assert response.status_code == 400
    error = re.search(rf'id="q-{field}-error">([^<]*)<', response.get_data(as_text=True))
    assert error and message.lower() in error.group(1).lower()
    assert _count(Enrolment) == 0 and _count(FormResponse) == 0
    db.session.expire_all()
    assert db.session.get(Edition, asking.id).seats_taken == 0


def test_a_missing_motivation_shows_both_errors_and_writes_nothing(client, login, make_user,
                                                                   asking):
    login(make_user())
    response = _apply(client, asking, motivation="", **{"q-interpretation": None})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="q-interpretation-error"' in page
    assert _count(Enrolment) == 0 and _count(FormResponse) == 0


def test_the_applicant_changes_answers_while_applications_are_open(client, login, make_user,
                                                                  asking):
    ana = make_user()
    login(ana)
    _apply(client, asking)
    page = client.get(f"/courses/editions/{asking.id}/answers").get_data(as_text=True)
    assert 'value="Head of unit"' in page
    assert client.post(f"/courses/editions/{asking.id}/answers",
                       data={"q-interpretation": "no", "q-role": "Adviser"}).status_code == 303
    mine = db.session.scalar(select(Enrolment))
    assert {a.key: a.value for a in questions.answers_of(mine, "en", ana)} == {
        "interpretation": "No", "role": "Adviser"}
    # Withdrawn: the answers stay, and cannot be changed any more.
    client.post(f"/courses/editions/{asking.id}/withdraw")
    assert client.get(f"/courses/editions/{asking.id}/answers").status_code == 303
    assert db.session.get(Enrolment, mine.id).form_response_id is not None


def _applicants(client, login, make_user, edition):
    ana = make_user(full_name="Ana Pérez")
    beto = make_user(full_name="Beto Ruiz")
    login(ana)
    _apply(client, edition)
    client.post("/logout")
    login(beto)
    _apply(client, edition, **{"q-interpretation": "no", "q-access": "", "q-role": "@SUM(1)",
                               "q-wheelchair": "no"})
    client.post("/logout")
    return ana, beto


def test_reviewers_filter_and_read_answers_sensitive_ones_only_instructors(
        client, login, make_user, instructor, asking):
    ana, _beto = _applicants(client, login, make_user, asking)
    mine = db.session.scalar(select(Enrolment).where(Enrolment.user_id == ana.id))
    login(instructor)
    listing = client.get(f"/courses/editions/{asking.id}/applications?answer=language=pt")
    text = listing.get_data(as_text=True)
    assert "Ana Pérez" in text and "Beto Ruiz" not in text
    assert "Do you use a wheelchair?: Yes" in text  # a sensitive filter they may use
    page = client.get(f"/courses/enrolments/{mine.id}/application").get_data(as_text=True)
    assert "Screen reader" in page and "Sensitive" in page and "Portuguese" in page
    for hostile in ("x" * 3000, "<b>=1", "role=Head of unit"):
        response = client.get(f"/courses/editions/{asking.id}/applications",
                              query_string={"answer": hostile})
        assert response.status_code == 200 and "Beto Ruiz" in response.get_data(as_text=True)
    client.post("/logout")

    login(make_user(roles=["programme_manager"]))
    page = client.get(f"/courses/enrolments/{mine.id}/application").get_data(as_text=True)
    assert "Portuguese" in page and "Screen reader" not in page
    listing = client.get(f"/courses/editions/{asking.id}/applications").get_data(as_text=True)
    assert "Do you use a wheelchair?" not in listing and "Into which language?" in listing
    picked = client.get(f"/courses/editions/{asking.id}/applications?answer=wheelchair=yes")
    assert "Beto Ruiz" in picked.get_data(as_text=True)  # ignored, not a way to pick people
    client.post("/logout")

    login(make_user(roles=["instructor"]))
    assert client.get(f"/courses/enrolments/{mine.id}/application").status_code in (403, 404)
    assert client.get(f"/courses/editions/{asking.id}/applications.csv").status_code in (403,
                                                                                         404)


def test_application_exports_have_a_column_per_question(client, login, make_user, instructor,
                                                        asking):
    _applicants(client, login, make_user, asking)
    login(instructor)
    body = client.get(f"/courses/editions/{asking.id}/applications.csv",
                      follow_redirects=True).get_data(as_text=True)
    rows = {r["Name"]: r for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    assert rows["Ana Pérez"]["Accessibility needs"] == "Screen reader"
    assert rows["Ana Pérez"]["Into which language?"] == "Portuguese"
    assert rows["Beto Ruiz"]["Your role in the delegation"] == "'@SUM(1)"
    heading, *lines = xlsx_rows(
        client.get(f"/courses/editions/{asking.id}/applications.xlsx",
                   follow_redirects=True).data)
    assert "Do you need interpretation?" in heading and "Accessibility needs" in heading
    by_name = {line[0]: line for line in lines}
    assert by_name["Beto Ruiz"][heading.index("Do you need interpretation?")] == "No"
    client.post("/logout")
    login(make_user(roles=["programme_manager"]))
    body = client.get(f"/courses/editions/{asking.id}/applications.csv",
                      follow_redirects=True).get_data(as_text=True)
    assert "Accessibility needs" not in body and "Screen reader" not in body
    assert "Into which language?" in body


def test_data_export_erasure_and_deleting_the_edition(client, login, make_user, asking):
    ana = make_user()
    login(ana)
    _apply(client, asking, **{"q-letter": (io.BytesIO(_pdf()), "carta.pdf")})
    mine = db.session.scalar(select(Enrolment))
    stored = next(a.stored_name for a in mine.form_response.answers if a.stored_name)
    exported = export_data(ana)["course_enrolments"][0]["answers"]
    assert {"question": "Accessibility needs", "answer": "Screen reader"} in exported
    erase_user(ana)
    db.session.commit()
    assert _count(FormResponse) == 0 and not uploads.exists(answering.FILES, stored)

    beto = make_user()
    client.post("/logout")
    login(beto)
    _apply(client, asking)
    assert _count(FormResponse) == 1
    db.session.delete(db.session.get(Edition, asking.id))
    db.session.commit()
    assert _count(FormResponse) == 0 and _count(Form) == 0
