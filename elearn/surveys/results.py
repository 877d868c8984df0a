"""Results of an evaluation survey, from SQL aggregates (results_queries): response rate, each
closed question as counts and shares (ratings with mean, median and distribution), open
answers, and breakdowns by gender, country, sub-region and mode with the statistics'
disclosure control (results_disclosure).

The overall figures of a question are protected on their own first: a table of one row
(everyone) and its totals, through the statistics' suppression. A breakdown of that question
by a dimension is published only when protecting it hides nothing of its totals row that the
overall figures show; it then hides those same totals too. So no page shows a figure another
page hides, and the overall results never depend on which breakdown is asked for.

Results are withheld altogether (only the response rate shown) while fewer people than the
minimum group size of the statistics have answered: no table of so few people is published.
A fixed number of statements, whatever the number of responses.
"""

from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _

from elearn.forms.models import QuestionType
from elearn.stats.disclosure import member_state_subregions

from . import results_disclosure as disclosure
from . import results_queries as queries
from .models import Survey, SurveyStatus
from .results_queries import DIMENSIONS, OPEN_SHOWN, Question, open_answers

__all__ = ["DIMENSIONS", "OPEN_SHOWN", "Breakdown", "QuestionResult", "SurveyResults",
           "open_answers", "survey_results"]
EVERYONE = "all"
# Tallies of closed surveys are kept per application (its `extensions`), by everything that
# could change them (see _tallies): a closed survey takes no answers, so its counts are
# worked out once per process, not per page.
CLOSED_KEPT = 64


@dataclass
class Breakdown:
    """One question by one dimension: the published table (None figures are hidden)."""

    question: Question
    groups: list[tuple[str, str]]  # (group key, label)
    matrix: list[list[int]]  # exact, for the audit; never rendered as such
    hidden: set

    def value(self, i: int, j: int) -> int | None:
        return None if (i, j) in self.hidden else self.matrix[i][j]

    def rows(self):
        """(label, [(count or None, share of the row or None)], total or None, mean or None)
        per group, then the totals row."""
        n = len(self.question.values)
        for i, (_key, label) in enumerate([*self.groups, ("", _("Total"))]):
            total = self.value(i, n)
            cells = []
            for j in range(n):
                v = self.value(i, j)
                cells.append((v, v / total if v is not None and total else None))
            yield label, cells, total, self._mean(i)

    def _mean(self, i: int) -> float | None:
        """A group's mean rating, only when none of its figures is hidden (then it tells
        nothing the row does not)."""
        n = len(self.question.values)
        if not self.question.scaled or any((i, j) in self.hidden for j in range(n + 1)):
            return None
        return disclosure.mean([(float(k), c) for (k, _l), c
                                in zip(self.question.values, self.matrix[i], strict=False)])


@dataclass
class QuestionResult:
    question: Question
    answered: int | None  # None: hidden
    counts: list[tuple[str, int | None, float | None]] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    summary_hidden: bool = False  # a mean exists but would reveal a hidden figure
    open_answers: list[str] = field(default_factory=list)
    breakdown: Breakdown | None = None  # by the dimension asked for
    breakdowns: dict = field(default_factory=dict)  # {dimension: Breakdown} that can be shown


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    answered: int
    responses: int
    withheld: bool  # fewer responses than the minimum group: only the rate is shown
    minimum: int
    questions: list[QuestionResult] = field(default_factory=list)
    dimension: str = "gender"
    unavailable: dict = field(default_factory=dict)  # {dimension: True}: groups too small

    @property
    def rate(self) -> float | None:
        return self.answered / self.invited if self.invited else None


def _groups(dimension: str, target: dict[str, str]) -> list[tuple[str, str]]:
    from .results_labels import group_label  # labels need the request's language

    special = (disclosure.OTHER, disclosure.NOT_STATED, disclosure.OTHER_OR_NOT_STATED)
    columns = sorted(set(target.values()), key=lambda c: (
        c in special, c == disclosure.OTHER_OR_NOT_STATED,
        group_label(dimension, c).casefold()))
    return [(c, group_label(dimension, c)) for c in columns]


def _table(question: Question, groups: list[str], target: dict, cells: dict, totals: dict):
    """(matrix, hidden) of one question with the groups of `target` ({group: row})."""
    merged: dict = defaultdict(int)
    answered: dict = defaultdict(int)
    for group, row in target.items():
        answered[row] += totals.get((question.key, group), 0)
        for value, _label in question.values:
            merged[(row, value)] += cells.get((question.key, group, value), 0)
    matrix = disclosure.matrix_of(groups, [v for v, _l in question.values], merged, answered)
    return matrix, disclosure.protect(matrix)


def survey_results(survey: Survey, language: str, *, dimension: str = "gender",
                   with_sensitive: bool = False) -> SurveyResults:
    """Everything the results page, the exports and the tests read, protected."""
    invited, answered = queries.response_rate(survey.id)
    sizes = queries.group_sizes(survey.id)
    responses = sum(sizes["gender"].values())
    _threshold, min_group, least = disclosure.thresholds()
    results = SurveyResults(survey=survey, invited=invited, answered=answered,
                            responses=responses, withheld=responses < min_group,
                            minimum=min_group, dimension=dimension)
    if results.withheld:
        return results
    asked = queries.catalogue(survey, language, with_sensitive)
    closed = {q.key: q for q in asked if q.closed}
    queries.add_country_values(survey.id, closed, language)
    regions = member_state_subregions()
    counted = _tallies(survey, asked, responses)
    listed = open_answers(survey.id, [q for q in asked if q.open])
    means = queries.number_means(survey.id, asked)
    folded = {}
    for name in DIMENSIONS:
        target = disclosure.fold(name, sizes[name], least, regions.get)
        if target is None:
            results.unavailable[name] = True
        else:
            folded[name] = (target, _groups(name, target))
    everyone = {g: EVERYONE for g in sizes["gender"]}
    for question in asked:
        result = QuestionResult(question, counted.answered.get(question.key, 0))
        if question.closed:
            overall = _table(question, [EVERYONE], everyone, counted.cells["gender"],
                             counted.answering["gender"])
            _closed(result, *overall)
            for name, (target, groups) in folded.items():
                matrix, hidden = _table(question, [g for g, _l in groups], target,
                                        counted.cells[name], counted.answering[name])
                shown = _published(result, matrix, hidden, overall[1])
                if shown is not None:
                    result.breakdowns[name] = Breakdown(question, groups, matrix, shown)
            result.breakdown = result.breakdowns.get(dimension)
        elif question.type is QuestionType.NUMBER and (result.answered or 0) >= min_group:
            result.mean = means.get(question.key)  # never below the minimum: one's own number
        result.open_answers = listed.get(question.key, [])
        results.questions.append(result)
    return results


def _tallies(survey: Survey, asked: list[Question], responses: int) -> queries.Tallies:
    """The survey's tallies; kept for a closed survey, keyed by when it closed (reopening and
    closing again changes it), its form's current version, the questions asked (the
    sensitive ones or not) and its number of responses (it only falls when a person's
    responses are erased: no answer comes in while closed). An open survey is counted anew
    at each call."""
    if survey.status is not SurveyStatus.CLOSED or survey.closed_at is None:
        return queries.tallies(survey.id, asked)
    kept = current_app.extensions.setdefault("closed_survey_tallies", OrderedDict())
    key = (survey.id, survey.closed_at, survey.form.current_version_id, responses,
           tuple(sorted(i for q in asked for i in q.ids)))
    found = kept.get(key)
    if found is None:
        found = kept[key] = queries.tallies(survey.id, asked)
        while len(kept) > CLOSED_KEPT:
            kept.popitem(last=False)
    kept.move_to_end(key)
    return found


def _published(result: QuestionResult, matrix, hidden: set, overall_hidden: set) -> set | None:
    """The hidden cells of a breakdown as published, or None when it cannot be: protecting it
    would hide an overall figure the overall results show."""
    last = len(matrix) - 1
    overall = {j for (i, j) in overall_hidden if i == 1}  # the one-row table's totals row
    if any(i == last and j not in overall for (i, j) in hidden):
        return None
    return set(hidden) | {(last, j) for j in overall}


def _closed(result: QuestionResult, matrix, hidden) -> None:
    """The overall figures: the totals row of the one-row table of everyone, protected; mean
    and median when they reveal nothing hidden."""
    question = result.question
    n = len(question.values)
    hidden_columns = {j for (i, j) in hidden if i == 1}
    total = matrix[1][n]
    result.answered = None if n in hidden_columns else total
    for j, (_value, label) in enumerate(question.values):
        count = None if j in hidden_columns else matrix[1][j]
        share = count / total if count is not None and total and result.answered else None
        result.counts.append((label, count, share))
    if question.scaled and total and result.answered is not None:
        distribution = [(float(v), matrix[1][j]) for j, (v, _l) in enumerate(question.values)]
        mean, median = disclosure.mean(distribution), disclosure.median(distribution)
        if disclosure.summary_safe([d[0] for d in distribution], matrix[1][:n],
                                   {j for j in hidden_columns if j < n}, mean, median):
            result.mean, result.median = mean, median
        else:
            result.summary_hidden = True
