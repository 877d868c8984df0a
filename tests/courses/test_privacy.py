"""A person's course data: the download has all of it, and erasure leaves none of their
words, files or name in the courses tables (statuses, grades and scores stay, anonymous)."""

import subprocess
import sys

from sqlalchemy import String, Text, select

from elearn.accounts.services import erase_user, export_data
from elearn.courses import assessment_models
from elearn.courses import models as course_models
from elearn.courses.models import EditionInstructor, Enrolment, EnrolmentStatus
from elearn.courses.services import assignments, quizzes
from elearn.courses.services.progress import mark_viewed
from elearn.extensions import db

from .conftest import PDF


def did_everything(edition, quiz, case_study, participant, instructor):
    """Applied with a motivation, was rejected with a reason naming her, then accepted; viewed
    a lesson, took the quiz, handed in the case study with a file, got feedback by name."""
    user = participant(email="maria.perez@example.org", full_name="María Pérez")
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
    enrolment.motivation = "I am María Pérez and I run the SME desk."
    enrolment.rejection_reason = "María Pérez: first round was full."
    mark_viewed(edition.modules[0].lessons[0], user)
    single, multiple, true_false, numeric = [str(q.id) for q in quiz.questions]
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {single: "1", multiple: ["0"], true_false: "true",
                                   numeric: "3"})
    row = assignments.submit(case_study, user, "Case study by María Pérez",
                             ("maria-perez-case.pdf", PDF))
    assignments.grade(row, 16, "Well argued, María Pérez.", actor=instructor)
    db.session.commit()
    return user


def test_download_has_every_course_row(edition, quiz, case_study, participant, instructor):
    user = did_everything(edition, quiz, case_study, participant, instructor)
    data = export_data(user)
    enrolment = data["course_enrolments"][0]
    assert enrolment["edition"] == "Second edition" and enrolment["status"] == "accepted"
    assert enrolment["motivation"].startswith("I am María")
    assert enrolment["rejection_reason"] == "María Pérez: first round was full."
    assert data["course_lessons_viewed"][0]["lesson"] == "Why digitalise"
    attempt = data["course_quiz_attempts"][0]
    assert attempt["quiz"] == "Quiz 1" and attempt["submitted_at"]
    assert {"question": "Pick B", "answer": "1"} in attempt["answers"]
    assert {"question": "Pick A and C", "answer": ["0"]} in attempt["answers"]
    work = data["course_submissions"][0]
    assert work["text"] == "Case study by María Pérez" and work["file"]
    assert work["score"] == 16 and work["comments"] == "Well argued, María Pérez."
    assert data["course_editions_taught"] == []
    assert export_data(instructor)["course_editions_taught"] == ["Second edition"]


def text_columns():
    """Every text column of every courses table."""
    for module in (course_models, assessment_models):
        for mapper in db.Model.registry.mappers:
            cls = mapper.class_
            if cls.__module__ != module.__name__:
                continue
            for column in mapper.columns:
                if isinstance(column.type, String | Text):
                    yield cls, column


def test_erasure_leaves_no_words_files_or_name(edition, quiz, case_study, participant,
                                               instructor):
    user = did_everything(edition, quiz, case_study, participant, instructor)
    user_id = user.id
    erase_user(user)
    db.session.commit()
    hits = []
    for cls, column in text_columns():
        for needle in ("María", "Pérez", "maria", "perez"):
            found = db.session.scalar(select(column).where(column.ilike(f"%{needle}%")))
            if found is not None:
                hits.append((cls.__name__, column.name, found))
    assert hits == []
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id))
    assert enrolment.status == EnrolmentStatus.ACCEPTED and enrolment.motivation == ""
    assert enrolment.rejection_reason is None
    work = assignments.submission_of(case_study, db.session.get(type(user), user_id))
    assert work.text is None and work.comments is None and work.stored_name is None
    assert work.score == 16  # the grade stays: completion and statistics count it


def test_erased_instructor_no_longer_teaches(edition, instructor):
    erase_user(instructor)
    db.session.commit()
    assert db.session.scalar(select(EditionInstructor).where(
        EditionInstructor.user_id == instructor.id)) is None


def test_hooks_registered_at_app_start():
    """A fresh interpreter that only builds the app has the courses hooks in place."""
    code = ("from elearn import create_app\n"
            "from elearn.accounts.services import erasure_hooks, export_providers\n"
            "create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'k' * 40})\n"
            "print(sorted({f.__module__ for f in export_providers + erasure_hooks}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert "elearn.courses.privacy" in result.stdout
