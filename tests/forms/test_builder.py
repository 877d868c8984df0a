"""The form builder's pages as an organiser uses them: every question type added through the
pages and then answered; editing a form with answers makes a new version and old answers keep
their wording; sections, questions and options reordered; the preview in each language."""

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from elearn.extensions import db
from elearn.forms import answering, reading
from elearn.forms.models import Form, FormResponse, FormVersion, QuestionType
from tests.forms import builder_kit
from tests.forms.builder_kit import current, formdata, keys
from tests.forms.test_engine import _pdf

# The kit's fixtures, for pytest to find in this module.
organiser = builder_kit.organiser
event = builder_kit.event
form_id = builder_kit.form_id
as_organiser = builder_kit.as_organiser

# What the page is sent for each type beyond its wording, and an answer to give it.
BY_TYPE = {
    QuestionType.SHORT_TEXT: ({}, "Head of unit"),
    QuestionType.LONG_TEXT: ({}, "Trade policy\nand SMEs"),
    QuestionType.SINGLE_CHOICE: ({"options_en": "Portuguese\r\nFrench\r\n",
                                  "options_es": "Portugués\nFrancés"}, "portuguese"),
    QuestionType.MULTIPLE_CHOICE: ({"options_en": "Finance\nExports\nDigital",
                                    "options_es": "Finanzas\nExportación\nDigital"},
                                   ["finance", "digital"]),
    QuestionType.YES_NO: ({}, "yes"),
    QuestionType.RATING: ({"low_en": "Poor", "low_es": "Malo", "high_en": "Excellent",
                           "high_es": "Excelente"}, "5"),
    QuestionType.NUMBER: ({"minimum": "0", "maximum": "10"}, "7"),
    QuestionType.DATE: ({}, "2027-03-01"),
    QuestionType.COUNTRY: ({}, "BR"),
    QuestionType.FILE: ({}, None),
    QuestionType.INFO: ({"text_en": "Visa letters take two weeks.",
                         "text_es": "Las cartas de visa tardan dos semanas."}, None),
}
SHOWN_IN_SPANISH = {
    QuestionType.SHORT_TEXT: "Head of unit", QuestionType.LONG_TEXT: "Trade policy\nand SMEs",
    QuestionType.SINGLE_CHOICE: "Portugués", QuestionType.MULTIPLE_CHOICE: "Finanzas; Digital",
    QuestionType.YES_NO: "Sí", QuestionType.RATING: "5", QuestionType.NUMBER: "7",
    QuestionType.COUNTRY: "Brasil", QuestionType.FILE: "nombramiento.pdf",
}


def test_every_type_has_a_case():
    assert set(BY_TYPE) == set(QuestionType)


def _add(client, form_id, kind: QuestionType, section=2, **fields):
    extra, _answer = BY_TYPE[kind]
    data = {"section": str(section), "text_en": f"Asked as {kind.value}",
            "text_es": f"Preguntado como {kind.value}", "required": "y", **extra, **fields}
    return client.post(f"/forms/{form_id}/new-question?type={kind.value}&section={section}",
                       data=data)


@pytest.mark.parametrize("kind", list(QuestionType), ids=lambda k: k.value)
def test_each_type_is_added_through_the_pages_and_answered(app, as_organiser, form_id, kind):
    before = set(keys(form_id))
    page = as_organiser.get(f"/forms/{form_id}/new-question?section=2&type={kind.value}")
    assert page.status_code == 200
    response = _add(as_organiser, form_id, kind)
    assert response.status_code == 302, response.get_data(as_text=True)
    version = current(form_id)
    (key,) = set(keys(form_id)) - before
    question = next(q for q in version.questions if q.key == key)
    assert question.type is kind and question.section.position == 1
    assert question.text["es"].startswith("Preguntado") or kind is QuestionType.INFO
    assert question.required is kind.answered
    if kind is QuestionType.NUMBER:
        assert question.settings == {"min": 0, "max": 10}
    if kind is QuestionType.RATING:
        assert question.settings["high"] == {"en": "Excellent", "es": "Excelente"}
    if kind.has_options:
        assert [o.label["es"] for o in question.options][:2] in (["Portugués", "Francés"],
                                                                 ["Finanzas", "Exportación"])
    # A participant answers it in Spanish.
    _extra, answer = BY_TYPE[kind]
    data = {"q-role": "Analyst", "q-interpretation": "no"}
    files = None
    if kind is QuestionType.FILE:
        files = MultiDict({f"q-{key}": FileStorage(io.BytesIO(_pdf()), "nombramiento.pdf")})
    elif answer is not None:
        data[f"q-{key}"] = answer
    with app.test_request_context():
        version = current(form_id)
        asked = answering.ask(version, "es", formdata(data), files)
        assert asked.validate(), asked.errors
        saved = answering.save_response(version, asked)
        db.session.commit()
        shown = {a.key: a.value for a in reading.shown_answers(saved, "es", True)}
    if kind is QuestionType.DATE:
        assert "2027" in shown[key]
    elif kind is QuestionType.INFO:
        assert key not in shown
    else:
        assert shown[key] == SHOWN_IN_SPANISH[kind]


def test_a_required_question_left_empty_and_a_number_out_of_range_are_refused(
        app, as_organiser, form_id):
    assert _add(as_organiser, form_id, QuestionType.NUMBER).status_code == 302
    key = keys(form_id)[-1]
    with app.test_request_context():
        asked = answering.ask(current(form_id), "en", formdata({f"q-{key}": "11"}))
        assert not asked.validate()
        assert asked["role"].errors == ["Answer this question."]
        assert asked[key].errors


def test_editing_an_answered_form_makes_version_two_and_keeps_old_wording(
        app, as_organiser, form_id):
    with app.test_request_context():
        version = current(form_id)
        asked = answering.ask(version, "en", formdata(
            {"q-role": "Director", "q-interpretation": "yes", "q-language": "pt"}))
        assert asked.validate(), asked.errors
        first = answering.save_response(version, asked)
        db.session.commit()
        first_id = first.id
    page = as_organiser.get(f"/forms/{form_id}").get_data(as_text=True)
    assert "People already answered this form" in page and "Version 1" in page

    response = as_organiser.post(f"/forms/{form_id}/questions/role", data={
        "section": "1", "text_en": "Your position", "text_es": "Su cargo", "required": "y"})
    assert response.status_code == 302
    renamed = as_organiser.post(f"/forms/{form_id}/questions/language/options/pt",
                                data={"option-label_en": "Brazilian Portuguese"})
    assert renamed.status_code == 302
    editor = as_organiser.get(f"/forms/{form_id}").get_data(as_text=True)
    assert "Version 2" in editor and "Your position" in editor
    assert "Earlier answers keep the wording they were given under." in editor

    assert db.session.query(FormVersion).filter_by(form_id=form_id).count() == 2
    with app.test_request_context():
        old = {a.key: (a.question, a.value) for a in reading.shown_answers(
            db.session.get(FormResponse, first_id), "en", True)}
        assert old["role"] == ("Your role", "Director")
        assert old["language"][1] == "Portuguese"
        assert dict(reading.columns(db.session.get(Form, form_id), "en", True))["role"] == \
            "Your position"
    # Nobody answered version 2 yet: the next change is made in it, not in a version 3.
    as_organiser.post(f"/forms/{form_id}/sections", data={"section-title_en": "Travel"})
    assert current(form_id).number == 2 and len(current(form_id).sections) == 3


def _order(form_id):
    return [(q.section.position, q.key) for q in current(form_id).questions]


def test_questions_move_within_and_between_sections(as_organiser, form_id):
    url = f"/forms/{form_id}/questions"
    assert as_organiser.post(f"{url}/role/move", data={"direction": "down"}).status_code == 302
    assert keys(form_id) == ["interpretation", "role", "language", "nights"]
    # The last of section 1 moving down becomes the first of section 2, and back.
    as_organiser.post(f"{url}/language/move", data={"direction": "down"})
    assert _order(form_id)[-2:] == [(1, "language"), (1, "nights")]
    as_organiser.post(f"{url}/language/move", data={"direction": "up"})
    assert _order(form_id)[2] == (0, "language")
    # Through the question's page: into section 2, at its end.
    page = as_organiser.post(f"{url}/role", data={"section": "2", "text_en": "Your role",
                                                  "required": "y"})
    assert page.status_code == 302
    assert _order(form_id)[-1] == (1, "role")
    positions = [(q.section_position, q.position) for q in current(form_id).questions]
    assert positions == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_a_move_that_would_put_a_question_before_its_condition_is_refused(
        as_organiser, form_id):
    response = as_organiser.post(f"/forms/{form_id}/questions/language/move",
                                 data={"direction": "up"})
    assert response.status_code == 400
    assert "must come before it" in response.get_data(as_text=True)
    assert keys(form_id) == ["role", "interpretation", "language", "nights"]
    assert as_organiser.post(f"/forms/{form_id}/questions/nights/move",
                             data={"direction": "down"}).status_code == 400


def test_sections_are_added_renamed_moved_and_removed(as_organiser, form_id):
    base = f"/forms/{form_id}/sections"
    assert as_organiser.post(base, data={"section-title_en": "Travel",
                                         "section-title_es": "Viaje"}).status_code == 302
    assert [s.title.get("en") for s in current(form_id).sections] == \
        ["About you", "Logistics", "Travel"]
    assert as_organiser.get(f"{base}/3").status_code == 200
    assert as_organiser.post(f"{base}/3", data={"section-title_en": "Travel and visa",
                                                "section-title_fr": "Voyage"}).status_code == 302
    assert current(form_id).sections[2].title == {"en": "Travel and visa", "fr": "Voyage"}
    assert as_organiser.post(f"{base}/3/move", data={"direction": "up"}).status_code == 302
    assert [s.title.get("en") for s in current(form_id).sections] == \
        ["About you", "Travel and visa", "Logistics"]
    assert _order(form_id)[-1] == (2, "nights")
    # A section with questions stays until they are moved or removed.
    refused = as_organiser.post(f"{base}/3/remove")
    assert refused.status_code == 409 and "Move or remove the questions" in \
        refused.get_data(as_text=True)
    assert as_organiser.post(f"{base}/2/remove").status_code == 302
    assert len(current(form_id).sections) == 2


def test_options_are_added_renamed_moved_and_removed(as_organiser, form_id):
    base = f"/forms/{form_id}/questions/language/options"
    assert as_organiser.post(base, data={"option-label_en": "Spanish",
                                         "option-label_es": "Español"}).status_code == 302
    options = lambda: [(o.key, o.label.get("en")) for o in  # noqa: E731
                       next(q for q in current(form_id).questions if q.key == "language").options]
    assert options()[-1] == ("spanish", "Spanish")
    assert as_organiser.post(f"{base}/spanish/move", data={"direction": "up"}).status_code == 302
    assert [k for k, _ in options()] == ["pt", "spanish", "fr"]
    assert as_organiser.post(f"{base}/fr", data={"option-label_en": "Canadian French"}
                             ).status_code == 302
    assert options()[-1] == ("fr", "Canadian French")
    assert as_organiser.post(f"{base}/pt/remove").status_code == 302
    assert [k for k, _ in options()] == ["spanish", "fr"]
    page = as_organiser.get(f"/forms/{form_id}/questions/language").get_data(as_text=True)
    assert "Canadian French" in page and "Add an option" in page
    # A removed option's key is never given again (old answers are read by key).
    as_organiser.post(base, data={"option-label_en": "Portuguese"})
    assert options()[-1][0] not in ("pt", "spanish")


def test_conditions_are_chosen_among_earlier_questions(as_organiser, form_id):
    page = as_organiser.get(f"/forms/{form_id}/new-question?section=2&type=long_text")
    text = page.get_data(as_text=True)
    assert 'value="interpretation=yes"' in text and 'value="language=pt"' in text
    added = _add(as_organiser, form_id, QuestionType.LONG_TEXT,
                 condition=["language=pt", "language=fr"])
    assert added.status_code == 302
    question = current(form_id).questions[-1]
    assert (question.condition_key, question.condition_values) == ("language", ["pt", "fr"])
    editor = as_organiser.get(f"/forms/{form_id}").get_data(as_text=True)
    assert "Shown only after the answer “Portuguese / French” to “Into which language?”." in \
        editor
    # An option a condition waits for, or the question it waits on, cannot go.
    blocked = as_organiser.post(f"/forms/{form_id}/questions/language/options/pt/remove")
    assert blocked.status_code == 409 and "change its condition first" in \
        blocked.get_data(as_text=True)
    assert as_organiser.post(f"/forms/{form_id}/questions/language/remove").status_code == 409
    # Unticking the boxes asks the question always.
    assert as_organiser.post(f"/forms/{form_id}/questions/{question.key}", data={
        "section": "2", "text_en": "Why?"}).status_code == 302
    assert current(form_id).questions[-1].condition_key is None


def test_removing_a_question_asks_first(as_organiser, form_id):
    page = as_organiser.get(f"/forms/{form_id}/questions/nights/remove")
    assert "Remove “Nights of accommodation” from the form?" in page.get_data(as_text=True)
    assert as_organiser.post(f"/forms/{form_id}/questions/nights/remove").status_code == 302
    assert keys(form_id) == ["role", "interpretation", "language"]


@pytest.mark.parametrize("language,words", [("en", "Into which language?"),
                                            ("es", "¿A qué idioma?"),
                                            ("pt", "Into which language?"),
                                            ("fr", "Into which language?")])
def test_preview_in_each_language_saves_nothing(as_organiser, form_id, language, words):
    page = as_organiser.get(f"/forms/{form_id}/preview?lang={language}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert words in text and f'<div lang="{language}"' in text
    refused = as_organiser.post(f"/forms/{form_id}/preview?lang={language}",
                                data={"q-interpretation": "yes", "q-nights": "31"})
    assert refused.status_code == 400
    accepted = as_organiser.post(f"/forms/{form_id}/preview?lang={language}", data={
        "q-role": "Analyst", "q-interpretation": "yes", "q-language": "pt", "q-nights": "2"})
    assert accepted.status_code == 200
    assert "These answers would be accepted." in accepted.get_data(as_text=True)
    assert db.session.query(FormResponse).count() == 0


def test_spanish_preview_of_yes_no_is_in_spanish(as_organiser, form_id):
    text = as_organiser.get(f"/forms/{form_id}/preview?lang=es").get_data(as_text=True)
    assert "Sí" in text and "Preguntas de inscripción" in text


def test_the_title_is_saved_in_each_language(as_organiser, form_id):
    response = as_organiser.post(f"/forms/{form_id}/title", data={
        "title_en": "Questions for delegates", "title_pt": "Perguntas para delegados"})
    assert response.status_code == 302
    assert db.session.get(Form, form_id).title == {"en": "Questions for delegates",
                                                   "pt": "Perguntas para delegados"}


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_number_question_without_bounds_refuses_what_is_not_a_number(
        app, as_organiser, form_id, value):
    assert as_organiser.post(f"/forms/{form_id}/new-question?type=number&section=2", data={
        "section": "2", "text_en": "Years in post"}).status_code == 302
    key = keys(form_id)[-1]
    with app.test_request_context():
        asked = answering.ask(current(form_id), "en", formdata(
            {"q-role": "Analyst", f"q-{key}": value}))
        assert not asked.validate()
        assert asked[key].errors == ["Enter a number."]
