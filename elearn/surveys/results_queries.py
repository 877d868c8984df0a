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


def _profiles(survey_id: int):
    """The survey's responses, each with a small integer for its combination of the four
    dimensions (a few hundred combinations at most, whatever the responses). Answers are
    grouped by that integer instead of the four text columns: SQLite's GROUP BY sorts every
    answer row, and four strings per row made that sort most of the page's time."""
    columns = _dimension_columns()
    return (select(SurveyResponse.id.label("rid"),
                   func.dense_rank().over(order_by=columns).label("k"),
                   *[c.label(d) for c, d in zip(columns, DIMENSIONS, strict=True)])
            .where(SurveyResponse.survey_id == survey_id).cte("profiles"))


def tallies(survey_id: int, asked: list[Question]) -> Tallies:
    """One statement of three parts over the same profiles (so they agree even while answers
    arrive): (1) closed answers counted by profile, question row and value; (2) people who
    answered, where one person may have several rows (multiple choice) or nothing in (1)
    counted them (open, number, date, file); (3) the dimensions of each profile. Rows are
    counted by question id and option id and named by key afterwards (no join to the
    questions); the profiles are then spread over the four dimensions in Python (some
    thousands of rows)."""
    by_id = {i: q for q in asked for i in q.ids}
    cells = {d: defaultdict(int) for d in DIMENSIONS}
    answering = {d: defaultdict(int) for d in DIMENSIONS}
    answered: dict = defaultdict(int)
    closed = [i for i, q in by_id.items() if q.closed]
    rest = [i for i, q in by_id.items() if q.type is QuestionType.MULTIPLE_CHOICE
            or not q.closed]
    if not by_id:
        return Tallies(cells, answering, answered)
    p = _profiles(survey_id)
    nothing = [literal(None, String)] * len(DIMENSIONS)
    joined = select().select_from(p).join(FormAnswer, FormAnswer.response_id == p.c.rid)
    # "+ 0": the question filter must not use the question index. Through it SQLite would
    # read the answers of these questions in every survey's responses and look each one up
    # in the profiles (over a second); from the profiles, each response's few answers are
    # read through the response index.
    question = FormAnswer.question_id + 0
    countries = [i for i in closed if by_id[i].type is QuestionType.COUNTRY]
    # The text is only a value for country questions: grouping by it elsewhere costs a column.
    text = (case((FormAnswer.question_id.in_(countries), FormAnswer.text)) if countries
            else literal(None, String))
    parts = [select(literal(3).label("part"), p.c.k, literal(None).label("qid"),
                    literal(None), literal(None), literal(None, String),
                    *[p.c[d] for d in DIMENSIONS], func.count())
             .group_by(p.c.k, *[p.c[d] for d in DIMENSIONS])]
    if closed:
        parts.append(joined.add_columns(
            literal(1), p.c.k, FormAnswer.question_id, FormAnswer.option_id,
            FormAnswer.number, text, *nothing, func.count())
            .where(question.in_(closed))
            .group_by(p.c.k, FormAnswer.question_id, FormAnswer.option_id,
                      FormAnswer.number, text))
    if rest:
        parts.append(joined.add_columns(
            literal(2), p.c.k, FormAnswer.question_id, literal(None), literal(None),
            literal(None, String), *nothing, func.count(func.distinct(p.c.rid)))
            .where(question.in_(rest))
            .group_by(p.c.k, FormAnswer.question_id))
    rows = db.session.execute(union_all(*parts)).all()
    groups = {k: tuple(g or disclosure.NOT_STATED for g in dims)
              for part, k, _q, _o, _n, _t, *dims, _c in rows if part == 3}
    names: dict = {}  # (question id, option id, number, text) -> (key, value, one row each)
    for part, k, qid, option_id, number, text, *_dims, people in rows:
        if part == 3:
            continue
        in_groups = groups[k]
        if part == 2:
            key = by_id[qid].key
            for d, g in zip(DIMENSIONS, in_groups, strict=True):
                answering[d][(key, g)] += people
            answered[key] += people
            continue
        name = names.get((qid, option_id, number, text))
        if name is None:
            question = by_id[qid]
            name = names[(qid, option_id, number, text)] = (
                question.key, _value_key(question, option_id, number, text),
                question.type is not QuestionType.MULTIPLE_CHOICE)
        key, value, one_each = name
        if value is None:
            continue
        for d, g in zip(DIMENSIONS, in_groups, strict=True):
            cells[d][(key, g, value)] += people
            if one_each:  # one answer row per person: the answering are the rows
                answering[d][(key, g)] += people
        if one_each:
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
