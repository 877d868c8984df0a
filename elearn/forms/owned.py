"""What an owner's pages ask of a form's answers — one person's answers as a viewer may read
them, the list filtered by an answer, the export's columns — the same for an event's
registration questions and an edition's application questions."""

import re

from elearn.accounts.permissions import can

from . import reading
from .models import Form, FormResponse

_CHOICE = re.compile(r"[a-z0-9_]{1,40}=[A-Za-z0-9_]{1,40}")


def answers_for(response: FormResponse | None, language: str, viewer,
                own: bool) -> list[reading.ShownAnswer]:
    """The answers as the viewer may read them: the person all of theirs, others the
    sensitive ones only when the form's rule says so."""
    if response is None:
        return []
    return reading.shown_answers(
        response, language, own or bool(can(viewer, "read_sensitive", response.version.form)))


def choices_for(form: Form | None, language: str, with_sensitive: bool):
    return reading.filter_choices(form, language, with_sensitive) if form is not None else []


def filter_for(form: Form | None, choice: str, with_sensitive: bool):
    """A SELECT of the response ids answering `choice` ("key=value"), or None when it is not
    one of the filters this viewer may use (unknown, or about a sensitive question)."""
    if form is None or not _CHOICE.fullmatch(choice or ""):
        return None
    allowed = {key for key, _label in reading.filter_choices(form, "en", with_sensitive)}
    if choice not in allowed:
        return None
    key, value = choice.split("=", 1)
    return reading.responses_answering(form, key, value)


def export_for(form: Form | None, response_ids: list[str], language: str,
               viewer) -> tuple[list[tuple[str, str]], dict[str, dict]]:
    """(columns, {response id: {key: value}}): one column per question, sensitive ones only
    for those who may read them."""
    if form is None or viewer is None:
        return [], {}
    with_sensitive = bool(can(viewer, "read_sensitive", form))
    return (reading.columns(form, language, with_sensitive),
            reading.values(response_ids, language, with_sensitive))
