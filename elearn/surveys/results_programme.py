"""Satisfaction across the work programme: the mean answer to the standard evaluation's
overall-satisfaction question (key "satisfaction", scale 1 to 5) by activity, thematic area or
year, from the surveys of events, editions and the hackathon linked to a programme activity.

This is the figure the programme report quotes; it goes through the statistics' settings:
a row with fewer responses than the minimum group size (STATS_MIN_GROUP_SIZE) shows neither
its mean nor its count, and when a published total (an area for its activities, every row of
a level together) would give a single hidden row away by subtraction, the next smallest row
is hidden too.

Return shape of `satisfaction_by(level, year=None)`: a list of `Satisfaction`, ordered by
label (years ascending):

    Satisfaction(key=<activity id | area id | year>, label="I.III.A.2 Diploma ..." | "I Economic
                 ..." | "2025", responses=<int, or None when suppressed>,
                 mean=<float 1..5, or None when suppressed>, suppressed=<bool>,
                 area_id=<int or None: the activity's thematic area, for activity rows>)

Only surveys whose owner is linked to an activity count (editions take the course's activity
when they have none of their own); surveys of unlinked events are not in any row, so every
level adds up to the same people.
"""

from dataclasses import dataclass

from sqlalchemy import Integer, and_, cast, func, literal, select, union_all

from elearn.courses.models import Course, Edition
from elearn.events.models import Event, EventStatus
from elearn.extensions import db
from elearn.forms.models import FormAnswer, FormQuestion, QuestionType
from elearn.hackathons.models import Hackathon
from elearn.programme.models import Activity, Programme, Project
from elearn.stats.labels import value_labels
from elearn.stats.services import settings

from .models import Survey, SurveyResponse

SATISFACTION_KEY = "satisfaction"  # surveys/templates.py: the standard evaluation
LEVELS = ("activity", "area", "year")


@dataclass(frozen=True)
class Satisfaction:
    key: int
    label: str
    responses: int | None
    mean: float | None
    suppressed: bool
    area_id: int | None = None


def _year(column):
    return cast(func.extract("year", column), Integer)


def _subjects():
    """survey id, activity id, year: one row per survey whose owner has an activity."""
    events = (select(Survey.id.label("survey_id"), Event.activity_id.label("activity_id"),
                     _year(Event.starts_at).label("year"))
              .join(Event, and_(Survey.owner_kind == "event", Event.id == Survey.owner_id))
              .where(Event.status != EventStatus.CANCELLED))
    hackathons = (select(Survey.id, Event.activity_id, _year(Event.starts_at))
                  .join(Hackathon, and_(Survey.owner_kind == "hackathon",
                                        Hackathon.id == Survey.owner_id))
                  .join(Event, Event.id == Hackathon.event_id)
                  .where(Event.status != EventStatus.CANCELLED))
    editions = (select(Survey.id, func.coalesce(Edition.activity_id, Course.activity_id),
                       _year(Edition.starts_on))
                .join(Edition, and_(Survey.owner_kind == "edition",
                                    Edition.id == Survey.owner_id))
                .join(Course, Course.id == Edition.course_id))
    return union_all(events, hackathons, editions).subquery("subject")


def _figures(year: int | None):
    """(activity id, area id, year, responses, sum of answers) per activity and year: one
    statement; the levels add these up (each response is in one activity and one year)."""
    subject = _subjects()
    statement = (
        select(subject.c.activity_id, Programme.area_id, subject.c.year,
               func.count(func.distinct(FormAnswer.response_id)), func.sum(FormAnswer.number))
        .select_from(FormAnswer)
        .join(FormQuestion, FormQuestion.id == FormAnswer.question_id)
        .join(SurveyResponse, SurveyResponse.id == FormAnswer.response_id)
        .join(subject, subject.c.survey_id == SurveyResponse.survey_id)
        .join(Activity, Activity.id == subject.c.activity_id)
        .join(Project, Project.id == Activity.project_id)
        .join(Programme, Programme.id == Project.programme_id)
        .where(FormQuestion.key == SATISFACTION_KEY, FormQuestion.type == QuestionType.RATING,
               FormAnswer.number.is_not(None))
        .group_by(subject.c.activity_id, Programme.area_id, subject.c.year))
    if year is not None:
        statement = statement.where(subject.c.year == literal(year))
    return db.session.execute(statement).all()


def satisfaction_by(level: str, year: int | None = None) -> list[Satisfaction]:
    """Mean overall satisfaction by "activity", "area" or "year" (optionally of one year);
    see the module's docstring for the shape."""
    if level not in LEVELS:
        raise ValueError(level)
    _threshold, min_group = settings()
    rows: dict = {}  # key -> [responses, sum, area]
    for activity_id, area_id, row_year, people, total in _figures(year):
        key = {"activity": activity_id, "area": area_id, "year": row_year}[level]
        found = rows.setdefault(key, [0, 0.0, area_id if level == "activity" else None])
        found[0] += people
        found[1] += float(total or 0)
    hidden = {k for k, (n, _s, _a) in rows.items() if n < min_group}
    hidden = _complementary(rows, hidden, min_group)
    labels = _labels(level, rows)
    found = [Satisfaction(key=k, label=labels[k], area_id=area,
                          responses=None if k in hidden else n,
                          mean=None if k in hidden or not n else total / n,
                          suppressed=k in hidden)
             for k, (n, total, area) in rows.items()]
    if level == "year":
        return sorted(found, key=lambda s: s.key)
    return sorted(found, key=lambda s: s.label.casefold())


def _complementary(rows: dict, hidden: set, min_group: int) -> set:
    """Hide the next smallest row of each published total holding exactly one hidden row:
    an area's activities (activity level), and all rows together (each level's sum is the
    year's or the programme's total, published at the level above)."""
    hidden = set(hidden)
    partitions: dict = {"all": list(rows)}
    for key, (_n, _s, area) in rows.items():
        if area is not None:  # activity rows: their area's total is published too
            partitions.setdefault(area, []).append(key)
    changed = True
    while changed:
        changed = False
        for keys in partitions.values():
            size = sum(rows[k][0] for k in keys)
            shown = [k for k in keys if k not in hidden]
            if size >= min_group and len(keys) - len(shown) == 1 and shown:
                hidden.add(min(shown, key=lambda k: rows[k][0]))
                changed = True
    return hidden


def _labels(level: str, rows: dict) -> dict:
    if level == "year":
        return {k: str(k) for k in rows}
    return value_labels("activity" if level == "activity" else "thematic_area", set(rows))
