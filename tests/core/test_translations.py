"""Four interface languages, complete: every string marked in the code has a Spanish, Portuguese
and French translation, none fuzzy, and no catalogue keeps entries the code no longer has."""

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


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_every_string_is_translated(extracted, language):
    missing = _untranslated(_catalog(language), extracted)
    assert not missing, f"{len(missing)} strings lack {language}: {sorted(missing)[:20]}"


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_no_entry_is_obsolete(extracted, language):
    catalog = _catalog(language)
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id)
    stale = [m for m in stale if m not in extracted]
    count = len(stale) + len(catalog.obsolete)
    assert not count, f"{count} entries of {language} are not in the code: {stale[:20]}"


def test_plural_forms_are_all_filled(extracted):
    for language in ("es", "pt", "fr"):
        catalog = _catalog(language)
        short = [m.id[0] for m in catalog if isinstance(m.id, tuple)
                 and (len(m.string) != catalog.num_plurals or not all(m.string))]
        assert not short, f"{language}: plural entries missing forms: {short[:10]}"


def test_a_page_is_served_in_spanish(client):
    response = client.get("/", headers={"Accept-Language": "es"})
    assert b"Programa de trabajo" in response.data
