"""The statements behind survey results: the questions of every version by key, and GROUP BYs
over the answers (per dimension, per question, per value), whatever the number of responses.
Answers are lined up by question KEY and option key across the form's versions."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import String, case, func, literal, select, type_coerce, union_all
from sqlalchemy.orm import selectinload

from elearn.extensions import db
from elearn.forms.models import (
    FormAnswer,
    FormQuestion,
    FormVersion,
    QuestionType,
)
from elearn.forms.texts import in_language

from . import results_disclosure as disclosure
from .models import Survey, SurveyInvitation, SurveyResponse

DIMENSIONS = ("gender", "country", "subregion", "mode")
CLOSED = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO,
          QuestionType.RATING, QuestionType.COUNTRY)
OPEN = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)
SCALE = ("1", "2", "3", "4", "5")
OPEN_SHOWN = 20  # open answers listed on the results page; the rest a page further


@dataclass
class Question:
    """A question as results show it: the newest wording of its key, the values it counts."""

    key: str
    text: str
    type: QuestionType
    values: list[tuple[str, str]] = field(default_factory=list)  # (value key, label)
    # The rows of this key in every version: answers are counted by these ids, then named.
    ids: list[int] = field(default_factory=list)
    option_keys: dict[int, str] = field(default_factory=dict)  # option id -> option key

    @property
    def closed(self) -> bool:
        return self.type in CLOSED

    @property
    def open(self) -> bool:
        return self.type in OPEN

    @property
    def scaled(self) -> bool:
        return self.type is QuestionType.RATING


# --- the questions ---------------------------------------------------------------------------

def catalogue(survey: Survey, language: str, with_sensitive: bool) -> list[Question]:
    """Every answerable question any version asked, by key: the current version's wording
    and order first, then questions a later version dropped. Three statements."""
    versions = db.session.scalars(
        select(FormVersion).where(FormVersion.form_id == survey.form_id)
        .options(selectinload(FormVersion.questions).selectinload(FormQuestion.options))).all()
    current = survey.form.current_version_id
    versions.sort(key=lambda v: (v.id != current, -v.number))
    found: dict[str, Question] = {}
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for version in versions:
        for q in version.questions:
            if not q.type.answered or (q.sensitive and not with_sensitive):
                continue
            question = found.setdefault(q.key, Question(q.key, in_language(q.text, language),
                                                        q.type))
            question.ids.append(q.id)
            for option in q.options:
                question.option_keys[option.id] = option.key
                labels[q.key].setdefault(option.key, in_language(option.label, language))
            if q.type is QuestionType.RATING:
                for end, point in (("low", "1"), ("high", "5")):
                    text = in_language((q.settings or {}).get(end), language)
                    if text:
                        labels[q.key].setdefault(point, f"{point} – {text}")
    for key, question in found.items():
        if question.type.has_options:
            question.values = list(labels[key].items())
        elif question.type is QuestionType.YES_NO:
            question.values = [("yes", _("Yes")), ("no", _("No"))]
        elif question.type is QuestionType.RATING:
            question.values = [(p, labels[key].get(p, p)) for p in SCALE]
    return list(found.values())


# --- the statements --------------------------------------------------------------------------

def _answers(survey_id: int, *columns):
    return (select(*columns).select_from(FormAnswer)
            .join(SurveyResponse, SurveyResponse.id == FormAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id))


def _dimension_columns():
    # As plain text: no enum conversion of every row, and None stays None (NOT_STATED).
    return [type_coerce(SurveyResponse.__table__.c[d], String) for d in DIMENSIONS]


def _value_key(question: Question, option_id, number, text) -> str | None:
    kind = question.type
    if kind.has_options:
        return question.option_keys.get(option_id)
    if kind is QuestionType.YES_NO and number is not None:
        return "yes" if number else "no"
    if kind is QuestionType.RATING and number is not None:
        return str(int(number))
    if kind is QuestionType.COUNTRY:
        return text or None
    return None


@dataclass
class Tallies:
    """Answers counted by every dimension at once: cells[dimension][(key, group, value)] and
    answering[dimension][(key, group)] (people who answered the question), answered[key]."""

    cells: dict
    answering: dict
    answered: dict


def tallies(survey_id: int, asked: list[Question]) -> Tallies:
    """Two statements, each one scan of the survey's answers grouped by question row, value
    and the four dimensions together (a few thousand rows at most); the dimensions are then
    added up apart in Python. Rows are counted by question id and option id, named by key
    afterwards, so no join to the questions is needed."""
    by_id = {i: q for q in asked for i in q.ids}
    dims = _dimension_columns()
    cells = {d: defaultdict(int) for d in DIMENSIONS}
    answering = {d: defaultdict(int) for d in DIMENSIONS}
    answered: dict = defaultdict(int)
    closed = [i for i, q in by_id.items() if q.closed]
    if closed:
        columns = [FormAnswer.question_id, FormAnswer.option_id, FormAnswer.number,
                   FormAnswer.text, *dims]
        for qid, option_id, number, text, *groups, people in db.session.execute(
                _answers(survey_id, *columns, func.count())
                .where(FormAnswer.question_id.in_(closed)).group_by(*columns)):
            question = by_id[qid]
            value = _value_key(question, option_id, number, text)
            if value is None:
                continue
            one_each = question.type is not QuestionType.MULTIPLE_CHOICE
            for d, g in zip(DIMENSIONS, groups, strict=True):
                g = g or disclosure.NOT_STATED
                cells[d][(question.key, g, value)] += people
                if one_each:  # one answer row per person: the answering are the rows
                    answering[d][(question.key, g)] += people
            if one_each:
                answered[question.key] += people
    # People who answered: counted apart where one person has several rows (multiple
    # choice) or where nothing above counted them (open, number, date, file questions).
    rest = [i for i, q in by_id.items() if q.type is QuestionType.MULTIPLE_CHOICE
            or not q.closed]
    if rest:
        for qid, *groups, people in db.session.execute(
                _answers(survey_id, FormAnswer.question_id, *dims,
                         func.count(func.distinct(FormAnswer.response_id)))
                .where(FormAnswer.question_id.in_(rest))
                .group_by(FormAnswer.question_id, *dims)):
            key = by_id[qid].key
            for d, g in zip(DIMENSIONS, groups, strict=True):
                answering[d][(key, g or disclosure.NOT_STATED)] += people
            answered[key] += people
    return Tallies(cells, answering, answered)


def group_sizes(survey_id: int) -> dict[str, dict[str, int]]:
    """{dimension: {group: responses}} in one statement over the survey's responses."""
    columns = _dimension_columns()
    sizes: dict = {d: defaultdict(int) for d in DIMENSIONS}
    for *groups, n in db.session.execute(
            select(*columns, func.count()).where(SurveyResponse.survey_id == survey_id)
            .group_by(*columns)):
        for d, g in zip(DIMENSIONS, groups, strict=True):
            sizes[d][g or disclosure.NOT_STATED] += n
    return sizes


def response_rate(survey_id: int) -> tuple[int, int]:
    """(people invited, people who answered)."""
    invited, answered = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((SurveyInvitation.answered, 1),
                                                         else_=0)), 0))
        .where(SurveyInvitation.survey_id == survey_id)).one()
    return invited, int(answered)


def open_answers(survey_id: int, questions: list[Question], limit: int = OPEN_SHOWN,
                 offset: int = 0) -> dict[str, list[str]]:
    """The first `limit` answers (after `offset`) to each open question, in one statement
    (one LIMIT per question, through its index). Ordered by the response's random key:
    never by time, which could match an answer to whoever answered at that moment."""
    parts = []
    for q in questions:
        inner = (_answers(survey_id, FormAnswer.text.label("text"),
                          FormAnswer.response_id.label("rid"))
                 .where(FormAnswer.question_id.in_(q.ids), FormAnswer.text.is_not(None),
                        FormAnswer.text != "")
                 .order_by(FormAnswer.response_id).limit(limit).offset(offset).subquery())
        parts.append(select(literal(q.key).label("key"), inner.c.text, inner.c.rid))
    if not parts:
        return {}
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, text, rid in db.session.execute(union_all(*parts)):
        found[key].append((rid, text))
    return {key: [text for _rid, text in sorted(rows)] for key, rows in found.items()}


def add_country_values(survey_id: int, questions: dict[str, Question], language: str) -> None:
    """The countries answered to country questions become their values (one statement)."""
    by_id = {i: q for q in questions.values() if q.type is QuestionType.COUNTRY for i in q.ids}
    if not by_id:
        return
    from babel import Locale

    names = Locale.parse(language).territories
    codes = defaultdict(set)
    for qid, code in db.session.execute(
            _answers(survey_id, FormAnswer.question_id, FormAnswer.text).distinct()
            .where(FormAnswer.question_id.in_(by_id), FormAnswer.text.is_not(None))):
        codes[by_id[qid].key].add(code)
    for key, found in codes.items():
        questions[key].values = sorted(((c, names.get(c, c)) for c in found),
                                       key=lambda v: v[1].casefold())


def number_means(survey_id: int, asked: list[Question]) -> dict[str, float]:
    """Mean answer of each number question, over all its versions (one statement)."""
    by_id = {i: q.key for q in asked if q.type is QuestionType.NUMBER for i in q.ids}
    if not by_id:
        return {}
    sums: dict = defaultdict(lambda: [0.0, 0])
    for qid, total, n in db.session.execute(
            _answers(survey_id, FormAnswer.question_id, func.sum(FormAnswer.number),
                     func.count(FormAnswer.number))
            .where(FormAnswer.question_id.in_(by_id)).group_by(FormAnswer.question_id)):
        sums[by_id[qid]][0] += float(total or 0)
        sums[by_id[qid]][1] += n
    return {key: total / n for key, (total, n) in sums.items() if n}
