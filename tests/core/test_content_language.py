"""Content is written in any of the site's languages (issue 18 point 2): a reader sees their
own language, else the object's main language with a visible note of that language (issue 13
point 10), in text and in attributes alike (the `localised` filter)."""

from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

from elearn.extensions import db
from elearn.multilingual import Texts, noted_in, text_in
from elearn.programme.services import load_programme

TEMPLATE = '<h1>{{ obj|localised("title") }}</h1><a aria-label="{{ obj|localised("title") }}">x</a>'


@pytest.mark.parametrize("language,main,title,expected", [
    ("es", "es", {"en": "Workshop", "es": "Taller"}, "Taller"),
    ("en", "es", {"en": "Workshop", "es": "Taller"}, "Workshop"),
    ("pt", "es", {"en": "Workshop", "es": "Taller", "pt": "Oficina"}, "Oficina"),
    ("fr", "es", {"es": "Taller", "fr": "Atelier"}, "Atelier"),
    ("es", "en", {"en": "Workshop"}, "Workshop (en inglés)"),
    ("en", "es", {"es": "Taller"}, "Taller (in Spanish)"),
    # Not in the reader's language: the MAIN language's text, not English first.
    ("pt", "es", {"en": "Workshop", "es": "Taller"}, "Taller (em espanhol)"),
    ("fr", "es", {"en": "Workshop", "es": "Taller"}, "Taller (en espagnol)"),
    ("fr", "en", {"en": "Workshop", "es": "Taller"}, "Workshop (en anglais)"),
    ("pt", "en", {"en": "Workshop", "es": "Taller"}, "Workshop (em inglês)"),
    # The main language missing too: whatever text there is, with its note.
    ("en", "pt", {"es": "Taller"}, "Taller (in Spanish)"),
    ("en", "es", {}, ""),
])
def test_a_title_in_another_language_says_so(app, language, main, title, expected):
    obj = SimpleNamespace(title=Texts(title), main_language=main)
    with app.test_request_context("/"), force_locale(language):
        html = render_template_string(TEMPLATE, obj=obj)
    assert html == f'<h1>{expected}</h1><a aria-label="{expected}">x</a>'


def test_exports_and_certificates_print_the_text_without_a_note(app):
    texts = {"es": "Taller", "en": "Workshop"}
    with app.test_request_context("/"):
        assert text_in(texts, "pt", "es") == "Taller"
        assert text_in(texts, "pt", "en") == "Workshop"
        assert noted_in(texts, "pt", "es") == "Taller (em espanhol)"


def test_a_texts_value_turned_into_a_string_raises(app):
    title = Texts({"en": "Workshop", "es": "Taller"})
    with pytest.raises(TypeError):
        str(title)
    with pytest.raises(TypeError):
        f"{title}"  # noqa: B018 - the f-string itself is what raises
    with app.test_request_context("/"), pytest.raises(TypeError):
        render_template_string("<h1>{{ title }}</h1>", title=title)


def test_an_event_page_in_spanish_notes_an_english_only_title(client, make_event, make_user):
    event = make_event(make_user(roles=["organiser"]), title_en="Port logistics forum",
                       title_es=None, language="en")
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert "Port logistics forum (en inglés)" in page.get_data(as_text=True)


def test_an_event_written_only_in_spanish_is_noted_for_pt_and_fr_readers(client, make_event,
                                                                        make_user):
    event = make_event(make_user(roles=["organiser"]), title_en=None,
                       title_es="Taller regional de logística", language="es")
    for language, note in (("pt-BR", "(em espanhol)"), ("fr", "(en espagnol)")):
        page = client.get(f"/events/{event.id}", headers={"Accept-Language": language})
        assert page.status_code == 200
        assert f"Taller regional de logística {note}" in page.get_data(as_text=True), language


def test_a_portuguese_reader_of_the_programme_sees_portuguese_titles(client):
    load_programme()
    db.session.commit()
    html = client.get("/programme/", headers={"Accept-Language": "pt-BR"}).get_data(as_text=True)
    assert '<html lang="pt">' in html
    assert "Recuperação econômica" in html and "Digitalização e infraestrutura" in html
    assert "Segunda edição do Diploma com enfoque de gênero" in html
    assert "Recuperación económica" not in html and "(em espanhol)" not in html
    html = client.get("/programme/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Relance économique" in html and "Numérisation et infrastructures" in html
