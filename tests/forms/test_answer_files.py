"""Files given as answers (task answerfiles): the person who gave one and the staff who read the
answers download it; a sensitive one only those who read sensitive answers; a survey's file
nobody, admins included; everyone else, odd ids and other answers get the same 404; a file gone
from storage is a 410 page, never a 500. The pages showing answers link to the download."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from elearn import storage, uploads
from elearn.courses.models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
)
from elearn.events.models import Event, Registration
from elearn.extensions import db
from elearn.forms.answering import FILES
from elearn.forms.building import from_definition
from elearn.forms.models import FormAnswer, FormPurpose, FormResponse
from elearn.surveys.models import Survey, SurveyResponse

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
QUESTIONS = {"title": {"en": "Questions"}, "sections": [{"questions": [
    {"key": "role", "type": "short_text", "text": {"en": "Your role"}},
    {"key": "letter", "type": "file", "text": {"en": "Nomination letter"}},
    {"key": "medical", "type": "file", "sensitive": True, "text": {"en": "Medical form"}}]}]}


@pytest.fixture(autouse=True)
def _form_files(app_config, tmp_path):
    app_config["FORM_FILES_DIR"] = str(tmp_path / "form_files")


def _respond(form, files: dict, text: str | None = None) -> tuple[FormResponse, dict]:
    version = form.current_version
    answers = []
    for q in version.questions:
        if q.key in files:
            data, suffix = files[q.key]
            stored = uploads.store(FILES, data, suffix, "application/octet-stream")
            answers.append(FormAnswer(question=q, stored_name=stored, filename=f"{q.key}{suffix}"))
        elif q.key == "role" and text:
            answers.append(FormAnswer(question=q, text=text))
    response = FormResponse(version=version, answers=answers)
    db.session.add(response)
    db.session.flush()
    return response, {a.question.key: a for a in answers}


@pytest.fixture
def people(make_user):
    roles = {"owner": (), "other": (), "organiser_a": ("organiser",),
             "organiser_b": ("organiser",), "instructor_a": ("instructor",),
             "instructor_b": ("instructor",), "programme_manager": ("programme_manager",),
             "admin": ("admin",)}
    return {name: make_user(email=f"{name}@example.org", roles=list(held))
            for name, held in roles.items()}


@pytest.fixture
def world(app, people, make_event, register):
    event = make_event(people["organiser_a"], title_en="Workshop A",
                       starts_at=datetime.now(UTC) + timedelta(days=7))
    make_event(people["organiser_b"], title_en="Workshop B")
    event.registration_form = from_definition(QUESTIONS, FormPurpose.REGISTRATION, "event",
                                              event.id)
    reg = register(event, people["owner"])
    reg.form_response, event_answers = _respond(
        event.registration_form, {"letter": (PDF, ".pdf"), "medical": (PNG, ".png")}, "Chair")

    course = Course(title_en="Diploma", title_es="Diplomado")
    edition = Edition(course=course, name_en="First", starts_on=date.today(),
                      ends_on=date.today() + timedelta(days=30), timezone="America/Caracas",
                      language="es", status=EditionStatus.OPEN)
    other_edition = Edition(course=course, name_en="Second", starts_on=date.today(),
                            ends_on=date.today() + timedelta(days=30),
                            timezone="America/Caracas", language="es",
                            status=EditionStatus.OPEN)
    db.session.add_all([course, edition, other_edition])
    edition.instructors = [EditionInstructor(user_id=people["instructor_a"].id)]
    other_edition.instructors = [EditionInstructor(user_id=people["instructor_b"].id)]
    db.session.flush()
    edition.application_form = from_definition(QUESTIONS, FormPurpose.REGISTRATION, "edition",
                                               edition.id)
    enrolment = Enrolment(edition_id=edition.id, user_id=people["owner"].id,
                          status=EnrolmentStatus.PENDING, motivation="To learn.")
    db.session.add(enrolment)
    enrolment.form_response, edition_answers = _respond(
        edition.application_form, {"letter": (PDF, ".pdf")})
    db.session.commit()
    return {"event": event, "reg": reg, "edition": edition, "enrolment": enrolment,
            "letter": event_answers["letter"].id, "medical": event_answers["medical"].id,
            "role": event_answers["role"].id, "edition_letter": edition_answers["letter"].id}


@pytest.fixture
def as_(client, login, people):
    def do(name):
        client.post("/logout")
        if name != "anonymous":
            login(people[name])
        return client
    return do


def _get(client, answer_id):
    return client.get(f"/forms/answers/{answer_id}/file")


@pytest.mark.parametrize("key,allowed", [
    ("letter", {"owner", "organiser_a", "programme_manager", "admin"}),
    ("medical", {"owner", "organiser_a", "admin"}),  # sensitive: the event's own organisers
    ("edition_letter", {"owner", "instructor_a", "programme_manager", "admin"}),
])
def test_who_downloads_a_file_answer(world, as_, people, key, allowed):
    for name in people:
        response = _get(as_(name), world[key])
        if name in allowed:
            assert response.status_code == 200, (key, name)
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert "no-store" in response.headers["Cache-Control"]
            answer = db.session.get(FormAnswer, world[key])
            assert answer.filename in response.headers["Content-Disposition"]
        else:
            assert response.status_code == 404, (key, name)
    response = _get(as_("anonymous"), world[key])
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_file_comes_back_as_given_with_the_type_of_its_content(world, as_):
    response = _get(as_("owner"), world["letter"])
    assert response.get_data() == PDF and response.mimetype == "application/pdf"
    response = _get(as_("organiser_a"), world["medical"])
    assert response.get_data() == PNG and response.mimetype == "image/png"


def test_a_survey_file_answer_is_never_downloadable(world, as_, people):
    """Even a named (not anonymous) survey response, even for the person who gave it."""
    event = world["event"]
    survey = db.session.scalar(select(Survey).where(Survey.owner_kind == "event",
                                                    Survey.owner_id == event.id))
    form = from_definition(QUESTIONS, FormPurpose.SURVEY, "event", event.id)
    if survey is None:
        survey = Survey(form=form, owner_kind="event", owner_id=event.id)
        db.session.add(survey)
    survey.form, survey.anonymous = form, False
    db.session.flush()
    response, answers = _respond(form, {"letter": (PDF, ".pdf")})
    db.session.add(SurveyResponse(id=response.id, survey_id=survey.id,
                                  user_id=people["owner"].id))
    db.session.commit()
    for name in people:
        assert _get(as_(name), answers["letter"].id).status_code == 404, name


def test_a_survey_form_answer_held_by_a_registration_is_refused_too(world, as_, people):
    """The purpose decides: a survey's response is refused whoever holds its id."""
    form = from_definition(QUESTIONS, FormPurpose.SURVEY, "event", world["event"].id)
    response, answers = _respond(form, {"letter": (PDF, ".pdf")})
    world["reg"].form_response = response
    db.session.commit()
    for name in ("owner", "organiser_a", "admin"):
        assert _get(as_(name), answers["letter"].id).status_code == 404, name


def test_an_answer_nobody_holds_is_nobodys(world, as_):
    """A response left without its registration (the row's link cleared) names no one."""
    world["reg"].form_response_id = None
    db.session.commit()
    for name in ("owner", "organiser_a", "admin"):
        assert _get(as_(name), world["letter"]).status_code == 404, name


@pytest.mark.parametrize("path,status", [
    ("/forms/answers/0/file", 404), ("/forms/answers/-1/file", 404),
    ("/forms/answers/99999999999999/file", 404), ("/forms/answers/2147483647/file", 404),
    ("/forms/answers/abc/file", 404), ("/forms/answers/1.5/file", 404),
    ("/forms/answers/١/file", 404), ("/forms/answers/01/file", 404),
    ("/forms/answers/%00/file", 400),  # a NUL anywhere is refused before any view
])
def test_hostile_ids_are_refused(world, as_, path, status):
    assert as_("admin").get(path).status_code == status


def test_a_text_answer_is_not_a_file(world, as_):
    assert _get(as_("admin"), world["role"]).status_code == 404


def test_a_file_gone_from_storage_is_a_410_page(world, as_):
    answer = db.session.get(FormAnswer, world["letter"])
    storage.delete(FILES.key(answer.stored_name))
    response = _get(as_("owner"), world["letter"])
    assert response.status_code == 410
    assert "no longer available" in response.get_data(as_text=True).lower()


def test_an_odd_stored_name_is_refused_not_followed(world, as_):
    """A column that would leave the area (never written by us) is refused, not followed."""
    answer = db.session.get(FormAnswer, world["letter"])
    answer.stored_name = "../../secret.pdf"
    db.session.commit()
    assert _get(as_("owner"), world["letter"]).status_code == 410


def _links(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'/forms/answers/(\d+)/file', html)}


def test_the_pages_showing_answers_link_to_the_files(app, world, as_):
    with app.test_request_context():
        dashboard = url_for("organise.registration", registration_id=world["reg"].id)
        detail = url_for("events.detail", event_id=world["event"].id)
        application = url_for("courses.application", enrolment_id=world["enrolment"].id)
        edition = url_for("courses.edition", edition_id=world["edition"].id)
    both = {world["letter"], world["medical"]}
    page = as_("organiser_a").get(dashboard)
    assert page.status_code == 200 and _links(page.get_data(as_text=True)) == both
    # The Secretariat reads the answers, not the sensitive ones: no link to those either.
    page = as_("programme_manager").get(dashboard)
    assert _links(page.get_data(as_text=True)) == {world["letter"]}
    page = as_("owner").get(detail)
    assert _links(page.get_data(as_text=True)) == both
    page = as_("instructor_a").get(application)
    assert _links(page.get_data(as_text=True)) == {world["edition_letter"]}
    page = as_("owner").get(edition)
    assert _links(page.get_data(as_text=True)) == {world["edition_letter"]}


def test_the_change_answers_pages_link_to_the_file_already_sent(app, world, as_):
    with app.test_request_context():
        event_page = url_for("events.answers", event_id=world["event"].id)
        edition_page = url_for("courses.answers", edition_id=world["edition"].id)
    client = as_("owner")
    page = client.get(event_page)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _links(html) == {world["letter"], world["medical"]} and "letter.pdf" in html
    # Still named when the page comes back with an error (a wrong kind of file here).
    page = client.post(event_page, data={"q-letter": (io.BytesIO(b"not a pdf"), "x.pdf")},
                       content_type="multipart/form-data")
    assert page.status_code == 400
    assert _links(page.get_data(as_text=True)) == {world["letter"], world["medical"]}
    page = client.get(edition_page)
    assert page.status_code == 200 and _links(page.get_data(as_text=True)) == {
        world["edition_letter"]}


def test_deleting_the_edition_removes_the_answer_files(world):
    stored = db.session.get(FormAnswer, world["edition_letter"]).stored_name
    assert uploads.exists(FILES, stored)
    db.session.delete(db.session.get(Edition, world["edition"].id))
    db.session.commit()
    assert not uploads.exists(FILES, stored)
    assert db.session.get(FormAnswer, world["edition_letter"]) is None


def test_deleting_the_event_removes_the_answer_files(world):
    names = [db.session.get(FormAnswer, world[k]).stored_name for k in ("letter", "medical")]
    db.session.delete(db.session.get(Event, world["event"].id))
    db.session.commit()
    assert not any(uploads.exists(FILES, n) for n in names)
    assert db.session.scalar(select(Registration)) is None
