"""Authoring services: courses, editions with instructors, modules, assessments, questions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.courses.assessment_models import (
    Assessment,
    AssessmentKind,
    LatePolicy,
    Question,
    QuestionKind,
)
from elearn.courses.errors import CourseError
from elearn.courses.models import Course, Edition, EditionStatus, LessonView, Module
from elearn.courses.services import assessment_authoring as assess
from elearn.courses.services import authoring, quizzes
from elearn.extensions import db

from .conftest import now


@pytest.fixture
def organiser(make_user):
    return make_user(email="organiser@sela.example", roles=["organiser"])


def edition_values(**changes):
    values = {
        "name_en": "Caribbean edition", "starts_on": date(2027, 3, 1), "ends_on": date(2027, 5, 1),
        "timezone": "America/Port_of_Spain", "language": "en", "capacity": 25,
        "applications_open_at": datetime(2027, 1, 1, tzinfo=UTC),
        "applications_close_at": datetime(2027, 2, 1, tzinfo=UTC),
        "eligible_countries": [], "eligible_subregions": ["caribbean"],
        "eligible_sectors": ["government"], "public_officials_only": True,
        "min_grade": 60, "min_attendance_share": 0.75, "require_required_passed": True,
        "require_final_passed": True,
    }
    values.update(changes)
    return values


def audits(action):
    return db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)).all()


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_and_update_course_is_audited(app, organiser):
    course = authoring.create_course({
        "title_en": " SME policy diploma ", "title_es": "Diplomado pymes",
        "description_en": "For officials.", "languages": ["en", "es"]}, actor=organiser)
    db.session.commit()
    assert course.title["en"] == "SME policy diploma" and course.languages == ["es", "en"]
    [entry] = audits("course.created")
    assert entry.actor_id == organiser.id and entry.subject_id == str(course.id)
    # Taught in English only now: the English title is the required one.
    authoring.update_course(course, {"title": {"en": "SME diploma"}, "languages": ["en"]},
                            actor=organiser)
    assert course.title == {"en": "SME diploma"} and course.main_language == "en"
    assert audits("course.updated")[0].before["title"] == {"en": "SME policy diploma",
                                                           "es": "Diplomado pymes"}


@pytest.mark.parametrize("values, message", [
    ({"title_en": "", "languages": ["es"]}, "title in its first language, Spanish"),
    ({"title_en": "X", "languages": ["es", "en"]}, "title in its first language, Spanish"),
    ({"title_en": "X", "languages": []}, "at least one language"),
    ({"title_en": "X", "languages": ["de"]}, "languages from the list"),
    ({"title_en": "X", "languages": ["es"], "activity_id": 999}, "activity"),
])
def test_invalid_course_is_refused_and_nothing_written(app, organiser, values, message):
    with pytest.raises(CourseError) as exc:
        authoring.create_course(values, actor=organiser)
    assert exc.value.status == 400 and message in exc.value.message
    db.session.rollback()
    assert count(Course) == 0


def test_create_edition_with_instructors(app, organiser, edition, instructor):
    new = authoring.create_edition(edition.course, edition_values(), [instructor.id],
                                   actor=organiser)
    db.session.commit()
    assert new.status == EditionStatus.DRAFT and new.seats_taken == 0
    assert new.eligible_subregions == ["caribbean"] and new.public_officials_only
    assert [i.user_id for i in new.instructors] == [instructor.id]
    [entry] = audits("edition.created")
    assert entry.after["instructors"] == [instructor.id] and entry.actor_id == organiser.id


@pytest.mark.parametrize("changes, message", [
    ({"timezone": "Mars/Olympus"}, "valid time zone"),
    ({"ends_on": date(2027, 1, 1)}, "end after it starts"),
    ({"eligible_countries": ["ZZ"]}, "Unknown country"),
    ({"name_en": "  "}, "name"),
])
def test_invalid_edition_is_refused_and_nothing_written(app, organiser, edition, changes,
                                                        message):
    before = count(Edition)
    with pytest.raises(CourseError) as exc:
        authoring.create_edition(edition.course, edition_values(**changes), actor=organiser)
    assert exc.value.status == 400 and message in exc.value.message
    db.session.rollback()
    assert count(Edition) == before and not audits("edition.created")


def test_only_instructors_can_teach(app, organiser, edition, make_user):
    someone = make_user()
    with pytest.raises(CourseError, match="instructor role"):
        authoring.create_edition(edition.course, edition_values(), [someone.id],
                                 actor=organiser)
    with pytest.raises(CourseError):
        authoring.set_instructors(edition, [someone.id], actor=organiser)
    other = make_user(roles=["instructor"])
    authoring.set_instructors(edition, [other.id], actor=organiser)
    db.session.commit()
    assert [i.user_id for i in edition.instructors] == [other.id]


def test_modules_add_move_remove(app, organiser, edition):
    zone_start = datetime(2027, 3, 1, 8, tzinfo=UTC)
    third = authoring.add_module(edition, {"title_en": "Diagnostics", "hours": 8,
                                           "opens_at": zone_start,
                                           "closes_at": zone_start + timedelta(days=7)},
                                 actor=organiser)
    db.session.commit()
    titles = lambda: [m.title["en"] for m in db.session.scalars(  # noqa: E731
        select(Module).where(Module.edition_id == edition.id).order_by(Module.position))]
    assert titles() == ["SME digitalisation", "Business diagnostics", "Diagnostics"]
    authoring.move_module(third, -1, actor=organiser)
    db.session.commit()
    assert titles() == ["SME digitalisation", "Diagnostics", "Business diagnostics"]
    authoring.move_module(db.session.scalar(select(Module).where(Module.position == 1)), -1,
                          actor=organiser)  # already first: nothing moves
    assert titles()[0] == "SME digitalisation"
    authoring.remove_module(third, actor=organiser)
    db.session.commit()
    assert titles() == ["SME digitalisation", "Business diagnostics"]
    assert [m.position for m in edition.modules] == [1, 2]


def test_module_validation(app, organiser, edition):
    start = now()
    with pytest.raises(CourseError) as exc:
        authoring.add_module(edition, {"title_en": "", "hours": -1, "opens_at": start,
                                       "closes_at": start - timedelta(days=1)},
                             actor=organiser)
    for part in ("title in the edition's language, English", "close after it opens",
                 "hours of training"):
        assert part in exc.value.message


def test_module_with_viewed_lessons_is_kept(app, organiser, edition, participant):
    user = participant()
    module = edition.modules[0]
    db.session.add(LessonView(lesson_id=module.lessons[0].id, user_id=user.id))
    db.session.commit()
    with pytest.raises(CourseError) as exc:
        authoring.remove_module(module, actor=organiser)
    assert exc.value.status == 409
    assert db.session.get(Module, module.id) is not None


def quiz_values(**changes):
    values = {"title": "Quiz 2", "module_id": None, "instructions": "", "weight": 2,
              "required": True, "pass_mark": 70, "due_at": now() + timedelta(days=5),
              "max_attempts": 3, "time_limit_minutes": 20}
    values.update(changes)
    return values


def assignment_values(**changes):
    values = {"title": "Final paper", "module_id": None, "instructions": "5 pages",
              "weight": 3, "required": True, "pass_mark": 60, "due_at": None,
              "late_policy": "refuse", "max_score": 20, "is_final": True,
              "accepts_file": True, "accepts_text": False}
    values.update(changes)
    return values


def test_create_quiz_and_assignment(app, organiser, edition):
    quiz = assess.create(edition, AssessmentKind.QUIZ,
                         quiz_values(module_id=edition.modules[0].id), actor=organiser)
    paper = assess.create(edition, AssessmentKind.ASSIGNMENT, assignment_values(),
                          actor=organiser)
    db.session.commit()
    assert (quiz.max_attempts, quiz.time_limit_minutes, quiz.pass_mark) == (3, 20, 70)
    assert quiz.position == 3 and paper.position == 4
    assert paper.late_policy == LatePolicy.REFUSE and paper.is_final and not paper.accepts_text
    assess.update(paper, assignment_values(max_score=40), actor=organiser)
    assert paper.max_score == 40
    assert audits("assignment.updated")[0].after == {"max_score": 40}


@pytest.mark.parametrize("kind, changes, message", [
    ("quiz", {"pass_mark": 120}, "pass mark"),
    ("quiz", {"max_attempts": 0}, "attempts"),
    ("quiz", {"title": ""}, "title"),
    ("quiz", {"module_id": 10**6}, "module of this edition"),
    ("assignment", {"max_score": 0}, "maximum score"),
    ("assignment", {"accepts_file": False}, "file, a text answer"),
    ("assignment", {"late_policy": "ignore"}, "late work"),
])
def test_invalid_assessment(app, organiser, edition, kind, changes, message):
    values = (quiz_values if kind == "quiz" else assignment_values)(**changes)
    before = count(Assessment)
    with pytest.raises(CourseError) as exc:
        assess.create(edition, AssessmentKind(kind), values, actor=organiser)
    assert exc.value.status == 400 and message in exc.value.message
    db.session.rollback()
    assert count(Assessment) == before


def test_questions_of_every_kind(app, organiser, edition, participant):
    quiz = assess.create(edition, AssessmentKind.QUIZ, quiz_values(), actor=organiser)
    single = assess.add_question(quiz, "single", "Pick B",
                                 options=[("A", False), ("B", True), ("", False)],
                                 actor=organiser)
    multiple = assess.add_question(quiz, "multiple", "Pick A and C",
                                   options=[("A", True), ("B", False), ("C", True)],
                                   actor=organiser)
    truth = assess.add_question(quiz, "true_false", "SMEs matter", answer=False,
                                actor=organiser)
    number = assess.add_question(quiz, "numeric", "Pi", answer=3.14, tolerance=0.01,
                                 points=2, actor=organiser)
    db.session.commit()
    assert (single.choices, single.correct) == (["A", "B"], [1])
    assert multiple.correct == [0, 2] and truth.correct == [False]
    assert (number.correct, number.tolerance, number.points) == ([3.14], 0.01, 2)
    assert [q.position for q in quiz.questions] == [1, 2, 3, 4]
    # The questions grade as written.
    user = participant()
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {str(single.id): "1", str(multiple.id): ["0", "2"],
                                   str(truth.id): "false", str(number.id): "3.141"})
    assert attempt.percent == 100


@pytest.mark.parametrize("kind, kwargs, message", [
    ("single", {"options": [("A", True), ("B", True)]}, "exactly one"),
    ("single", {"options": [("A", False), ("B", False)]}, "exactly one"),
    ("multiple", {"options": [("A", False), ("B", False)]}, "at least one"),
    ("multiple", {"options": [("A", True)]}, "between 2"),
    ("single", {"options": [("A", False), ("", True), ("B", False)]}, "has no text"),
    ("true_false", {"answer": None}, "true or false"),
    ("numeric", {"answer": None}, "correct number"),
    ("numeric", {"answer": 3, "tolerance": -1}, "tolerance"),
    ("essay", {}, "kind of question"),
])
def test_invalid_questions(app, organiser, edition, kind, kwargs, message):
    quiz = assess.create(edition, AssessmentKind.QUIZ, quiz_values(), actor=organiser)
    with pytest.raises(CourseError) as exc:
        assess.add_question(quiz, kind, "Question?", actor=organiser, **kwargs)
    assert exc.value.status == 400 and message in exc.value.message
    db.session.rollback()
    assert count(Question) == 4  # the fixture's quiz only


def test_work_done_locks_questions_and_removal(app, organiser, edition, quiz, participant):
    user = participant()
    attempt = quizzes.start(quiz, user)
    db.session.commit()
    assert attempt.id
    with pytest.raises(CourseError) as exc:
        assess.remove(quiz, actor=organiser)
    assert exc.value.status == 409
    with pytest.raises(CourseError) as exc:
        assess.add_question(quiz, QuestionKind.TRUE_FALSE, "More?", answer=True,
                            actor=organiser)
    assert exc.value.status == 409
    with pytest.raises(CourseError):
        assess.remove_question(quiz.questions[0], actor=organiser)
    db.session.rollback()
    assert len(quiz.questions) == 4


def test_remove_unused_assessment_and_question(app, organiser, edition, quiz, case_study):
    assess.remove_question(quiz.questions[0], actor=organiser)
    db.session.commit()
    assert [q.position for q in quiz.questions] == [1, 2, 3]
    assess.remove(case_study, actor=organiser)
    db.session.commit()
    assert db.session.get(Assessment, case_study.id) is None
    assert audits("assignment.removed")
