"""Survey results: counts, shares, mean and median against figures worked out by hand; answers
lined up by question key across versions; the statistics' disclosure control on every
breakdown (attacked with the statistics tests' own linear-programming reader)."""

import pytest
from flask_babel import force_locale

from elearn.extensions import db
from elearn.forms.building import editable_version
from elearn.forms.models import QuestionOption
from elearn.surveys import results
from elearn.surveys.results_disclosure import fold, summary_safe
from tests.stats.test_attacker import findings

from .results_data import answer, crafted, make_survey


@pytest.fixture
def survey(app, make_user, make_event):
    event = make_event(make_user(roles=["organiser"]))
    made = make_survey(event)
    crafted(made, [make_user() for _ in range(40)])
    return made


def _results(app, survey, language="en", **kwargs):
    with app.test_request_context(), force_locale(language):
        return results.survey_results(db.session.get(type(survey), survey.id), language,
                                      **kwargs)


def _by_key(found):
    return {r.question.key: r for r in found.questions}


def test_counts_shares_mean_and_median_by_hand(app, survey):
    found = _results(app, survey)
    assert (found.invited, found.answered, found.responses) == (40, 32, 32)
    assert found.rate == 0.8 and not found.withheld
    q = _by_key(found)
    satisfaction = q["satisfaction"]
    assert satisfaction.answered == 32
    assert [c for _l, c, _s in satisfaction.counts] == [6, 6, 6, 7, 7]
    assert [round(s, 4) for _l, _c, s in satisfaction.counts] == [0.1875] * 3 + [0.2188] * 2
    assert satisfaction.counts[0][0] == "1 – Very poor"
    assert satisfaction.mean == pytest.approx(99 / 32) and satisfaction.median == 3.0
    assert [(c, s) for _l, c, s in q["recommend"].counts] == [(24, 0.75), (8, 0.25)]
    # Multiple choice: shares of the people who answered, adding up to more than 100 %.
    assert [(label, c, s) for label, c, s in q["topics"].counts] == [
        ("Finance", 16, 0.5), ("Exports", 8, 0.25), ("Digital", 16, 0.5)]
    assert q["hours"].mean == pytest.approx(351 / 32)
    assert q["improve"].answered == 8 and len(q["improve"].open_answers) == 8
    assert all(t.startswith("More time") for t in q["improve"].open_answers)


def test_a_new_version_still_adds_up_with_the_first(app, survey):
    with app.test_request_context():
        form = db.session.get(type(survey), survey.id).form
        version = editable_version(form)  # answers exist: a copy with the same keys
        question = next(q for q in version.questions if q.key == "topics")
        question.text = {"en": "Topics you used"}
        db.session.add(QuestionOption(question=question, position=3, key="gender",
                                      label={"en": "Gender policy"}))
        db.session.flush()
        for _n in range(3):
            answer(survey, version, {"satisfaction": 5, "recommend": "yes",
                                     "topics": ["finance", "gender"]}, gender="woman")
        db.session.commit()
        assert version.number == 2
    q = _by_key(_results(app, survey))
    assert q["topics"].question.text == "Topics you used"  # the newest wording
    assert [(label, c) for label, c, _s in q["topics"].counts] == [
        ("Finance", 19), ("Exports", 8), ("Digital", 16), ("Gender policy", None)]  # 3: x
    assert [c for _l, c, _s in q["satisfaction"].counts] == [6, 6, 6, 7, 10]
    assert q["satisfaction"].answered == 35


def test_spanish_labels(app, survey):
    q = _by_key(_results(app, survey, "es"))
    assert q["satisfaction"].question.text == "Satisfacción general"
    assert [label for label, _c, _s in q["recommend"].counts] == ["Sí", "No"]


def test_breakdowns_fold_small_groups_and_withhold_what_stays_small(app, survey):
    found = _results(app, survey, dimension="gender")
    gender = _by_key(found)["topics"].breakdown
    labels = [label for _k, label in gender.groups]
    # 2 non-binary people are never a group of their own: with the 8 who did not say.
    assert labels == ["Men", "Women", "Other groups or not stated"]
    assert [row[-1] for row in gender.matrix] == [10, 12, 10, 32]
    # 5 answers x 3 groups of 32 people: protecting it would hide overall figures the page
    # shows, so satisfaction is not broken down by gender at all.
    assert _by_key(found)["satisfaction"].breakdown is None
    # Countries: Mexico's 8 people are too few even with the people who did not say (none).
    assert found.unavailable == {"country": True, "subregion": True}
    assert _by_key(_results(app, survey, dimension="country"))["satisfaction"].breakdown is None
    mode = _by_key(_results(app, survey, dimension="mode"))["recommend"].breakdown
    assert [label for _k, label in mode.groups] == ["In person", "Online"]


def test_every_small_figure_is_hidden_and_the_attacker_recovers_nothing(app, survey):
    found = _results(app, survey)
    checked = 0
    for result in found.questions:
        for breakdown in result.breakdowns.values():
            matrix, hidden = breakdown.matrix, breakdown.hidden
            for i, row in enumerate(matrix):
                for j, v in enumerate(row):
                    if 1 <= v <= 4:
                        assert (i, j) in hidden, (result.question.key, i, j, v)
            cols = len(matrix[0]) - 1
            additive = all(sum(r[j] for r in matrix[:-1]) == matrix[-1][j]
                           for j in range(cols + 1))
            rows_additive = all(sum(r[:-1]) == r[-1] for r in matrix)
            assert findings(matrix, hidden, additive=additive,
                            rows_additive=rows_additive) == ([], [])
            # What the page shows is this table with its hidden figures as None.
            shown = list(breakdown.rows())
            for i, (_label, cells, total, _mean) in enumerate(shown):
                assert [c for c, _s in cells] == [None if (i, j) in hidden else matrix[i][j]
                                                  for j in range(cols)]
                assert total == (None if (i, cols) in hidden else matrix[i][cols])
            # The overall figures hide at least what the breakdown's totals row hides.
            last = len(matrix) - 1
            for j, (_l, count, _s) in enumerate(result.counts):
                if (last, j) in hidden:
                    assert count is None
            checked += 1
    assert checked == 4  # topics by gender and by mode, satisfaction and recommend by mode


def test_results_wait_for_the_minimum_group(app, make_user, make_event):
    event = make_event(make_user(roles=["organiser"]))
    survey = make_survey(event)
    for n in range(9):
        answer(survey, survey.form.current_version, {"satisfaction": 1 + n % 5,
                                                     "improve": "Only me"})
    db.session.commit()
    found = _results(app, survey)
    assert found.withheld and found.questions == [] and found.responses == 9




def test_fold_rules(app):
    with app.test_request_context():
        assert fold("gender", {"woman": 12, "man": 10, "non_binary": 2, "not_stated": 8},
                    10, lambda c: None) == {"woman": "woman", "man": "man",
                                            "non_binary": "other_or_not_stated",
                                            "not_stated": "other_or_not_stated"}
        assert fold("gender", {"woman": 30, "not_stated": 3}, 10, lambda c: None) is None
        assert fold("mode", {"online": 40}, 10, lambda c: None) is None  # one group: no
        regions = {"JM": "caribbean", "TT": "caribbean", "VE": "south_america"}.get
        assert fold("country", {"VE": 20, "JM": 6, "TT": 5}, 10, regions) == {
            "VE": "VE", "JM": "other:caribbean", "TT": "other:caribbean"}
        # The mean and median of [2, 3, 7, 10, 10] with the first two hidden pin them.
        assert not summary_safe([1, 2, 3, 4, 5], [2, 3, 7, 10, 10], {0, 1}, 119 / 32, 4.0)
        # Three hidden figures, one of them large: the mean and median leave 1 to 23 for
        # the first and 3 to 25 for the third (worked out by hand): shown.
        assert summary_safe([1, 2, 3, 4, 5], [2, 40, 3, 20, 20], {0, 1, 2}, 271 / 85, 3.0)
