"""Forms for multilingual content: one input per language for each multilingual field, named
`<field>_<language>` (title_en, title_es, title_pt, title_fr), shown in one fieldset per
language by the `language_fieldsets` macro (templates/macros/forms.html).

Only the main language (the event's or edition's language) is required; the others are
optional and a page shows the main text with a note where one is missing.

    class EventForm(FlaskForm):
        ...
    add_language_fields(EventForm, "title", StringField, _l("Title"),
                        [Length(max=400), SingleLine()])
    ...
    event.title = texts_from(form, "title")        # on POST
    fill_language_fields(form, "title", event.title)   # on GET
    require_main_language(form, ("title",), form.language.data)  # in validate()
"""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms.validators import Optional

from elearn.multilingual import LANGUAGE_NAMES, clean_texts

# A language's name inside a sentence or a label, in the reader's language.
LANGUAGE_IN_WORDS = {"en": _l("English"), "es": _l("Spanish"), "pt": _l("Portuguese"),
                     "fr": _l("French")}


class LanguageLabel:
    """"Title (Portuguese)", in the reader's language, built when the form is shown."""

    def __init__(self, what, language: str):
        self.what, self.language = what, language

    def __str__(self) -> str:
        return gettext("%(what)s (%(language)s)", what=str(self.what),
                       language=str(LANGUAGE_IN_WORDS.get(self.language, self.language)))

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


def add_language_fields(form_class, field: str, field_type, label, validators=(), **kwargs):
    """Add one optional input per language to form_class; `require_main_language` makes the
    main one required when the form is checked."""
    for lang in LANGUAGE_NAMES:
        setattr(form_class, f"{field}_{lang}",
                field_type(LanguageLabel(label, lang), validators=[Optional(), *validators],
                           **kwargs))
    return form_class


def language_inputs(form, field: str) -> dict:
    return {lang: form[f"{field}_{lang}"] for lang in LANGUAGE_NAMES
            if f"{field}_{lang}" in form}


def texts_from(form, field: str) -> dict:
    """The texts typed in each language, stripped, empty ones left out."""
    return clean_texts({lang: inp.data for lang, inp in language_inputs(form, field).items()})


def fill_language_fields(form, field: str, texts: dict | None) -> None:
    for lang, inp in language_inputs(form, field).items():
        inp.data = (texts or {}).get(lang, "")


def require_main_language(form, fields, main: str | None) -> bool:
    """Each field in `fields` needs a text in the main language; adds the error beside that
    input. True when all are there."""
    main = main if main in LANGUAGE_NAMES else "es"
    ok = True
    for field in fields:
        inp = language_inputs(form, field).get(main)
        if inp is not None and not (inp.data or "").strip():
            inp.errors = [*inp.errors, gettext(
                "Required in %(language)s, the main language.",
                language=str(LANGUAGE_IN_WORDS[main]))]
            ok = False
    return ok
