"""Reading answers back: one person's answers as they were asked, exports with one column per
question, and filtering responses by an answer — each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, select

from elearn.extensions import db

from .models import (
    Form,
    FormAnswer,
    FormQuestion,
    FormResponse,
    FormVersion,
    QuestionOption,
    QuestionType,
)
from .texts import in_language


@dataclass(frozen=True)
class ShownAnswer:
    key: str
    question: str
    value: str
    sensitive: bool
    answer_ids: tuple[int, ...] = ()  # for a file: the answer to download
    is_file: bool = False


def _value(question: FormQuestion, answers: list[FormAnswer], language: str) -> str:
    with force_locale(language):
        return _value_in_locale(question, answers, language)


def _value_in_locale(question: FormQuestion, answers: list[FormAnswer], language: str) -> str:
    kind = question.type
    if kind.has_options:
        return "; ".join(in_language(a.option.label, language) for a in answers if a.option)
    first = answers[0]
    if kind is QuestionType.YES_NO:
        return _("Yes") if first.number else _("No")
    if kind in (QuestionType.RATING, QuestionType.NUMBER):
        number = first.number
        return str(int(number)) if number is not None and number.is_integer() else str(number)
    if kind is QuestionType.DATE:
        return format_date(first.day, "medium", locale=language) if first.day else ""
    if kind is QuestionType.COUNTRY:
        return Locale.parse(language).territories.get(first.text or "", first.text or "")
    if kind is QuestionType.FILE:
        return first.filename or ""
    return first.text or ""


def shown_answers(response: FormResponse | None, language: str,
                  with_sensitive: bool) -> list[ShownAnswer]:
    """The person's answers in the order and wording of the version they answered."""
    if response is None:
        return []
    by_question: dict[int, list[FormAnswer]] = defaultdict(list)
    for answer in response.answers:
        by_question[answer.question_id].append(answer)
    shown = []
    for q in response.version.questions:
        given = by_question.get(q.id)
        if not given or (q.sensitive and not with_sensitive):
            continue
        shown.append(ShownAnswer(
            key=q.key, question=in_language(q.text, language), value=_value(q, given, language),
            sensitive=q.sensitive, answer_ids=tuple(a.id for a in given),
            is_file=q.type is QuestionType.FILE))
    return shown


def columns(form: Form, language: str, with_sensitive: bool) -> list[tuple[str, str]]:
    """(key, heading) for every answerable question any version asked, newest wording first
    choice; a question dropped in a later version keeps its column after the current ones."""
    seen: dict[str, str] = {}
    versions = sorted(form.versions, key=lambda v: v.id == form.current_version_id, reverse=True)
    for version in versions:
        for q in version.questions:
            if q.type.answered and q.key not in seen and (with_sensitive or not q.sensitive):
                seen[q.key] = in_language(q.text, language)
    return list(seen.items())


def values(response_ids: list[str], language: str,
           with_sensitive: bool) -> dict[str, dict[str, str]]:
    """{response id: {question key: shown value}} for many responses in one query."""
    if not response_ids:
        return {}
    rows = db.session.execute(
        select(FormAnswer, FormQuestion, QuestionOption)
        .join(FormQuestion, FormAnswer.question_id == FormQuestion.id)
        .outerjoin(QuestionOption, FormAnswer.option_id == QuestionOption.id)
        .where(FormAnswer.response_id.in_(response_ids))
        .order_by(FormAnswer.response_id, FormQuestion.id, QuestionOption.position)).all()
    grouped: dict[tuple[str, int], list[FormAnswer]] = defaultdict(list)
    questions: dict[int, FormQuestion] = {}
    for answer, question, _option in rows:
        if question.sensitive and not with_sensitive:
            continue
        grouped[(answer.response_id, question.id)].append(answer)
        questions[question.id] = question
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for (response_id, question_id), answers in grouped.items():
        question = questions[question_id]
        found[response_id][question.key] = _value(question, answers, language)
    return found


def responses_answering(form: Form, key: str, value: str):
    """A SELECT of the response ids whose answer to question `key` is `value` (an option key,
    "yes"/"no", or the exact text), in any version of the form — for `.in_()` filters."""
    question_ids = select(FormQuestion.id).join(FormVersion).where(
        FormVersion.form_id == form.id, FormQuestion.key == key)
    by_option = select(QuestionOption.id).where(QuestionOption.question_id.in_(question_ids),
                                                QuestionOption.key == value)
    if value in ("yes", "no"):
        match = and_(FormAnswer.number == (1.0 if value == "yes" else 0.0))
    else:
        match = FormAnswer.option_id.in_(by_option) | (FormAnswer.text == value)
    return select(FormAnswer.response_id).where(FormAnswer.question_id.in_(question_ids), match)


def filter_choices(form: Form, language: str, with_sensitive: bool) -> list[tuple[str, str]]:
    """("key=value", "Question: answer") pairs an organiser can filter by: every option of the
    current version's choice and yes/no questions."""
    version = form.current_version
    if version is None:
        return []
    found = []
    for q in version.questions:
        if q.sensitive and not with_sensitive:
            continue
        text = in_language(q.text, language)
        if q.type.has_options:
            found += [(f"{q.key}={o.key}", f"{text}: {in_language(o.label, language)}")
                      for o in q.options]
        elif q.type is QuestionType.YES_NO:
            found += [(f"{q.key}=yes", f"{text}: {_('Yes')}"),
                      (f"{q.key}=no", f"{text}: {_('No')}")]
    return found
