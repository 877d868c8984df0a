"""Authoring assessments: quizzes with their questions, and assignments. All input is checked
before anything changes (CourseError 400); what participants already did is protected
(CourseError 409): an assessment with attempts or submissions is not removed, and the questions
of a quiz somebody has attempted are not changed, since that would alter their scores."""

import math
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.audit.services import record as audit
from elearn.extensions import db

from ..assessment_models import (
    Assessment,
    AssessmentKind,
    LatePolicy,
    Question,
    QuestionKind,
    QuizAttempt,
    Submission,
)
from ..errors import CourseError
from ..models import Edition, Module
from .authoring import exists

MAX_CHOICES = 10
COMMON = ("title", "module_id", "instructions", "weight", "required", "pass_mark", "due_at")
QUIZ_FIELDS = COMMON + ("max_attempts", "time_limit_minutes")
ASSIGNMENT_FIELDS = COMMON + ("late_policy", "max_score", "is_final", "accepts_file",
                              "accepts_text")


def _fail(problems: list[str], status: int = 400):
    raise CourseError(" ".join(problems), status)


def _number(value, low, high) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and low <= value <= high


def _values(edition: Edition, kind: AssessmentKind, v: dict) -> dict:
    problems = []
    title = (v.get("title") or "").strip()
    if not title:
        problems.append(_("Give the assessment a title."))
    module_id = v.get("module_id") or None
    if module_id is not None:
        module = db.session.get(Module, module_id) if exists(Module, module_id) else None
        if module is None or module.edition_id != edition.id:
            problems.append(_("Choose a module of this edition."))
    if not _number(v.get("weight"), 0, 1000):
        problems.append(_("The weight must be between 0 and 1000."))
    if not _number(v.get("pass_mark"), 0, 100):
        problems.append(_("The pass mark must be between 0 and 100 %."))
    due = v.get("due_at")
    if due is not None and (not isinstance(due, datetime) or due.tzinfo is None):
        problems.append(_("Give the due date with a time zone."))
    clean = {"title": title[:300], "module_id": module_id,
             "instructions": (v.get("instructions") or "").strip(),
             "weight": v.get("weight"), "required": bool(v.get("required")),
             "pass_mark": v.get("pass_mark"), "due_at": due}
    if kind == AssessmentKind.QUIZ:
        attempts, minutes = v.get("max_attempts"), v.get("time_limit_minutes")
        if attempts is not None and not _number(attempts, 1, 100):
            problems.append(_("Allow between 1 and 100 attempts, or leave it empty for no "
                              "limit."))
        if minutes is not None and not _number(minutes, 1, 24 * 60):
            problems.append(_("The time limit must be between 1 and 1440 minutes, or empty."))
        clean.update(max_attempts=attempts, time_limit_minutes=minutes)
    else:
        try:
            policy = LatePolicy(v.get("late_policy") or LatePolicy.FLAG)
        except ValueError:
            policy = None
            problems.append(_("Choose what happens to late work."))
        if not _number(v.get("max_score"), 0.01, 100_000):
            problems.append(_("The maximum score must be more than 0."))
        accepts_file, accepts_text = bool(v.get("accepts_file")), bool(v.get("accepts_text"))
        if not (accepts_file or accepts_text):
            problems.append(_("Accept a file, a text answer or both."))
        clean.update(late_policy=policy, max_score=v.get("max_score"),
                     is_final=bool(v.get("is_final")), accepts_file=accepts_file,
                     accepts_text=accepts_text)
    if problems:
        _fail(problems)
    return clean


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(
        v, LatePolicy) else v) for k, v in values.items()}


def create(edition: Edition, kind: AssessmentKind, values: dict, *, actor) -> Assessment:
    """A quiz (values: QUIZ_FIELDS) or an assignment (values: ASSIGNMENT_FIELDS)."""
    kind = AssessmentKind(kind)
    clean = _values(edition, kind, values)
    last = db.session.scalar(select(func.max(Assessment.position))
                             .where(Assessment.edition_id == edition.id)) or 0
    item = Assessment(edition_id=edition.id, kind=kind, position=last + 1, **clean)
    db.session.add(item)
    db.session.flush()
    audit(f"{kind.value}.created", item, actor=actor, after=_plain(clean))
    return item


def update(item: Assessment, values: dict, *, actor) -> Assessment:
    clean = _values(item.edition, item.kind, values)
    before = {k: getattr(item, k) for k in clean}
    for key, value in clean.items():
        setattr(item, key, value)
    changed = {k for k in clean if before[k] != clean[k]}
    if changed:
        audit(f"{item.kind.value}.updated", item, actor=actor,
              before=_plain({k: before[k] for k in changed}),
              after=_plain({k: clean[k] for k in changed}))
    return item


def work_count(item: Assessment) -> int:
    """Attempts or submissions already made on this assessment."""
    model = QuizAttempt if item.is_quiz else Submission
    return db.session.scalar(select(func.count(model.id))
                             .where(model.assessment_id == item.id)) or 0


def remove(item: Assessment, *, actor) -> None:
    if work_count(item):
        _fail([_("Participants have already worked on this assessment, so it cannot be "
                 "removed. You can make it optional or change its weight instead.")], 409)
    audit(f"{item.kind.value}.removed", item, actor=actor, before={"title": item.title})
    db.session.delete(item)
    db.session.flush()


# --- questions ------------------------------------------------------------------------------

def _question_values(kind, text, options, answer, tolerance, points) -> dict:
    """options: [(text, is_correct)] for choice questions; answer: True/False for true/false,
    a number for numeric questions."""
    problems = []
    try:
        kind = QuestionKind(kind)
    except ValueError:
        _fail([_("Choose the kind of question.")])
    text = (text or "").strip()
    if not text:
        problems.append(_("Write the question."))
    if not _number(points, 0.01, 1000):
        problems.append(_("A question is worth between 0.01 and 1000 points."))
    choices, correct, tol = [], [], 0.0
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = [((t or "").strip(), bool(c)) for t, c in options or []]
        if any(c and not t for t, c in options):
            problems.append(_("An option marked correct has no text."))
        options = [(t, c) for t, c in options if t]
        choices = [t[:500] for t, _c in options]
        correct = [i for i, (_t, c) in enumerate(options) if c]
        if not 2 <= len(choices) <= MAX_CHOICES:
            problems.append(_("Give between 2 and %(n)s options.", n=MAX_CHOICES))
        if kind == QuestionKind.SINGLE and len(correct) != 1:
            problems.append(_("Mark exactly one option as correct."))
        elif kind == QuestionKind.MULTIPLE and not correct:
            problems.append(_("Mark at least one option as correct."))
    elif kind == QuestionKind.TRUE_FALSE:
        if not isinstance(answer, bool):
            problems.append(_("Say whether the statement is true or false."))
        correct = [answer]
    else:
        if not (isinstance(answer, int | float) and not isinstance(answer, bool)
                and math.isfinite(answer)):
            problems.append(_("Give the correct number."))
        if not _number(tolerance if tolerance is not None else 0, 0, 1e12):
            problems.append(_("The tolerance must be zero or more."))
        correct, tol = [answer], float(tolerance or 0)
    if problems:
        _fail(problems)
    return {"kind": kind, "text": text, "choices": choices, "correct": correct,
            "tolerance": tol, "points": float(points)}


def _unlocked(quiz: Assessment) -> None:
    if not quiz.is_quiz:
        _fail([_("Only quizzes have questions.")], 404)
    if work_count(quiz):
        _fail([_("Participants have already attempted this quiz, so its questions can no "
                 "longer be changed.")], 409)


def add_question(quiz: Assessment, kind, text: str, *, options=(), answer=None,
                 tolerance=0.0, points=1.0, actor) -> Question:
    clean = _question_values(kind, text, options, answer, tolerance, points)
    _unlocked(quiz)
    last = db.session.scalar(select(func.max(Question.position))
                             .where(Question.assessment_id == quiz.id)) or 0
    question = Question(assessment_id=quiz.id, position=last + 1, **clean)
    db.session.add(question)
    db.session.flush()
    audit("question.created", quiz, actor=actor, after={"question": question.id,
                                                        "kind": str(question.kind)})
    return question


def update_question(question: Question, kind, text: str, *, options=(), answer=None,
                    tolerance=0.0, points=1.0, actor) -> Question:
    clean = _question_values(kind, text, options, answer, tolerance, points)
    _unlocked(question.assessment)
    before = {"text": question.text, "correct": list(question.correct)}
    for key, value in clean.items():
        setattr(question, key, value)
    audit("question.updated", question.assessment, actor=actor,
          before={"question": question.id, **before},
          after={"question": question.id, "text": question.text, "correct": question.correct})
    return question


def remove_question(question: Question, *, actor) -> None:
    quiz = question.assessment
    _unlocked(quiz)
    audit("question.removed", quiz, actor=actor,
          before={"question": question.id, "text": question.text})
    db.session.delete(question)
    db.session.flush()
    remaining = db.session.scalars(select(Question).where(Question.assessment_id == quiz.id)
                                   .order_by(Question.position, Question.id))
    for position, item in enumerate(remaining, start=1):
        item.position = position


def options_of(question: Question) -> list[tuple[str, bool]]:
    correct = {int(c) for c in question.correct} if question.kind in (
        QuestionKind.SINGLE, QuestionKind.MULTIPLE) else set()
    return [(text, i in correct) for i, text in enumerate(question.choices or [])]
