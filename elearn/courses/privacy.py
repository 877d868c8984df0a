"""What the courses domain holds about a person, for the accounts data download and erasure.

The download has every course row about the person: applications and decisions, lessons
viewed, quiz attempts with their answers, assignments with the instructors' feedback, and the
editions they teach. Live-class attendance is kept by the attendance domain, which exports it.

Erasure wipes every free text the person wrote or that was written about them (motivation,
rejection reason, answers to assignments, feedback) and their uploaded files, and ends their
teaching assignments. Statuses, grades and quiz scores stay (anonymous once the account is
erased) because statistics and issued certificates rely on them.

Registered with accounts when the domain is imported at start-up (blueprint.py)."""

from sqlalchemy import select

from elearn.accounts.services import erasure_hooks, export_providers
from elearn.extensions import db
from elearn.forms.reading import shown_answers

from .assessment_models import Assessment, Question, QuizAttempt, Submission
from .content import remove_stored
from .models import Edition, EditionInstructor, Enrolment, Lesson, LessonView
from .services.questions import forget_answers


def _language(user) -> str:
    """Edition names in the person's own language (English when none is set)."""
    return getattr(user, "preferred_language", None) or "en"


def _iso(value):
    return value.isoformat() if value is not None else None


def _enrolments(user) -> list[dict]:
    rows = db.session.execute(
        select(Enrolment, Edition).join(Edition, Edition.id == Enrolment.edition_id)
        .where(Enrolment.user_id == user.id).order_by(Enrolment.applied_at)).all()
    language = _language(user)
    return [{"edition": edition.name_in(language), "status": e.status.value,
             "applied_at": _iso(e.applied_at), "motivation": e.motivation,
             "endorsement": e.endorsement_filename,
             "decided_at": _iso(e.decided_at), "rejection_reason": e.rejection_reason,
             "waitlisted_at": _iso(e.waitlisted_at), "withdrawn_at": _iso(e.withdrawn_at),
             "completed_at": _iso(e.completed_at), "final_grade": e.final_grade,
             # Every answer, sensitive ones too: they are the person's own.
             "answers": [{"question": a.question, "answer": a.value}
                         for a in shown_answers(e.form_response, language, True)]}
            for e, edition in rows]


def _submissions(user) -> list[dict]:
    rows = db.session.execute(
        select(Submission, Assessment.title)
        .join(Assessment, Assessment.id == Submission.assessment_id)
        .where(Submission.user_id == user.id).order_by(Submission.submitted_at)).all()
    return [{"assessment": title, "submitted_at": _iso(s.submitted_at), "text": s.text,
             "file": s.filename, "is_late": s.is_late, "score": s.score,
             "percent": s.percent, "comments": s.comments, "graded_at": _iso(s.graded_at)}
            for s, title in rows]


def _answers(attempt: QuizAttempt, questions: dict[int, Question]) -> list[dict]:
    given = attempt.answers or {}
    return [{"question": questions[int(key)].text if int(key) in questions else key,
             "answer": value} for key, value in given.items() if str(key).isdigit()]


def _quiz_attempts(user) -> list[dict]:
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at)).all()
    result = []
    for attempt in attempts:
        questions = {q.id: q for q in attempt.assessment.questions}
        result.append({"quiz": attempt.assessment.title, "number": attempt.number,
                       "started_at": _iso(attempt.started_at),
                       "submitted_at": _iso(attempt.submitted_at), "score": attempt.score,
                       "percent": attempt.percent, "answers": _answers(attempt, questions)})
    return result


def export(user) -> dict:
    viewed = db.session.execute(
        select(Lesson.title, LessonView.first_viewed_at)
        .join(LessonView, LessonView.lesson_id == Lesson.id)
        .where(LessonView.user_id == user.id).order_by(LessonView.first_viewed_at)).all()
    teaching = db.session.scalars(
        select(Edition).join(EditionInstructor, EditionInstructor.edition_id == Edition.id)
        .where(EditionInstructor.user_id == user.id).order_by(Edition.starts_on)).all()
    return {
        "course_enrolments": _enrolments(user),
        "course_lessons_viewed": [{"lesson": title, "first_viewed_at": _iso(at)}
                                  for title, at in viewed],
        "course_quiz_attempts": _quiz_attempts(user),
        "course_submissions": _submissions(user),
        "course_editions_taught": [e.name_in(_language(user)) for e in teaching],
    }


def erase(user) -> None:
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)):
        remove_stored(enrolment.endorsement_stored_name)
        enrolment.motivation = ""
        enrolment.rejection_reason = None
        enrolment.endorsement_filename = enrolment.endorsement_stored_name = None
        forget_answers(enrolment)
    for submission in db.session.scalars(select(Submission)
                                         .where(Submission.user_id == user.id)):
        remove_stored(submission.stored_name)
        submission.text = submission.comments = None
        submission.filename = submission.stored_name = submission.content_type = None
    for taught in db.session.scalars(select(EditionInstructor)
                                     .where(EditionInstructor.user_id == user.id)):
        db.session.delete(taught)


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
