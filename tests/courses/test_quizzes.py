"""Quizzes: grading of each question kind, attempts limit, server-side time limit, feedback."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.audit.models import AuditRecord
from elearn.courses.assessment_models import QuizAttempt
from elearn.courses.errors import CourseError
from elearn.courses.models import EnrolmentStatus
from elearn.courses.services import quizzes
from elearn.extensions import db

from .conftest import now


def ids(quiz):
    return [str(q.id) for q in quiz.questions]


def all_right(quiz):
    single, multiple, true_false, numeric = ids(quiz)
    return {single: "1", multiple: ["0", "2"], true_false: "true", numeric: "3,145"}


def test_every_kind_graded(quiz, participant):
    user = participant()
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, all_right(quiz))
    db.session.commit()
    assert attempt.percent == 100
    audit = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "quiz.graded"))
    assert audit.after["percent"] == 100


def test_wrong_answers_score_zero(quiz, participant):
    user = participant()
    single, multiple, true_false, numeric = ids(quiz)
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {single: "0", multiple: ["0"], true_false: "false",
                                   numeric: "3.2"})
    assert attempt.percent == 0


def test_partial_and_garbage(quiz, participant):
    user = participant()
    single, multiple, true_false, numeric = ids(quiz)
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {single: "1", multiple: ["0", "2", "x"], true_false: None,
                                   numeric: "nan"})
    assert attempt.percent == 50


def test_attempts_limit(quiz, participant):
    user = participant()
    for _ in range(2):
        attempt = quizzes.start(quiz, user)
        quizzes.submit(attempt, user, {})
        db.session.commit()
    with pytest.raises(CourseError, match="used all 2 attempts") as exc:
        quizzes.start(quiz, user)
    assert exc.value.status == 409


def test_open_attempt_is_resumed_not_duplicated(quiz, participant):
    user = participant()
    first = quizzes.start(quiz, user)
    db.session.commit()
    assert quizzes.start(quiz, user).id == first.id


def test_answers_after_the_time_limit_are_refused(quiz, participant):
    quiz.time_limit_minutes = 10
    db.session.commit()
    user = participant()
    attempt = quizzes.start(quiz, user, now=now() - timedelta(minutes=11))
    db.session.commit()
    with pytest.raises(CourseError, match="time limit") as exc:
        quizzes.submit(attempt, user, all_right(quiz))
    assert exc.value.status == 409
    db.session.rollback()
    db.session.refresh(attempt)
    assert attempt.submitted_at is None and attempt.answers is None


def test_submitting_twice_refused(quiz, participant):
    user = participant()
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {})
    with pytest.raises(CourseError, match="already"):
        quizzes.submit(attempt, user, {})


def test_only_accepted_participants(quiz, participant):
    pending = participant(status=EnrolmentStatus.PENDING)
    with pytest.raises(CourseError) as exc:
        quizzes.start(quiz, pending)
    assert exc.value.status == 403


def test_feedback_only_after_due_date(quiz):
    assert not quizzes.feedback_visible(quiz)
    assert quizzes.feedback_visible(quiz, now() + timedelta(days=4))


# --- pages ------------------------------------------------------------------------------------

def test_taking_a_quiz_through_the_pages(client, login, quiz, participant):
    user = participant()
    login(user)
    page = client.get(f"/courses/assessments/{quiz.id}")
    assert page.status_code == 200 and b"Start" in page.data
    started = client.post(f"/courses/assessments/{quiz.id}/start")
    assert started.status_code == 302
    attempt = db.session.scalar(select(QuizAttempt))
    form = client.get(started.headers["Location"])
    assert b"Pick B" in form.data
    single, multiple, true_false, numeric = ids(quiz)
    done = client.post(f"/courses/attempts/{attempt.id}",
                       data={f"q{single}": "1", f"q{multiple}": ["0", "2"],
                             f"q{true_false}": "true", f"q{numeric}": "3.14"})
    assert done.status_code == 302
    result = client.get(f"/courses/attempts/{attempt.id}")
    assert b"100%" in result.data
    assert b"Correct answer" not in result.data  # not before the due date
    again = client.post(f"/courses/attempts/{attempt.id}", data={})
    assert again.status_code == 409


def test_feedback_shown_after_due_date(client, login, quiz, participant):
    user = participant()
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {})
    quiz.due_at = now() - timedelta(minutes=1)
    db.session.commit()
    login(user)
    assert b"Correct answer" in client.get(f"/courses/attempts/{attempt.id}").data


def test_someone_else_cannot_open_my_attempt(client, login, quiz, participant):
    owner, other = participant(), participant()
    attempt = quizzes.start(quiz, owner)
    db.session.commit()
    login(other)
    assert client.get(f"/courses/attempts/{attempt.id}").status_code == 403
    assert client.post(f"/courses/attempts/{attempt.id}", data={}).status_code == 403


def test_attempts_beyond_limit_via_page(client, login, quiz, participant):
    quiz.max_attempts = 1
    db.session.commit()
    user = participant()
    quizzes.submit(quizzes.start(quiz, user), user, {})
    db.session.commit()
    login(user)
    refused = client.post(f"/courses/assessments/{quiz.id}/start")
    assert refused.status_code == 409 and b"used all 1 attempts" in refused.data


def test_absurd_answers_are_simply_wrong(quiz, participant):
    user = participant()
    single, multiple, true_false, numeric = ids(quiz)
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {single: "9" * 5000, multiple: ["9" * 5000, "-1"],
                                   true_false: "maybe", numeric: "1e999"})
    assert attempt.percent == 0


def test_no_attempts_after_the_due_date_once_answers_are_published(quiz, participant):
    user = participant()
    quiz.due_at = now() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(CourseError, match="due date has passed") as exc:
        quizzes.start(quiz, user)
    assert exc.value.status == 409
