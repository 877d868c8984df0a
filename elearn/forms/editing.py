"""Changing a form from the builder's pages: its title, sections, questions and options.

Every change starts with `building.editable_version(form)`: while nobody has answered the
current version it is changed in place, otherwise a copy (same keys) becomes current and the
earlier answers keep the wording they were given under. Rows are copied then, so callers name
sections by their number in the form (1, 2, ...), questions by key and options by key — never
by row id — and every function here resolves them again in the version it changes.

A refused change raises `EditRefused` (with the message for the page) after possibly having
flushed a new version: the caller rolls the session back, so nothing is half-written.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from elearn.extensions import db

from .building import editable_version, new_key
from .models import (
    Form,
    FormQuestion,
    FormResponse,
    FormSection,
    FormVersion,
    QuestionOption,
    QuestionType,
)
from .texts import FALLBACK, in_language

LANGUAGES = ("en", "es", "pt", "fr")
MAX_QUESTIONS = 200
MAX_OPTIONS = 50
MAX_SECTIONS = 50
# The answers a condition can wait for: options of a choice question, or yes / no.
CONDITION_SOURCES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
                     QuestionType.YES_NO)
YES_NO_VALUES = ("yes", "no")


class EditRefused(Exception):
    def __init__(self, message, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


@dataclass
class QuestionValues:
    """What the question page sends, already checked field by field."""
    type: QuestionType
    section: int                       # 1-based number of the section it goes in
    text: dict
    help: dict = field(default_factory=dict)
    required: bool = False
    sensitive: bool = False
    settings: dict = field(default_factory=dict)
    condition_key: str | None = None
    condition_values: list | None = None
    options: list[dict] = field(default_factory=list)   # new questions only: labels in order


# --- reading a version ------------------------------------------------------------------------

def main_language(form: Form) -> str:
    """The language a form is written in first: English when its title has it (or is empty),
    else the first language its title is written in."""
    written = [lang for lang, text in (form.title or {}).items() if text and lang in LANGUAGES]
    return FALLBACK if not written or FALLBACK in written else written[0]


def ordered_questions(version: FormVersion) -> list[FormQuestion]:
    return [q for section in version.sections for q in section.questions]


def section_at(version: FormVersion, number: int) -> FormSection | None:
    sections = list(version.sections)
    return sections[number - 1] if 1 <= number <= len(sections) else None


def question_by_key(version: FormVersion, key: str) -> FormQuestion | None:
    return next((q for q in version.questions if q.key == key), None)


def option_by_key(question: FormQuestion, key: str) -> QuestionOption | None:
    return next((o for o in question.options if o.key == key), None)


def answered(form: Form) -> bool:
    """Whether anybody answered any version: then edits apply to new answers only."""
    return bool(db.session.scalar(select(exists().where(
        FormResponse.version_id == FormVersion.id, FormVersion.form_id == form.id))))


def condition_sources(version: FormVersion, question_key: str | None) -> list[FormQuestion]:
    """Questions another one may depend on (choice or yes/no), in form order, itself excluded."""
    return [q for q in ordered_questions(version)
            if q.type in CONDITION_SOURCES and q.key != question_key]


def values_of(question: FormQuestion) -> list[str]:
    if question.type is QuestionType.YES_NO:
        return list(YES_NO_VALUES)
    return [o.key for o in question.options]


# --- keys -------------------------------------------------------------------------------------

def _slug(text: str, limit: int = 24) -> str:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:limit].strip("_")


def _fresh_key(used: set[str], text: str, prefix: str) -> str:
    """A readable key (from the wording) that no version of this form holds: a key names the
    same question (or option) in every version, so the key of one removed after people
    answered is not given again."""
    base = _slug(text) or new_key(prefix)
    key, n = base, 2
    while key in used:
        key = f"{base}_{n}"
        n += 1
    used.add(key)
    return key


def _question_keys_ever(form: Form) -> set[str]:
    return set(db.session.scalars(select(FormQuestion.key).join(FormVersion).where(
        FormVersion.form_id == form.id)))


def _option_keys_ever(form: Form, question_key: str) -> set[str]:
    return set(db.session.scalars(
        select(QuestionOption.key).join(FormQuestion).join(FormVersion).where(
            FormVersion.form_id == form.id, FormQuestion.key == question_key)))


# --- checks run after a change, before anything is committed ----------------------------------

def check_conditions(version: FormVersion, language: str) -> None:
    """Every condition waits for an answer to an earlier choice or yes/no question, with
    answers that question has."""
    seen: dict[str, FormQuestion] = {}
    for q in ordered_questions(version):
        if q.condition_key:
            source = seen.get(q.condition_key)
            name = in_language(q.text, language)
            if source is None:
                later = question_by_key(version, q.condition_key)
                if later is None:
                    raise EditRefused(_l("“%(question)s” is shown after an answer to a question "
                                         "that is no longer in the form.", question=name))
                raise EditRefused(_l(
                    "“%(question)s” is shown only after an answer to “%(earlier)s”, which "
                    "must come before it.", question=name,
                    earlier=in_language(later.text, language)))
            if source.type not in CONDITION_SOURCES:
                raise EditRefused(_l("A question can only wait for the answer to a choice or "
                                     "yes/no question."))
            wanted = set(q.condition_values or [])
            if not wanted or not wanted <= set(values_of(source)):
                raise EditRefused(_l("Choose the answers to “%(earlier)s” that show "
                                     "“%(question)s”.", question=name,
                                     earlier=in_language(source.text, language)))
        seen[q.key] = q


def _renumber(version: FormVersion) -> None:
    for s_pos, section in enumerate(version.sections):
        section.position = s_pos
        for q_pos, question in enumerate(section.questions):
            question.section_position = s_pos
            question.position = q_pos


def _refuse_dependants(version: FormVersion, key: str, language: str,
                       option_key: str | None = None) -> None:
    found = [q for q in version.questions if q.condition_key == key
             and (option_key is None or option_key in (q.condition_values or []))]
    if found:
        raise EditRefused(_l("“%(question)s” is shown only after this answer: change its "
                             "condition first.", question=in_language(found[0].text, language)),
                          409)


def _deleted(version: FormVersion, row) -> None:
    """Delete a section or question and read the version's lists again (taking a row out of
    a list first would make the flush write its parent id as NULL)."""
    db.session.delete(row)
    db.session.flush()
    db.session.expire(version, ["sections", "questions"])
    for section in version.sections:
        db.session.expire(section, ["questions"])


def _no_autoflush(edit):
    """Rows are moved between lists in several steps; a flush half-way (set off by reading a
    list) would write a question without its section."""
    @functools.wraps(edit)
    def wrapped(*args, **kwargs):
        with db.session.no_autoflush:
            return edit(*args, **kwargs)
    return wrapped


def _section(version: FormVersion, number: int) -> FormSection:
    section = section_at(version, number)
    if section is None:
        raise EditRefused(_l("This section is no longer in the form."), 404)
    return section


def _question(version: FormVersion, key: str) -> FormQuestion:
    question = question_by_key(version, key)
    if question is None:
        raise EditRefused(_l("This question is no longer in the form."), 404)
    return question


def _option(question: FormQuestion, key: str) -> QuestionOption:
    option = option_by_key(question, key)
    if option is None:
        raise EditRefused(_l("This option is no longer in the question."), 404)
    return option


def _move_in(items: list, item, direction: str) -> None:
    """Move `item` one place up or down in a relationship list (the list's order is saved)."""
    index = items.index(item)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        raise EditRefused(_l("It cannot move further that way."))
    items.insert(target, items.pop(index))


# --- the form and its sections ----------------------------------------------------------------

@_no_autoflush
def set_title(form: Form, title: dict) -> None:
    # The title lives on the form, not a version; every change still goes through here.
    editable_version(form)
    form.title = dict(title)


@_no_autoflush
def add_section(form: Form, title: dict) -> FormSection:
    version = editable_version(form)
    if len(version.sections) >= MAX_SECTIONS:
        raise EditRefused(_l("A form has at most %(n)s sections.", n=MAX_SECTIONS))
    section = FormSection(version=version, position=len(version.sections), title=dict(title))
    db.session.add(section)  # before anything autoflushes: new rows join the session by hand
    _renumber(version)
    return section


@_no_autoflush
def rename_section(form: Form, number: int, title: dict) -> None:
    _section(editable_version(form), number).title = dict(title)


@_no_autoflush
def move_section(form: Form, number: int, direction: str, language: str) -> None:
    version = editable_version(form)
    sections = version.sections
    _move_in(sections, _section(version, number), direction)
    _renumber(version)
    check_conditions(version, language)


@_no_autoflush
def remove_section(form: Form, number: int) -> None:
    version = editable_version(form)
    section = _section(version, number)
    if section.questions:
        raise EditRefused(_l("Move or remove the questions of this section first."), 409)
    _deleted(version, section)
    _renumber(version)


# --- questions --------------------------------------------------------------------------------

def _apply(question: FormQuestion, values: QuestionValues) -> None:
    answered_type = values.type.answered
    question.text = dict(values.text)
    question.help = dict(values.help)
    question.required = values.required and answered_type
    question.sensitive = values.sensitive and answered_type
    question.settings = dict(values.settings)
    question.condition_key = values.condition_key
    question.condition_values = list(values.condition_values) if values.condition_key else None


def _place(version: FormVersion, question: FormQuestion, number: int) -> None:
    """Put the question at the end of section `number` unless it is already in it."""
    target = _section(version, number)
    if question.section is not target:
        if question.section is not None:
            question.section.questions.remove(question)
        target.questions.append(question)


@_no_autoflush
def add_question(form: Form, values: QuestionValues, language: str) -> FormQuestion:
    version = editable_version(form)
    if len(version.questions) >= MAX_QUESTIONS:
        raise EditRefused(_l("A form has at most %(n)s questions.", n=MAX_QUESTIONS))
    if values.type.has_options and not values.options:
        raise EditRefused(_l("Give at least one option."))
    if len(values.options) > MAX_OPTIONS:
        raise EditRefused(_l("A question has at most %(n)s options.", n=MAX_OPTIONS))
    main = main_language(form)
    question = FormQuestion(version=version, type=values.type,
                            key=_fresh_key(_question_keys_ever(form),
                                           in_language(values.text, main), "q"))
    db.session.add(question)
    _apply(question, values)
    used: set[str] = set()
    for o_pos, label in enumerate(values.options if values.type.has_options else []):
        db.session.add(QuestionOption(question=question, position=o_pos, label=dict(label),
                                      key=_fresh_key(used, in_language(label, main), "o")))
    _place(version, question, values.section)
    _renumber(version)
    check_conditions(version, language)
    return question


@_no_autoflush
def update_question(form: Form, key: str, values: QuestionValues, language: str) -> None:
    """New wording, settings, condition or section; the type stays (answers of another type
    under the same key would not line up in results and exports)."""
    version = editable_version(form)
    question = _question(version, key)
    if values.type is not question.type:
        raise EditRefused(_l("A question keeps its type: add a new question instead."))
    _apply(question, values)
    _place(version, question, values.section)
    _renumber(version)
    check_conditions(version, language)


@_no_autoflush
def move_question(form: Form, key: str, direction: str, language: str) -> None:
    """One place up or down; past the top or bottom of its section, into the next section."""
    version = editable_version(form)
    question = _question(version, key)
    section = question.section
    sections = list(version.sections)
    index = section.questions.index(question)
    s_index = sections.index(section)
    if direction == "up" and index == 0 and s_index > 0:
        section.questions.remove(question)
        sections[s_index - 1].questions.append(question)
    elif direction == "down" and index == len(section.questions) - 1 \
            and s_index < len(sections) - 1:
        section.questions.remove(question)
        sections[s_index + 1].questions.insert(0, question)
    else:
        _move_in(section.questions, question, direction)
    _renumber(version)
    check_conditions(version, language)


@_no_autoflush
def remove_question(form: Form, key: str, language: str) -> None:
    version = editable_version(form)
    question = _question(version, key)
    _refuse_dependants(version, key, language)
    _deleted(version, question)
    _renumber(version)


# --- options ----------------------------------------------------------------------------------

def _choice_question(version: FormVersion, key: str) -> FormQuestion:
    question = _question(version, key)
    if not question.type.has_options:
        raise EditRefused(_l("Only choice questions have options."), 404)
    return question


def _renumber_options(question: FormQuestion) -> None:
    for position, option in enumerate(question.options):
        option.position = position


@_no_autoflush
def add_option(form: Form, key: str, label: dict) -> QuestionOption:
    version = editable_version(form)
    question = _choice_question(version, key)
    if len(question.options) >= MAX_OPTIONS:
        raise EditRefused(_l("A question has at most %(n)s options.", n=MAX_OPTIONS))
    option_key = _fresh_key(_option_keys_ever(form, key),
                            in_language(label, main_language(form)), "o")
    option = QuestionOption(question=question, label=dict(label), key=option_key)
    db.session.add(option)
    _renumber_options(question)
    return option


@_no_autoflush
def rename_option(form: Form, key: str, option_key: str, label: dict) -> None:
    _option(_choice_question(editable_version(form), key), option_key).label = dict(label)


@_no_autoflush
def move_option(form: Form, key: str, option_key: str, direction: str) -> None:
    question = _choice_question(editable_version(form), key)
    _move_in(question.options, _option(question, option_key), direction)
    _renumber_options(question)


@_no_autoflush
def remove_option(form: Form, key: str, option_key: str, language: str) -> None:
    version = editable_version(form)
    question = _choice_question(version, key)
    option = _option(question, option_key)
    if len(question.options) == 1:
        raise EditRefused(_l("A choice question needs at least one option."), 409)
    _refuse_dependants(version, key, language, option_key)
    question.options.remove(option)
    _renumber_options(question)
