"""Assignments: hand-in (text and/or a document) before the due date, graded by an instructor
against the rubric maximum. Every grade change is audited with before and after."""

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.extensions import db

from ..assessment_models import Assessment, LatePolicy, Submission
from ..content import DOCUMENT_KINDS, ContentError, remove_stored, store_upload
from ..errors import CourseError
from .access import require_open_for

MAX_TEXT = 100_000
MAX_COMMENTS = 10_000


def submission_of(assessment: Assessment, user) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.assessment_id == assessment.id,
                                                      Submission.user_id == user.id))


def submit(assessment: Assessment, user, text: str | None = None,
           upload: tuple[str, bytes] | None = None, *, now=None) -> Submission:
    """Hand in, or replace a hand-in not yet graded (caller commits). Everything is checked
    before the file is written, so a refusal leaves nothing behind."""
    now = now or utcnow()
    if assessment.is_quiz:
        raise CourseError(_("This is not an assignment."), 404)
    require_open_for(assessment, user, now)
    text = (text or "").strip() or None
    if text and not assessment.accepts_text:
        raise CourseError(_("This assignment takes a file, not text."), 400)
    if upload is not None and not assessment.accepts_file:
        raise CourseError(_("This assignment takes text, not a file."), 400)
    if not text and upload is None:
        raise CourseError(_("Write your answer or attach a file."), 400)
    if text and len(text) > MAX_TEXT:
        raise CourseError(_("The text is too long."), 400)
    late = assessment.due_at is not None and now > assessment.due_at
    if late and assessment.late_policy == LatePolicy.REFUSE:
        raise CourseError(_("The due date has passed; this assignment no longer accepts "
                            "submissions."), 409)
    existing = submission_of(assessment, user)
    if existing is not None and existing.graded_at is not None:
        raise CourseError(_("Your submission has already been graded and cannot be changed."),
                          409)
    if upload is not None:
        try:
            stored = store_upload(upload[0], upload[1], DOCUMENT_KINDS)
        except ContentError as exc:
            raise CourseError(str(exc), 400) from exc
    submission = existing or Submission(assessment_id=assessment.id, user_id=user.id)
    if upload is not None:
        remove_stored(submission.stored_name)
        submission.filename = stored.filename
        submission.stored_name = stored.stored_name
        submission.content_type = stored.content_type
    submission.text = text
    submission.submitted_at = now
    submission.is_late = late
    db.session.add(submission)
    db.session.flush()
    audit("assignment.submitted", submission, actor=user,
          after={"late": late, "file": submission.filename})
    return submission


def parse_score(raw: str | None, assessment: Assessment) -> float:
    try:
        score = float(str(raw).replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise CourseError(_("Enter the score as a number."), 400) from exc
    if not 0 <= score <= assessment.max_score:
        raise CourseError(_("The score must be between 0 and %(max)s.",
                            max=f"{assessment.max_score:g}"), 400)
    return score


def grade(submission: Submission, score: float, comments: str | None, *, actor) -> Submission:
    """Set or change the grade (caller commits); the audit keeps before and after."""
    assessment = submission.assessment
    if not 0 <= score <= assessment.max_score:
        raise CourseError(_("The score must be between 0 and %(max)s.",
                            max=f"{assessment.max_score:g}"), 400)
    comments = (comments or "").strip() or None
    if comments and len(comments) > MAX_COMMENTS:
        raise CourseError(_("The comments are too long."), 400)
    before = {"score": submission.score, "percent": submission.percent,
              "comments": submission.comments}
    submission.score = score
    submission.percent = round(100 * score / (assessment.max_score or 1), 2)
    submission.comments = comments
    submission.graded_at = utcnow()
    submission.graded_by_id = actor.id
    after = {"score": submission.score, "percent": submission.percent,
             "comments": submission.comments}
    if before != after:
        audit("assignment.graded", submission, actor=actor, before=before, after=after)
    return submission
