"""Issue 18: a page shown in Spanish, Portuguese or French has no English interface text left.

With the demo loaded, an admin (who sees the most) reads every simple page and the main pages of
an event, an edition, the hackathon and the programme in each language. The interface is what
the extracted catalogue says it is: any English msgid of three words or more whose translation
differs, found in the page's visible text, is interface left in English. Content (titles and
descriptions written by people) is not in the catalogue, so it does not count."""

import re
from html import unescape

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from elearn.demo import populate
from elearn.extensions import db

from .test_smoke import _demo_password, _parameterless_get_urls
from .test_translations import TRANSLATIONS

TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
SPACES = re.compile(r"\s+")


def _visible_text(html: str) -> str:
    return SPACES.sub(" ", unescape(TAGS.sub(" ", html)))


def _english_phrases(language: str) -> list[str]:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    phrases = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%" in message.id:
            continue
        text = SPACES.sub(" ", TAGS.sub(" ", message.id)).strip()
        if len(text.split()) >= 3 and message.string and message.string.strip() != text:
            phrases.append(text)
    return phrases


def _main_urls(app) -> list[str]:
    from elearn.courses.models import Edition
    from elearn.events.models import Event, EventStatus
    from elearn.hackathons.models import Hackathon
    from elearn.programme.models import Activity

    event = db.session.scalar(select(Event).where(Event.status == EventStatus.PUBLISHED)
                              .order_by(Event.id).limit(1))
    edition = db.session.scalar(select(Edition).order_by(Edition.id).limit(1))
    hackathon = db.session.scalar(select(Hackathon).limit(1))
    activity = db.session.scalar(select(Activity).order_by(Activity.id).limit(1))
    found = [f"/events/{event.id}", f"/organise/events/{event.id}",
             f"/programme/activities/{activity.id}"]
    from flask import url_for
    with app.test_request_context():
        for endpoint, args in [("courses.edition", {"edition_id": edition.id}),
                               ("hackathons.detail", {"hackathon_id": hackathon.id})]:
            if endpoint in app.view_functions:
                found.append(url_for(endpoint, **args))
    return found


@pytest.fixture(scope="module")
def phrases():
    return {lang: _english_phrases(lang) for lang in ("es", "pt", "fr")}


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_no_english_interface_text_on_the_main_pages(app, client, login, phrases, language):
    from elearn.accounts.models import Role, User, UserRole

    populate()
    admin = db.session.scalar(select(User).join(UserRole).where(UserRole.role == Role.ADMIN)
                              .limit(1))
    admin.preferred_language = language
    db.session.commit()
    login(admin, password=_demo_password())
    left = {}
    urls = _parameterless_get_urls(app) + _main_urls(app)
    for url in urls:
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text = _visible_text(response.get_data(as_text=True))
        english = [p for p in phrases[language] if p in text]
        if english:
            left[url] = english[:5]
    assert len(urls) > 30
    assert not left, f"English interface text in {language}: {left}"
