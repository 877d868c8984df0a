"""The form builder refuses: people who do not run the form's owner, and hostile input (line
breaks in one-line texts, injected keys, conditions on later or unsuitable questions, huge ids,
too many questions or options) — always a 4xx with a message, never a half-written change."""

import pytest

from elearn.extensions import db
from elearn.forms import answering, building
from elearn.forms.models import Form, FormPurpose, FormVersion
from tests.forms import builder_kit
from tests.forms.builder_kit import current, formdata, keys

# The kit's fixtures, for pytest to find in this module.
organiser = builder_kit.organiser
event = builder_kit.event
form_id = builder_kit.form_id
as_organiser = builder_kit.as_organiser

WRITES = [("post", "/title", {"title_en": "Taken over"}),
          ("post", "/sections", {"section-title_en": "Intruder"}),
          ("post", "/questions/role", {"section": "1", "text_en": "Taken over"}),
          ("post", "/questions/role/move", {"direction": "down"}),
          ("post", "/questions/role/remove", {}),
          ("post", "/questions/language/options", {"option-label_en": "Klingon"}),
          ("post", "/questions/language/options/pt/remove", {}),
          ("post", "/sections/2/move", {"direction": "up"}),
          ("post", "/new-question?type=short_text&section=1",
           {"section": "1", "text_en": "Intruder"})]
READS = ["", "/preview", "/sections/1", "/new-question?section=1", "/questions/role",
         "/questions/language/options/pt", "/questions/role/remove"]


def _snapshot(form_id):
    db.session.expire_all()
    form = db.session.get(Form, form_id)
    version = form.current_version
    return (dict(form.title), version.number,
            [(q.key, dict(q.text), q.section_position, q.position,
              [(o.key, dict(o.label)) for o in q.options]) for q in version.questions],
            [dict(s.title) for s in version.sections])


@pytest.mark.parametrize("who", ["organiser_b", "instructor", "participant", "anonymous"])
def test_only_those_who_run_the_owner_reach_the_builder(app, client, login, make_user,
                                                        make_event, form_id, who):
    if who != "anonymous":
        roles = {"organiser_b": ["organiser"], "instructor": ["instructor"]}.get(who, [])
        person = make_user(email=f"{who}@example.org", roles=roles)
        if who == "organiser_b":
            make_event(person, title_en="Her own workshop")
        login(person)
    before = _snapshot(form_id)
    for path in READS:
        response = client.get(f"/forms/{form_id}{path}")
        expected = (302,) if who == "anonymous" else (403, 404)
        assert response.status_code in expected, (path, response.status_code)
        if who == "anonymous":
            assert "/login" in response.headers["Location"]
    for _method, path, data in WRITES:
        response = client.post(f"/forms/{form_id}{path}", data=data)
        assert response.status_code in ((302,) if who == "anonymous" else (403, 404)), path
    assert _snapshot(form_id) == before
    if who != "anonymous":
        listed = client.get("/forms/").get_data(as_text=True)
        assert f"/forms/{form_id}" not in listed


def test_the_list_shows_the_forms_one_may_edit(as_organiser, form_id, make_user, make_event):
    other = make_event(make_user(email="b@example.org", roles=["organiser"]),
                       title_en="Someone else's seminar")
    building.from_definition({"title": {"en": "Their survey"}}, FormPurpose.SURVEY, "event",
                             other.id)
    db.session.commit()
    page = as_organiser.get("/forms/").get_data(as_text=True)
    assert "Registration questions" in page and "Digital trade workshop" in page
    assert "Their survey" not in page


def test_programme_managers_edit_every_form(client, login, make_user, form_id):
    login(make_user(email="pm@sela.example", roles=["programme_manager"]))
    assert client.get(f"/forms/{form_id}").status_code == 200
    assert client.post(f"/forms/{form_id}/sections", data={}).status_code == 302


@pytest.mark.parametrize("path", ["/forms/99999999999", "/forms/2147483648",
                                  "/forms/0", "/forms/-1"])
def test_huge_and_odd_form_ids_are_not_found(as_organiser, path):
    assert as_organiser.get(path).status_code == 404


@pytest.mark.parametrize("path,method", [
    ("/sections/99999999999", "get"), ("/sections/9", "get"), ("/sections/9/move", "post"),
    ("/sections/0", "get"), ("/questions/nope", "get"), ("/questions/nope/move", "post"),
    ("/questions/" + "x" * 500, "get"), ("/questions/language/options/de", "get"),
    ("/questions/language/options/de/remove", "post"), ("/questions/role/options", "post"),
    ("/questions/role/options/pt", "get"),
])
def test_unknown_sections_questions_and_options_are_not_found(as_organiser, form_id, path,
                                                              method):
    before = _snapshot(form_id)
    response = getattr(as_organiser, method)(f"/forms/{form_id}{path}",
                                             data={"direction": "up"})
    assert response.status_code == 404
    assert _snapshot(form_id) == before


@pytest.mark.parametrize("path,data,message", [
    ("/title", {"title_en": "Two\r\nlines"}, "single line"),
    ("/title", {"title_en": ""}, "Give a title."),
    ("/sections", {"section-title_es": "Sección\nnueva"}, "single line"),
    ("/sections/1", {"section-title_en": "Tab\there"}, "single line"),
    ("/questions/language/options", {"option-label_en": "Line\rbreak"}, "single line"),
    ("/questions/language/options/pt", {"option-label_en": "Por\ntuguese"}, "single line"),
    ("/questions/language/options/pt", {"option-label_es": "Solo español"},
     "main language"),
    ("/questions/role", {"section": "1", "text_en": "Role\nand rank"}, "single line"),
    ("/questions/role", {"section": "1", "text_es": "Solo en español"}, "main language"),
    ("/questions/role", {"section": "7", "text_en": "Role"}, "Not a valid choice"),
    ("/questions/nights", {"section": "2", "text_en": "Nights", "minimum": "5",
                           "maximum": "1"}, "must not be below"),
    ("/questions/nights", {"section": "2", "text_en": "Nights", "minimum": "nan"},
     "Number must be between"),
    ("/questions/nights", {"section": "2", "text_en": "Nights", "maximum": "1e400"},
     "Number must be between"),
    # Conditions: itself, a later question, a question that is not a choice, an answer the
    # question does not have, answers of two questions.
    ("/questions/language", {"section": "1", "text_en": "L", "condition": "language=pt"},
     "not a valid choice"),
    ("/questions/role", {"section": "1", "text_en": "Role",
                         "condition": "interpretation=yes"}, "must come before it"),
    ("/questions/nights", {"section": "2", "text_en": "N", "condition": "role=Director"},
     "not a valid choice"),
    ("/questions/nights", {"section": "2", "text_en": "N", "condition": "language=de"},
     "not a valid choice"),
    ("/questions/nights", {"section": "2", "text_en": "N",
                           "condition": ["interpretation=yes", "language=pt"]},
     "one question only"),
    ("/questions/role/move", {"direction": "sideways"}, None),
    ("/new-question?type=single_choice&section=1",
     {"section": "1", "text_en": "Pick", "options_en": "A\tB"}, "single line"),
    ("/new-question?type=single_choice&section=1",
     {"section": "1", "text_en": "Pick", "options_en": "A\nB", "options_es": "A"},
     "as many lines"),
    ("/new-question?type=single_choice&section=1", {"section": "1", "text_en": "Pick"},
     "at least one option"),
    ("/new-question?type=single_choice&section=1",
     {"section": "1", "text_en": "Pick", "options_en": "\n".join(f"o{n}" for n in range(51))},
     "at most 50 options"),
    ("/new-question?type=telepathy&section=1", {"section": "1", "text_en": "?"}, None),
])
def test_hostile_input_gets_a_message_and_changes_nothing(as_organiser, form_id, path, data,
                                                          message):
    with as_organiser.application.test_request_context():
        # People answered: a refused edit must not even leave a new version behind.
        version = current(form_id)
        asked = answering.ask(version, "en", formdata({"q-role": "Analyst"}))
        assert asked.validate()
        answering.save_response(version, asked)
        db.session.commit()
    before = _snapshot(form_id)
    response = as_organiser.post(f"/forms/{form_id}{path}", data=data)
    assert 400 <= response.status_code < 500, response.status_code
    if message:
        assert message.lower() in response.get_data(as_text=True).lower()
    assert _snapshot(form_id) == before
    assert db.session.query(FormVersion).filter_by(form_id=form_id).count() == 1


def test_injected_keys_are_ignored_and_new_keys_are_fresh(as_organiser, form_id):
    response = as_organiser.post(f"/forms/{form_id}/new-question?type=short_text&section=1",
                                 data={"section": "1", "text_en": "Role", "key": "role",
                                       "q-key": "role"})
    assert response.status_code == 302
    assert keys(form_id) == ["role", "interpretation", "language", "role_2", "nights"]
    # Once answered, a removed question's key is not given to the next one with the same
    # wording (exports line answers up by key across versions).
    with as_organiser.application.test_request_context():
        version = current(form_id)
        asked = answering.ask(version, "en", formdata({"q-role": "Analyst"}))
        assert asked.validate()
        answering.save_response(version, asked)
        db.session.commit()
    as_organiser.post(f"/forms/{form_id}/questions/role_2/remove")
    as_organiser.post(f"/forms/{form_id}/new-question?type=short_text&section=1",
                      data={"section": "1", "text_en": "Role"})
    assert keys(form_id)[3] == "role_3"


def test_at_most_200_questions(as_organiser, event):
    many = {"title": {"en": "Long"}, "sections": [{"title": {}, "questions": [
        {"key": f"q{n}", "type": "short_text", "text": {"en": f"Question {n}"}}
        for n in range(200)]}]}
    form = building.from_definition(many, FormPurpose.SURVEY, "event", event.id)
    db.session.commit()
    assert "Add a question to section 1" not in as_organiser.get(f"/forms/{form.id}").get_data(
        as_text=True)
    response = as_organiser.post(f"/forms/{form.id}/new-question?type=short_text&section=1",
                                 data={"section": "1", "text_en": "One more"})
    assert response.status_code == 400
    assert "at most 200 questions" in response.get_data(as_text=True)
    assert len(current(form.id).questions) == 200


def test_at_most_50_options(as_organiser, event):
    many = {"title": {"en": "Choices"}, "sections": [{"title": {}, "questions": [
        {"key": "pick", "type": "multiple_choice", "text": {"en": "Pick"},
         "options": [{"key": f"o{n}", "label": {"en": f"Option {n}"}} for n in range(50)]}]}]}
    form = building.from_definition(many, FormPurpose.SURVEY, "event", event.id)
    db.session.commit()
    response = as_organiser.post(f"/forms/{form.id}/questions/pick/options",
                                 data={"option-label_en": "Option 51"})
    assert response.status_code == 400
    assert "at most 50 options" in response.get_data(as_text=True)


def test_a_form_without_sections_asks_for_one_first(as_organiser, event):
    form = building.from_definition({"title": {"es": "Encuesta"}}, FormPurpose.SURVEY,
                                    "event", event.id)
    db.session.commit()
    response = as_organiser.get(f"/forms/{form.id}/new-question")
    assert response.status_code == 409
    assert "Add a section first" in response.get_data(as_text=True)
    # Written in Spanish only: Spanish is its main language.
    as_organiser.post(f"/forms/{form.id}/sections", data={})
    refused = as_organiser.post(f"/forms/{form.id}/new-question?type=yes_no&section=1",
                                data={"section": "1", "text_en": "Only English"})
    assert refused.status_code == 400
    assert as_organiser.post(f"/forms/{form.id}/new-question?type=yes_no&section=1",
                             data={"section": "1", "text_es": "¿Sí?"}).status_code == 302


def test_removing_the_last_option_is_refused(as_organiser, form_id):
    base = f"/forms/{form_id}/questions/language/options"
    assert as_organiser.post(f"{base}/fr/remove").status_code == 302
    response = as_organiser.post(f"{base}/pt/remove")
    assert response.status_code == 409
    assert "at least one option" in response.get_data(as_text=True)
