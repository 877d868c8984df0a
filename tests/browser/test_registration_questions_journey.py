"""Registration questions in a browser (issue 16 point 2), clicking only what is on the screen
from `/`: Olga opens her event's dashboard and adds registration questions; Ana registers from
the catalogue, is first told beside the question that it needs an answer, answers it and is
registered; Olga filters her list by that answer and finds Ana. In English and Spanish; every
page passes axe and fits the screen.

The form editor is another helper's work: the question itself is written here through
`building`, as the editor would save it, once Olga has reached the editor's page."""

from datetime import UTC, datetime, timedelta

import pytest

from elearn.events.models import Event, EventMode, Registration
from elearn.extensions import db
from elearn.forms.models import FormQuestion, QuestionOption, QuestionType
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD

TITLE_EN, TITLE_ES = "Regional workshop on SME export finance", "Taller regional de financiamiento"


def write_question(event_id: int) -> None:
    """What the editor saves: one required single-choice question in the empty section."""
    db.session.expire_all()
    version = db.session.get(Event, event_id).registration_form.current_version
    question = FormQuestion(
        version=version, section=version.sections[0], section_position=0, position=0,
        key="interpretation", type=QuestionType.SINGLE_CHOICE, required=True,
        text={"en": "Do you need interpretation?", "es": "¿Necesita interpretación?"})
    for position, (key, en, es) in enumerate([("pt", "Portuguese", "Portugués"),
                                              ("fr", "French", "Francés"),
                                              ("none", "No", "No")]):
        question.options.append(QuestionOption(position=position, key=key,
                                               label={"en": en, "es": es}))
    db.session.add(question)
    db.session.commit()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_questions_asked_answered_and_filtered(browser, live_server, make_user, make_event,
                                               language, width):
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    ana = make_user(email="ana@mincomercio.example", full_name="Ana Pérez",
                    preferred_language=language)
    event = make_event(olga, starts_at=datetime.now(UTC) + timedelta(days=10),
                       mode=EventMode.VIRTUAL, capacity_online=20, title_en=TITLE_EN,
                       title_es=TITLE_ES)
    title = TITLE_ES if language == "es" else TITLE_EN
    portuguese = "Portugués" if language == "es" else "Portuguese"
    question = "¿Necesita interpretación?" if language == "es" else "Do you need interpretation?"

    j = Journey(browser, live_server, language=language, width=width).start()
    k = Journey(browser, live_server, language=language, width=width).start()
    try:
        # Olga: her event's dashboard, "Add registration questions" -> the editor.
        j.log_in(olga.email, PASSWORD)
        j.click_link("Events")
        j.click_link("My events as organiser")
        j.click_link(title)
        assert j.sees("Registration questions")
        j.click_button("Add registration questions")
        assert "/forms/" in j.page.url
        write_question(event.id)

        # Ana: from the catalogue, register without answering, then with the answer.
        k.log_in(ana.email, PASSWORD)
        k.click_link("Events")
        k.click_link(title)
        k.click_button("Register")
        error = k.page.locator("#q-interpretation-error")
        assert error.is_visible() and k._("Answer this question.") in error.inner_text()
        # Beside its question: inside the same block as the question's legend.
        block = k.page.locator(".question.has-error")
        assert question in block.inner_text()
        assert db.session.query(Registration).count() == 0
        k.page.get_by_label(portuguese, exact=True).check()
        k.click_button("Register")
        assert k.sees("You are registered. A confirmation is on its way.")
        assert k.sees("Your answers") and k.sees(portuguese)

        # Olga: back to her dashboard, filter by the answer.
        j.click_link("Events")
        j.click_link("My events as organiser")
        j.click_link(title)
        j.select("Answer", option_label=f"{question}: {portuguese}", exact=True)
        j.click_button("Filter", within=j.page.locator("form.filter-bar"))
        listing = j.page.locator("table", has_text=ana.full_name)
        assert listing.count() == 1
        j.click_link(ana.full_name)
        assert j.sees(question) and j.sees(portuguese)
        j.assert_clean()
        k.assert_clean()
    finally:
        j.close()
        k.close()
