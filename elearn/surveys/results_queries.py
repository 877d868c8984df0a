"""The statements behind survey results: the questions of every version by key, and GROUP BYs
over the answers (per dimension, per question, per value), whatever the number of responses.
Answers are lined up by question KEY and option key across the form's versions."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import String, case, func, select, type_coerce
from sqlalchemy.orm import selectinload

from elearn.extensions import db
from elearn.forms.models import (
    FormAnswer,
    FormQuestion,
    FormVersion,
    QuestionOption,
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
            found.setdefault(q.key, Question(q.key, in_language(q.text, language), q.type))
            for option in q.options:
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
            .join(FormQuestion, FormQuestion.id == FormAnswer.question_id)
            .join(SurveyResponse, SurveyResponse.id == FormAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id))


def _group_column(dimension: str):
    # As plain text: the enum columns would refuse the NOT_STATED placeholder.
    column = type_coerce(SurveyResponse.__table__.c[dimension], String)
    return func.coalesce(column, disclosure.NOT_STATED)


def _value_key(question: Question, option_key, number, text) -> str | None:
    kind = question.type
    if kind.has_options:
        return option_key
    if kind is QuestionType.YES_NO and number is not None:
        return "yes" if number else "no"
    if kind is QuestionType.RATING and number is not None:
        return str(int(number))
    if kind is QuestionType.COUNTRY:
        return text or None
    return None


def cells_by(survey_id: int, dimension: str, questions: dict[str, Question]):
    """({(question key, group, value): people}, {(question key, group): people answering})."""
    group = _group_column(dimension).label("g")
    cells: dict = defaultdict(int)
    statement = (_answers(survey_id, FormQuestion.key, QuestionOption.key, FormAnswer.number,
                          FormAnswer.text, group, func.count())
                 .outerjoin(QuestionOption, QuestionOption.id == FormAnswer.option_id)
                 .where(FormQuestion.type.in_(CLOSED))
                 .group_by(FormQuestion.key, QuestionOption.key, FormAnswer.number,
                           FormAnswer.text, group))
    for key, option_key, number, text, g, people in db.session.execute(statement):
        question = questions.get(key)
        value = question and _value_key(question, option_key, number, text)
        if value is not None:
            cells[(key, str(g), value)] += people
    totals = {(key, str(g)): n for key, g, n in db.session.execute(
        _answers(survey_id, FormQuestion.key, group,
                 func.count(func.distinct(FormAnswer.response_id)))
        .group_by(FormQuestion.key, group))}
    return cells, totals


def group_sizes(survey_id: int) -> dict[str, dict[str, int]]:
    """{dimension: {group: responses}} in one statement over the survey's responses."""
    columns = [_group_column(d) for d in DIMENSIONS]
    sizes: dict = {d: defaultdict(int) for d in DIMENSIONS}
    for *groups, n in db.session.execute(
            select(*columns, func.count()).where(SurveyResponse.survey_id == survey_id)
            .group_by(*columns)):
        for d, g in zip(DIMENSIONS, groups, strict=True):
            sizes[d][str(g)] += n
    return sizes


def response_rate(survey_id: int) -> tuple[int, int]:
    """(people invited, people who answered)."""
    invited, answered = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((SurveyInvitation.answered, 1),
                                                         else_=0)), 0))
        .where(SurveyInvitation.survey_id == survey_id)).one()
    return invited, int(answered)


def open_answers(survey_id: int, keys: list[str], limit: int = OPEN_SHOWN,
                 offset: int = 0) -> dict[str, list[str]]:
    """The first `limit` answers (after `offset`) to each open question, in one statement.
    Ordered by the response's random key: never by time, which could match an answer to
    whoever answered at that moment."""
    if not keys:
        return {}
    rank = func.row_number().over(partition_by=FormQuestion.key,
                                  order_by=FormAnswer.response_id).label("rank")
    ranked = _answers(survey_id, FormQuestion.key.label("key"), FormAnswer.text.label("text"),
                      rank).where(FormQuestion.key.in_(keys),
                                  FormQuestion.type.in_(OPEN),
                                  FormAnswer.text.is_not(None), FormAnswer.text != "").subquery()
    found: dict[str, list[str]] = defaultdict(list)
    for key, text in db.session.execute(
            select(ranked.c.key, ranked.c.text)
            .where(ranked.c.rank > offset, ranked.c.rank <= offset + limit)
            .order_by(ranked.c.key, ranked.c.rank)):
        found[key].append(text)
    return found


def add_country_values(survey_id: int, questions: dict[str, Question], language: str) -> None:
    """The countries answered to country questions become their values (one statement)."""
    keys = [k for k, q in questions.items() if q.type is QuestionType.COUNTRY]
    if not keys:
        return
    from babel import Locale

    names = Locale.parse(language).territories
    for key, code in db.session.execute(
            _answers(survey_id, FormQuestion.key, FormAnswer.text).distinct()
            .where(FormQuestion.key.in_(keys), FormAnswer.text.is_not(None))):
        questions[key].values.append((code, names.get(code, code)))
    for key in keys:
        questions[key].values.sort(key=lambda v: v[1].casefold())


def answered_by_key(survey_id: int) -> dict[str, int]:
    return dict(db.session.execute(
        _answers(survey_id, FormQuestion.key, func.count(func.distinct(FormAnswer.response_id)))
        .group_by(FormQuestion.key)).all())


def number_means(survey_id: int) -> dict[str, float]:
    return {k: float(m) for k, m in db.session.execute(
        _answers(survey_id, FormQuestion.key, func.avg(FormAnswer.number))
        .where(FormQuestion.type == QuestionType.NUMBER).group_by(FormQuestion.key))
        if m is not None}
