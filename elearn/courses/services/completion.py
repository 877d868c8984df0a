"""Has a participant completed the edition, and if not, why not. THE service certificates
call: `evaluate(enrolment)` for one person, `evaluate_edition(edition)` for everyone.

The edition's completion rule has four optional parts: a minimum weighted grade, every required
assessment passed, a minimum share of live classes attended (present or late), the final
assignment passed. Scores come from a few GROUP BY queries for the whole edition, so the number
of queries does not grow with the number of participants.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from elearn.attendance.models import Attendance, AttendanceStatus
from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.events.models import EventSession
from elearn.extensions import db

from ..assessment_models import Assessment, QuizAttempt, Submission
from ..models import Edition, EditionStatus, Enrolment, EnrolmentStatus

ATTENDED = (AttendanceStatus.PRESENT.value, AttendanceStatus.LATE.value)
_TAKING_PART = (EnrolmentStatus.ACCEPTED, EnrolmentStatus.COMPLETED,
                EnrolmentStatus.NOT_COMPLETED)


@dataclass
class Verdict:
    complete: bool
    reasons: list[str]
    grade: float | None  # weighted percent, 0-100
    attendance_share: float | None  # 0-1; None when the edition held no live class
    scores: dict[int, float | None] = field(default_factory=dict)  # assessment id -> percent
    attended: int = 0
    sessions_held: int = 0


@dataclass
class EditionScores:
    """Everything the verdicts and the gradebook need, gathered in a constant number of
    queries: percent per (assessment, user), submitted-not-graded, attendance per user."""

    assessments: list[Assessment]
    percents: dict[tuple[int, int], float]
    ungraded: set[tuple[int, int]]
    late: set[tuple[int, int]]
    attended: dict[int, int]
    sessions_held: int


def gather(edition: Edition, user_ids: list[int] | None = None,
           now: datetime | None = None) -> EditionScores:
    now = now or utcnow()
    assessments = list(db.session.scalars(
        select(Assessment).where(Assessment.edition_id == edition.id)
        .order_by(Assessment.position, Assessment.id)))
    quiz = (select(QuizAttempt.assessment_id, QuizAttempt.user_id,
                   func.max(QuizAttempt.percent))
            .join(Assessment, Assessment.id == QuizAttempt.assessment_id)
            .where(Assessment.edition_id == edition.id, QuizAttempt.percent.is_not(None))
            .group_by(QuizAttempt.assessment_id, QuizAttempt.user_id))
    work = (select(Submission.assessment_id, Submission.user_id, Submission.percent,
                   Submission.is_late)
            .join(Assessment, Assessment.id == Submission.assessment_id)
            .where(Assessment.edition_id == edition.id))
    if user_ids is not None:
        quiz = quiz.where(QuizAttempt.user_id.in_(user_ids))
        work = work.where(Submission.user_id.in_(user_ids))
    percents = {(a, u): p for a, u, p in db.session.execute(quiz)}
    ungraded, late = set(), set()
    for a, u, p, is_late in db.session.execute(work):
        if p is None:
            ungraded.add((a, u))
        else:
            percents[(a, u)] = p
        if is_late:
            late.add((a, u))
    attended, held = {}, 0
    if edition.live_event_id:
        held_filter = (EventSession.event_id == edition.live_event_id,
                       EventSession.cancelled.is_(False), EventSession.starts_at <= now)
        held = db.session.scalar(select(func.count(EventSession.id)).where(*held_filter)) or 0
        counts = (select(Attendance.user_id, func.count(Attendance.id))
                  .join(EventSession, EventSession.id == Attendance.session_id)
                  .where(*held_filter, Attendance.status.in_(ATTENDED))
                  .group_by(Attendance.user_id))
        if user_ids is not None:
            counts = counts.where(Attendance.user_id.in_(user_ids))
        attended = dict(db.session.execute(counts).all())
    return EditionScores(assessments, percents, ungraded, late, attended, held)


def _pct(value: float) -> str:
    return f"{value:.0f}"


@dataclass(frozen=True)
class _Rule:
    """One assessment as plain values, read once per evaluation (not per participant)."""

    id: int
    title: str
    weight: float
    pass_mark: float
    checked: bool  # must be passed under this edition's rule


class _Messages:
    """The reason templates translated once per evaluation; formatted per participant."""

    def __init__(self):
        self.grade = _("The weighted grade is %(grade)s%%; at least %(min)s%% is needed.")
        self.ungraded = _("\"%(title)s\" is handed in but not graded yet.")
        self.missing = _("\"%(title)s\" is not done yet.")
        self.failed = _("\"%(title)s\" is not passed: %(score)s%% (pass mark %(pass)s%%).")
        self.attendance = _("Attended %(attended)s of %(held)s live classes (%(share)s%%); at "
                            "least %(min)s%% is needed.")


class _Evaluator:
    def __init__(self, edition: Edition, data: EditionScores):
        self.edition, self.data = edition, data
        self.rules = [_Rule(a.id, a.title, a.weight, a.pass_mark,
                            (edition.require_required_passed and a.required)
                            or (edition.require_final_passed and a.is_final))
                      for a in data.assessments]
        self.weights = sum(r.weight for r in self.rules if r.weight > 0)
        self.min_grade = edition.min_grade
        self.min_share = edition.min_attendance_share
        self.text = _Messages()

    def __call__(self, user_id: int) -> Verdict:
        data, text = self.data, self.text
        scores = {r.id: data.percents.get((r.id, user_id)) for r in self.rules}
        grade = None
        if self.weights:
            total = sum(r.weight * (scores[r.id] or 0) for r in self.rules if r.weight > 0)
            grade = round(total / self.weights, 2)
        attended = data.attended.get(user_id, 0)
        share = attended / data.sessions_held if data.sessions_held else None
        reasons = []
        if self.min_grade is not None and (grade or 0) < self.min_grade:
            reasons.append(text.grade % {"grade": _pct(grade or 0), "min": _pct(self.min_grade)})
        for rule in self.rules:
            if not rule.checked:
                continue
            score = scores[rule.id]
            if score is None and (rule.id, user_id) in data.ungraded:
                reasons.append(text.ungraded % {"title": rule.title})
            elif score is None:
                reasons.append(text.missing % {"title": rule.title})
            elif score < rule.pass_mark:
                reasons.append(text.failed % {"title": rule.title, "score": _pct(score),
                                              "pass": _pct(rule.pass_mark)})
        if self.min_share is not None and share is not None and \
                share + 1e-9 < self.min_share:
            reasons.append(text.attendance % {
                "attended": attended, "held": data.sessions_held, "share": _pct(100 * share),
                "min": _pct(100 * self.min_share)})
        return Verdict(not reasons, reasons, grade, share, scores, attended, data.sessions_held)


def verdict_for(edition: Edition, user_id: int, data: EditionScores) -> Verdict:
    return _Evaluator(edition, data)(user_id)


def evaluate(enrolment: Enrolment, now: datetime | None = None) -> Verdict:
    data = gather(enrolment.edition, [enrolment.user_id], now)
    return verdict_for(enrolment.edition, enrolment.user_id, data)


def participants(edition: Edition) -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).options(selectinload(Enrolment.user))
        .where(Enrolment.edition_id == edition.id, Enrolment.status.in_(_TAKING_PART))
        .order_by(Enrolment.id)))


def evaluate_edition(edition: Edition, now: datetime | None = None,
                     enrolments: list[Enrolment] | None = None,
                     data: EditionScores | None = None) -> dict[int, Verdict]:
    """enrolment id -> Verdict for every participant, in a constant number of queries."""
    if enrolments is None:  # ids are enough: no need to load 500 people as objects
        pairs = db.session.execute(
            select(Enrolment.id, Enrolment.user_id).where(Enrolment.edition_id == edition.id,
                                                          Enrolment.status.in_(_TAKING_PART)))
    else:
        pairs = ((e.id, e.user_id) for e in enrolments)
    evaluate_one = _Evaluator(edition, data or gather(edition, None, now))
    return {enrolment_id: evaluate_one(user_id) for enrolment_id, user_id in pairs}


def record_results(edition: Edition, *, actor=None, now: datetime | None = None) -> dict:
    """Close the edition: each accepted participant becomes completed or not completed, with
    the final grade kept (caller commits). Returns counts."""
    enrolments = [e for e in participants(edition) if e.status == EnrolmentStatus.ACCEPTED]
    verdicts = evaluate_edition(edition, now, enrolments)
    counts = {"completed": 0, "not_completed": 0}
    for enrolment in enrolments:
        verdict = verdicts[enrolment.id]
        status = EnrolmentStatus.COMPLETED if verdict.complete else \
            EnrolmentStatus.NOT_COMPLETED
        enrolment.status = status
        enrolment.final_grade = verdict.grade
        enrolment.completed_at = now or utcnow()
        counts[status.value] += 1
        audit("enrolment.result", enrolment, actor=actor, before={"status": "accepted"},
              after={"status": status.value, "grade": verdict.grade,
                     "reasons": verdict.reasons})
    before = str(edition.status)
    edition.status = EditionStatus.COMPLETED
    audit("edition.status", edition, actor=actor, before={"status": before},
          after={"status": "completed"})
    return counts
