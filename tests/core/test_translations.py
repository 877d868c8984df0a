"""English and Spanish are complete: every string marked in the code has a Spanish translation,
and the Portuguese and French catalogues cover at least the navigation, accounts and programme."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "elearn" / "translations"
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
METHODS = [("elearn/**.py", "python"), ("templates/**.html", "jinja2"),
           ("templates/**.txt", "jinja2")]


def _extracted() -> dict[str, set[str]]:
    """msgid -> files it appears in, read from the source as `make translations-extract` does."""
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, set()).add(filename)
    return found


def _catalog(language: str):
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        pytest.fail(f"missing catalogue {path}")
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


def _untranslated(catalog, msgids):
    missing = []
    for msgid in msgids:
        message = catalog.get(msgid)
        text = message.string if message else None
        if isinstance(text, tuple | list):
            text = all(text)
        if not message or not text or message.fuzzy:
            missing.append(msgid)
    return missing


def test_spanish_is_complete(extracted):
    missing = _untranslated(_catalog("es"), extracted)
    assert not missing, f"{len(missing)} strings lack Spanish: {sorted(missing)[:20]}"


@pytest.mark.parametrize("language", ["pt", "fr"])
def test_portuguese_and_french_cover_navigation_accounts_and_programme(extracted, language):
    core = {m for m, files in extracted.items()
            if any(f.startswith(("templates/base.html", "templates/accounts", "templates/programme",
                                 "elearn/accounts", "elearn/programme"))
                   for f in files)}
    missing = _untranslated(_catalog(language), core)
    assert not missing, f"{len(missing)} core strings lack {language}: {sorted(missing)[:20]}"


def test_a_page_is_served_in_spanish(client):
    response = client.get("/", headers={"Accept-Language": "es"})
    assert b"Programa de trabajo" in response.data
