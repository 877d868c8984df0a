"""Course fixtures: an open edition with one open module (a lesson, a quiz, an assignment) and
one module that opens next week, an instructor, and helpers to make accepted participants."""

from datetime import UTC, date, datetime, timedelta

import pytest

from elearn.courses.assessment_models import (
    Assessment,
    AssessmentKind,
    LatePolicy,
    Question,
    QuestionKind,
)
from elearn.courses.models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    Module,
)
from elearn.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def now():
    return datetime.now(UTC)


@pytest.fixture(autouse=True)
def _course_files(app_config, tmp_path):
    """Uploads go to a temporary folder, not the instance folder."""
    app_config["COURSE_FILES_DIR"] = str(tmp_path / "course_files")


@pytest.fixture
def instructor(make_user):
    return make_user(email="teacher@example.org", roles=["instructor"], full_name="Ana Teacher")


@pytest.fixture
def edition(app, instructor):
    course = Course(title_en="Gender-focused Diploma Course on SME policies",
                    title_es="Diplomado en políticas públicas para pymes con enfoque de género",
                    description_en="For public officials.", languages=["es", "en"])
    ed = Edition(course=course, name_en="Second edition", starts_on=date.today(),
                 ends_on=date.today() + timedelta(days=60), timezone="America/Caracas",
                 language="en", status=EditionStatus.OPEN, capacity=3,
                 applications_open_at=now() - timedelta(days=5),
                 applications_close_at=now() + timedelta(days=5),
                 min_grade=60, require_required_passed=True, min_attendance_share=0.75,
                 require_final_passed=True)
    ed.instructors = [EditionInstructor(user_id=instructor.id)]
    first = Module(edition=ed, position=1, title_en="SME digitalisation",
                   opens_at=now() - timedelta(days=1), hours=10)
    Module(edition=ed, position=2, title_en="Business diagnostics",
           opens_at=now() + timedelta(days=7), hours=10,
           lessons=[Lesson(position=1, title="Diagnostics tools", body_html="<p>Later</p>")])
    first.lessons.append(Lesson(position=1, title="Why digitalise",
                                body_markdown="Hello", body_html="<p>Hello</p>"))
    db.session.add(ed)
    db.session.flush()
    quiz = Assessment(edition=ed, module=first, kind=AssessmentKind.QUIZ, position=1,
                      title="Quiz 1", weight=1, required=True, pass_mark=50, max_attempts=2,
                      due_at=now() + timedelta(days=3))
    quiz.questions = [
        Question(position=1, kind=QuestionKind.SINGLE, text="Pick B", choices=["A", "B", "C"],
                 correct=[1]),
        Question(position=2, kind=QuestionKind.MULTIPLE, text="Pick A and C",
                 choices=["A", "B", "C"], correct=[0, 2]),
        Question(position=3, kind=QuestionKind.TRUE_FALSE, text="SMEs matter", correct=[True]),
        Question(position=4, kind=QuestionKind.NUMERIC, text="About pi", correct=[3.14],
                 tolerance=0.01),
    ]
    case = Assessment(edition=ed, module=first, kind=AssessmentKind.ASSIGNMENT, position=2,
                      title="Case study of your country", weight=3, required=True,
                      is_final=True, pass_mark=60, max_score=20,
                      due_at=now() + timedelta(days=10), late_policy=LatePolicy.FLAG)
    db.session.add_all([quiz, case])
    db.session.commit()
    return ed


def assessment(edition, kind):
    return db.session.scalar(db.select(Assessment).where(Assessment.edition_id == edition.id,
                                                         Assessment.kind == kind))


@pytest.fixture
def quiz(edition):
    return assessment(edition, AssessmentKind.QUIZ)


@pytest.fixture
def case_study(edition):
    return assessment(edition, AssessmentKind.ASSIGNMENT)


@pytest.fixture
def participant(make_user, edition):
    """make participant(**profile) -> an accepted participant of `edition` (seat taken)."""

    def make(status=EnrolmentStatus.ACCEPTED, **profile):
        profile.setdefault("country", "VE")
        user = make_user(**profile)
        db.session.add(Enrolment(edition_id=edition.id, user_id=user.id, status=status,
                                 motivation="Because."))
        if status == EnrolmentStatus.ACCEPTED:
            edition.seats_taken += 1
        db.session.commit()
        return user

    return make
