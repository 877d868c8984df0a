"""Reading a form's multilingual texts ({"en": ..., "es": ...}) in the reader's language."""

FALLBACK = "en"


def in_language(texts: dict | None, language: str) -> str:
    """The text in `language`, else English, else whichever language it was written in."""
    if not texts:
        return ""
    for lang in (language, FALLBACK):
        if texts.get(lang):
            return texts[lang]
    return next((value for value in texts.values() if value), "")


def written_languages(texts: dict | None) -> list[str]:
    return [lang for lang, value in (texts or {}).items() if value]
