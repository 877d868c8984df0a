"""Issue 16, the organiser builds her event's registration questions, clicking only what is on
the screen from `/`: log in, open "Forms", open the event's questions, add a single-choice
question asked only after "yes" to interpretation (wording in English and Spanish, options one
per line), preview it in the other language, move it up, rename one of its options. In English
and Spanish; every page passes axe and fits the screen.

The link from the event's own dashboard to its forms is another helper's work in issue 16; this
journey reaches the editor through the "Forms" link of the navigation.
"""

import re

import pytest

from elearn.extensions import db
from elearn.forms import building
from elearn.forms.models import Form, FormPurpose
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD
from tests.forms.builder_kit import SMALL

NEW_EN, NEW_ES = "Which interpretation booth?", "¿Qué cabina de interpretación?"
OTHER = {"en": ("es", "Español"), "es": ("en", "English")}


def _group(j, name):
    return j.page.get_by_role("group", name=name, exact=False)


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_organiser_builds_registration_questions(browser, live_server, app, make_user,
                                                 make_event, language, width):
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    event = make_event(olga, title_en="Digital trade workshop",
                       title_es="Taller de comercio digital")
    form = building.from_definition(SMALL, FormPurpose.REGISTRATION, "event", event.id)
    db.session.commit()
    form_id = form.id
    j = Journey(browser, live_server, language=language, width=width).start()
    _ = j._

    j.log_in(olga.email, PASSWORD)
    j.click_link("Forms")
    j.click_link(SMALL["title"][language])
    assert j.sees("Sections and questions")

    # A new single-choice question in section 1, asked only after "yes" to interpretation.
    j.click_link(_("Add a question to section %(n)s") % {"n": 1})
    j.page.get_by_label(_("Single choice"), exact=True).check()
    j.click_button("Next")
    english, spanish = _group(j, "English"), _group(j, "Español")
    english.get_by_label(_("Question"), exact=True).fill(NEW_EN)
    english.get_by_label(_("Options, one per line")).fill("Portuguese\nFrench")
    spanish.get_by_label(_("Question"), exact=True).fill(NEW_ES)
    spanish.get_by_label(_("Options, one per line")).fill("Portugués\nFrancés")
    j.check_box("An answer is required")
    interpretation = SMALL["sections"][0]["questions"][1]["text"][language]
    _group(j, interpretation).get_by_label(_("Yes"), exact=True).check()
    j.click_button("Add the question")
    assert j.sees("Question added.")
    assert j.sees(NEW_EN if language == "en" else NEW_ES)
    assert j.sees(_("Shown only after the answer “%(values)s” to “%(question)s”.")
                  % {"values": _("Yes"), "question": interpretation})

    # The preview, then in the other language.
    j.click_link("Preview")
    assert j.sees(NEW_EN if language == "en" else NEW_ES)
    other, other_name = OTHER[language]
    j.click_link(re.compile(f"^{other_name}$"))  # a language's own name, never translated
    assert j.sees(NEW_EN if other == "en" else NEW_ES)
    # Content in the other language, as written (a pattern: never looked up in the catalogue).
    assert j.sees(re.compile("Francés" if other == "es" else "French"))
    j.click_link("Back to the editor")

    # Move it above the language question (both wait for "yes" to interpretation).
    key = db.session.get(Form, form_id).current_version.questions[3].key
    db.session.rollback()
    item = j.page.locator(f"#q-{key}")
    j.click_button("Move up", within=item, exact=False)
    db.session.expire_all()
    assert [q.key for q in db.session.get(Form, form_id).current_version.questions][2] == key
    db.session.rollback()

    # Rename an option from the question's page.
    j.click_link("Edit", within=j.page.locator(f"#q-{key}"), exact=False)
    assert j.sees("Options")
    j.click_link("Rename", within=j.page.locator("#option-french"), exact=False)
    _group(j, "Español").get_by_label(_("Option"), exact=True).fill("Francés de Canadá")
    _group(j, "English").get_by_label(_("Option"), exact=True).fill("Canadian French")
    j.click_button("Save")
    assert j.sees("Option saved.")
    assert j.sees("Canadian French" if language == "en" else "Francés de Canadá")
    j.assert_clean()
    j.close()
