"""Content written in any of the site's languages: titles, descriptions, summaries, rules.

Each multilingual field is one JSON column holding an object with one key per language that
has a text ({"es": "Taller…", "en": "Workshop…", "pt": "Oficina…"}); an absent or empty key
means "not written in that language". Adding a language is a new key (and an entry in
LANGUAGE_NAMES), not a migration per table.

Every object with such fields names its `main_language` (an event's or edition's language, the
work programme's Spanish): the text that must exist. A reader sees their own language, else the
main language with a visible note ("(in Spanish)"), else whatever language has a text.

A value is a `Texts` (a dict that tracks changes in place). Turning one into a string raises:
a leftover `f"{event.title}"` or `{{ event.title }}` fails loudly in tests instead of printing
"{'en': …}" on a page or a certificate. Read texts with `text_in`, `noted_in`, a model's
`text()` / `text_noted()`, or the templates' `localised` filter.
"""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, func
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import mapped_column

# The languages content can be written in, in the order forms show them. The interface's
# languages (config LANGUAGES) are the same list.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"}

# What a reader sees after a text shown in another language than the page's.
IN_LANGUAGE_NOTES = {
    "en": _l("(in English)"),
    "es": _l("(in Spanish)"),
    "pt": _l("(in Portuguese)"),
    "fr": _l("(in French)"),
}


class Texts(MutableDict):
    """One field's texts by language. Mutations in place (`t["pt"] = …`) are saved."""

    def __str__(self):
        raise TypeError("multilingual text: pick a language with text_in() or |localised")

    def __format__(self, spec):  # f-strings too
        raise TypeError("multilingual text: pick a language with text_in() or |localised")

    @classmethod
    def coerce(cls, key, value):
        if value is None or isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(value)
        return super().coerce(key, value)


def texts_column(**kwargs):
    """A multilingual field: a JSON object by language, never NULL (an empty object)."""
    return mapped_column(Texts.as_mutable(JSON), nullable=False, default=dict, **kwargs)


def clean_texts(texts: dict | None) -> dict:
    """Stripped non-empty texts of known languages, in LANGUAGE_NAMES order."""
    texts = texts or {}
    out = {}
    for lang in LANGUAGE_NAMES:
        value = texts.get(lang)
        if isinstance(value, str) and value.strip():
            out[lang] = value.strip()
    return out


def pick(texts: dict | None, language: str, main: str = "es") -> tuple[str, str | None]:
    """(text, the language it is in when that is not `language`, else None). Order: the
    reader's language, the main language, English, Spanish, any other."""
    texts = texts or {}
    if texts.get(language):
        return texts[language], None
    for other in (main, "en", "es", *LANGUAGE_NAMES):
        if other != language and texts.get(other):
            return texts[other], other
    return "", None


def reader_language() -> str:
    return str(get_locale() or "en")


def text_in(texts: dict | None, language: str | None = None, main: str = "es") -> str:
    """The text in `language` (the reader's by default), else the fallback, with no note:
    what a certificate, a calendar entry or an export prints."""
    return pick(texts, language or reader_language(), main)[0]


def noted_in(texts: dict | None, language: str | None = None, main: str = "es") -> str:
    """The text as a page shows it: "Taller regional (in Spanish)" when not in `language`."""
    language = language or reader_language()
    text, other = pick(texts, language, main)
    if other:
        from flask_babel import force_locale

        with force_locale(language):
            return f"{text} {IN_LANGUAGE_NOTES[other]}" if other in IN_LANGUAGE_NOTES else text
    return text


def sql_text(column, language: str, main: str = "es"):
    """A SQL expression of the text in `language`, else `main`, else English: for ORDER BY
    and searches (JSON extraction works on SQLite and PostgreSQL alike)."""
    parts = [column[lang].as_string() for lang in dict.fromkeys((language, main, "en"))]
    return func.coalesce(*parts, "")


def texts_of(en: str | None = None, es: str | None = None, **others) -> dict:
    """Texts from keyword arguments, empty ones left out: texts_of(en="Workshop", es="Taller")."""
    return clean_texts({"en": en, "es": es, **others})


class Multilingual:
    """For models with multilingual fields, listed in `__multilingual__`. `main_language` says
    which text must exist; by default the model's `language` column, else Spanish.

    The constructor also takes one keyword per field and language, as the forms name their
    inputs: Event(title_en="Workshop", title_es="Taller") is Event(title={"en": …, "es": …}).
    """

    __multilingual__: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        for field in self.__multilingual__:
            given = kwargs.get(field)
            if isinstance(given, str):
                raise TypeError(f"{field} is multilingual: give {field}_en=, {field}_es=, … "
                                "or a dict by language")
            by_language = dict(given or {})
            for lang in LANGUAGE_NAMES:
                value = kwargs.pop(f"{field}_{lang}", None)
                if value is not None:
                    by_language[lang] = value
            if by_language or field in kwargs:
                kwargs[field] = clean_texts(by_language)
        super().__init__(**kwargs)

    @property
    def main_language(self) -> str:
        return getattr(self, "language", None) or "es"

    def text(self, field: str, language: str | None = None) -> str:
        return text_in(getattr(self, field), language, self.main_language)

    def text_noted(self, field: str, language: str | None = None) -> str:
        return noted_in(getattr(self, field), language, self.main_language)
