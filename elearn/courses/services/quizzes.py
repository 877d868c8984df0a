"""Quizzes: attempts limited in number and (server-side) in time, graded automatically."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.extensions import db

from ..assessment_models import Assessment, Question, QuestionKind, QuizAttempt
from ..errors import CourseError
from .access import require_open_for

# Network delay between the last click and the server: not a reason to lose an attempt.
GRACE = timedelta(seconds=30)


def attempts_of(assessment: Assessment, user) -> list[QuizAttempt]:
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.assessment_id == assessment.id,
                                  QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.number)))


def deadline(attempt: QuizAttempt) -> datetime | None:
    limit = attempt.assessment.time_limit_minutes
    return attempt.started_at + timedelta(minutes=limit) if limit else None


def feedback_visible(assessment: Assessment, now: datetime | None = None) -> bool:
    """Correct answers only once the due date has passed, so they cannot be shared early."""
    now = now or utcnow()
    return assessment.due_at is not None and now > assessment.due_at


@dataclass
class QuizState:
    """What the quiz page offers one person: a Start button, or why not and their result."""

    can_start: bool
    closed_on: datetime | None  # the due date, once passed
    best: float | None  # best submitted percent
    attempts_left: int | None

    @property
    def passed(self) -> bool | None:
        return None if self.best is None else self.best >= self.pass_mark

    pass_mark: float = 0


def state_for(assessment: Assessment, attempts: list[QuizAttempt], *, may_take: bool,
              now: datetime | None = None) -> QuizState:
    """The same conditions as `start`, read without writing, so the page never offers a
    button that can only lead to a refusal."""
    now = now or utcnow()
    scores = [a.percent for a in attempts if a.percent is not None]
    best = max(scores) if scores else None
    closed_on = assessment.due_at if assessment.due_at and now > assessment.due_at else None
    open_attempt = any(a.submitted_at is None and (deadline(a) is None
                                                  or now <= deadline(a) + GRACE)
                       for a in attempts)
    left = None
    if assessment.max_attempts is not None:
        left = max(assessment.max_attempts - len(attempts), 0)
    can_start = (may_take and closed_on is None and bool(assessment.questions)
                 and (open_attempt or left is None or left > 0))
    return QuizState(can_start, closed_on, best, left, assessment.pass_mark)


def start(assessment: Assessment, user, *, now=None) -> QuizAttempt:
    """The open attempt, or a new one when attempts remain (caller commits)."""
    now = now or utcnow()
    if not assessment.is_quiz:
        raise CourseError(_("This is not a quiz."), 404)
    require_open_for(assessment, user, now)
    # Correct answers are published at the due date, so a quiz never takes late attempts.
    if assessment.due_at and now > assessment.due_at:
        raise CourseError(_("The due date has passed; this quiz is closed."), 409)
    attempts = attempts_of(assessment, user)
    current = next((a for a in attempts if a.submitted_at is None), None)
    if current is not None and (deadline(current) is None or now <= deadline(current) + GRACE):
        return current
    used = len(attempts)
    if assessment.max_attempts is not None and used >= assessment.max_attempts:
        raise CourseError(_("You have used all %(n)s attempts for this quiz.",
                            n=assessment.max_attempts), 409)
    if not assessment.questions:
        raise CourseError(_("This quiz has no questions yet."), 409)
    attempt = QuizAttempt(assessment=assessment, user_id=user.id, number=used + 1,
                          started_at=now)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _index(value) -> int | None:
    text = str(value)
    return int(text) if text.isdigit() and len(text) < 4 else None


def _is_correct(question: Question, raw) -> bool:
    """raw: what the form sent for this question (str, or list of str for MULTIPLE)."""
    if question.kind == QuestionKind.MULTIPLE:
        chosen = {_index(v) for v in raw} - {None} if isinstance(raw, list) else set()
        return chosen == {int(c) for c in question.correct}
    if raw in (None, "", []):
        return False
    value = raw[0] if isinstance(raw, list) else raw
    if question.kind == QuestionKind.SINGLE:
        return _index(value) == int(question.correct[0])
    if question.kind == QuestionKind.TRUE_FALSE:
        return str(value).lower() == str(bool(question.correct[0])).lower()
    try:
        number = float(str(value)[:50].replace(",", "."))
    except ValueError:
        return False
    if not math.isfinite(number):
        return False
    return abs(number - float(question.correct[0])) <= question.tolerance + 1e-9


def _normalise(question: Question, raw):
    if question.kind == QuestionKind.MULTIPLE:
        return [str(v) for v in (raw or [])][:50]
    value = raw[0] if isinstance(raw, list) and raw else raw
    return None if value in (None, []) else str(value)[:100]


def submit(attempt: QuizAttempt, user, answers: dict[str, object], *, now=None) -> QuizAttempt:
    """Grade and close the attempt (caller commits). `answers` maps str(question id) to the
    submitted value. Answers after the time limit are refused and not stored."""
    now = now or utcnow()
    if attempt.user_id != user.id:
        raise CourseError(_("This is not your attempt."), 403)
    if attempt.submitted_at is not None:
        raise CourseError(_("This attempt has already been submitted."), 409)
    limit = deadline(attempt)
    if limit is not None and now > limit + GRACE:
        raise CourseError(_("The time limit for this attempt has passed; your answers were not "
                            "accepted."), 409)
    assessment = attempt.assessment
    total = sum(q.points for q in assessment.questions) or 1
    score = 0.0
    stored = {}
    for question in assessment.questions:
        raw = answers.get(str(question.id))
        stored[str(question.id)] = _normalise(question, raw)
        if _is_correct(question, raw):
            score += question.points
    attempt.answers = stored
    attempt.score = score
    attempt.percent = round(100 * score / total, 2)
    attempt.submitted_at = now
    audit("quiz.graded", attempt, actor=user, before={"percent": None},
          after={"percent": attempt.percent, "attempt": attempt.number})
    return attempt


def best_percent(assessment: Assessment, user) -> float | None:
    return db.session.scalar(
        select(func.max(QuizAttempt.percent)).where(QuizAttempt.assessment_id == assessment.id,
                                                    QuizAttempt.user_id == user.id))


def results(attempt: QuizAttempt) -> list[dict]:
    """Per question: what was answered and whether it was right (shown after the due date)."""
    answers = attempt.answers or {}
    return [{"question": q, "answer": answers.get(str(q.id)),
             "correct": _is_correct(q, answers.get(str(q.id)))}
            for q in attempt.assessment.questions]
