"""Satisfaction across the work programme: means worked out by hand per activity, thematic
area and year; rows under the minimum hidden, and a second row with them where a total would
give one away; the programme managers' page."""

from datetime import UTC, date, datetime

import pytest

from elearn.courses.models import Course, Edition
from elearn.extensions import db
from elearn.programme.models import Activity, Programme, Project, ThematicArea
from elearn.surveys.results_programme import satisfaction_by

from .results_data import answer, make_survey


def _activity(area, code):
    programme = Programme(area=area, code=f"P{code}", title_en=f"Programme {code}")
    project = Project(programme=programme, code="A", title_en="Project")
    activity = Activity(project=project, code=code, path_code=f"{area.code}.{code}",
                        title_en=f"Activity {code}")
    db.session.add(activity)
    return activity


def _answers(owner, ratings, kind="event"):
    survey = make_survey(owner, kind=kind)
    for rating in ratings:
        answer(survey, survey.form.current_version, {"satisfaction": rating})


@pytest.fixture
def programme(app, make_user, make_event):
    area_one = ThematicArea(code="I", title_en="Economic")
    area_two = ThematicArea(code="II", title_en="Social")
    a1, a2, a3 = _activity(area_one, "1"), _activity(area_one, "2"), _activity(area_two, "3")
    db.session.flush()
    organiser = make_user(roles=["organiser"])
    when = {2025: datetime(2025, 5, 6, 14, tzinfo=UTC), 2024: datetime(2024, 5, 6, 14, tzinfo=UTC)}
    _answers(make_event(organiser, activity_id=a1.id, starts_at=when[2025]), [5] * 6 + [4] * 6)
    _answers(make_event(organiser, activity_id=a2.id, starts_at=when[2025]), [1] * 4)
    _answers(make_event(organiser, activity_id=a3.id, starts_at=when[2024]), [3] * 11)
    _answers(make_event(organiser, starts_at=when[2024]), [1] * 20)  # no activity: left out
    course = Course(title_en="Diploma", activity_id=a3.id)
    edition = Edition(course=course, name_en="Regional 2024", starts_on=date(2024, 3, 1),
                      ends_on=date(2024, 6, 30), timezone="America/Caracas")
    db.session.add(edition)
    db.session.flush()
    _answers(edition, [5] * 10, kind="edition")
    db.session.commit()
    return {"a1": a1.id, "a2": a2.id, "a3": a3.id, "one": area_one.id, "two": area_two.id}


def _rows(level, year=None):
    return {row.key: (row.responses, None if row.mean is None else round(row.mean, 4))
            for row in satisfaction_by(level, year)}


def test_satisfaction_by_activity_area_and_year(app, programme):
    with app.test_request_context():
        p = programme
        # Activity 2 has 4 responses: hidden; activity 1 with it, or area I's 16 would give
        # activity 2 away.
        assert _rows("activity") == {p["a1"]: (None, None), p["a2"]: (None, None),
                                     p["a3"]: (21, round(83 / 21, 4))}
        assert _rows("area") == {p["one"]: (16, 3.625), p["two"]: (21, round(83 / 21, 4))}
        assert _rows("year") == {2024: (21, round(83 / 21, 4)), 2025: (16, 3.625)}
        assert _rows("activity", 2024) == {p["a3"]: (21, round(83 / 21, 4))}
        rows = satisfaction_by("activity")
        assert [r.suppressed for r in rows] == [True, True, False]
        assert rows[0].label.startswith("I.1") and rows[0].area_id == p["one"]
        with pytest.raises(ValueError):
            satisfaction_by("country")


def test_the_programme_page(client, login, make_user, programme):
    login(make_user(roles=["organiser"]))
    assert client.get("/surveys/satisfaction").status_code == 403
    client.post("/logout")
    login(make_user(roles=["programme_manager"]))
    page = client.get("/surveys/satisfaction").get_data(as_text=True)
    assert "Activity 3" in page and "4.0" in page and "3.6" in page and ">x<" in page
    assert client.get("/surveys/satisfaction?year=2024").status_code == 200
    for bad in ("abc", "1800", "２０２４", "9" * 400):
        assert client.get(f"/surveys/satisfaction?year={bad}").status_code == 400
    stats = client.get("/stats/").get_data(as_text=True)
    assert "/surveys/satisfaction" in stats
