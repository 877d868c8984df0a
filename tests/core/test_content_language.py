"""Content written in one language only is shown with a visible note of its language
(issue 13 point 10), in text and in attributes alike (the `localised` filter)."""

from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

TEMPLATE = '<h1>{{ obj|localised("title") }}</h1><a aria-label="{{ obj|localised("title") }}">x</a>'


@pytest.mark.parametrize("language,title_en,title_es,expected", [
    ("es", "Workshop", "Taller", "Taller"),
    ("en", "Workshop", "Taller", "Workshop"),
    ("es", "Workshop", None, "Workshop (en inglés)"),
    ("en", None, "Taller", "Taller (in Spanish)"),
    ("pt", "Workshop", "Taller", "Workshop (em inglês)"),
    ("en", None, None, ""),
])
def test_a_title_in_another_language_says_so(app, language, title_en, title_es, expected):
    obj = SimpleNamespace(title_en=title_en, title_es=title_es)
    with app.test_request_context("/"), force_locale(language):
        html = render_template_string(TEMPLATE, obj=obj)
    assert html == f'<h1>{expected}</h1><a aria-label="{expected}">x</a>'


def test_an_event_page_in_spanish_notes_an_english_only_title(client, make_event, make_user):
    event = make_event(make_user(roles=["organiser"]), title_en="Port logistics forum",
                       title_es=None)
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert "Port logistics forum (en inglés)" in page.get_data(as_text=True)
