"""Who may do what with an edition and its work. Registered with accounts.permissions, asked
through can()/require(); admins pass every rule in can()."""

from sqlalchemy import select

from elearn.accounts.models import Role
from elearn.accounts.permissions import object_rule
from elearn.extensions import db

from .assessment_models import QuizAttempt, Submission
from .models import PARTICIPANT_STATUSES, Edition, Enrolment


@object_rule("teach", Edition)
def may_teach(user, edition: Edition) -> bool:
    """Instructors of this edition and the Secretariat's organisers: review applications,
    grade, see the gradebook, schedule live classes, copy the edition."""
    return Role.ORGANISER in user.role_set or any(
        i.user_id == user.id for i in edition.instructors
    )


@object_rule("learn", Edition)
def may_learn(user, edition: Edition) -> bool:
    """Accepted participants (and, after the end, those who took part) and the teaching staff."""
    if may_teach(user, edition):
        return True
    return db.session.scalar(
        select(Enrolment.id).where(Enrolment.edition_id == edition.id,
                                   Enrolment.user_id == user.id,
                                   Enrolment.status.in_(PARTICIPANT_STATUSES))
    ) is not None


@object_rule("view", Enrolment)
def may_view_enrolment(user, enrolment: Enrolment) -> bool:
    return enrolment.user_id == user.id or may_teach(user, enrolment.edition)


@object_rule("see_gender", Edition)
def may_see_gender(user, edition: Edition) -> bool:
    """Per-person gender is shown only to admins (who pass in can()); organisers and
    instructors may filter by it but never see it next to a name."""
    return False


@object_rule("view", Submission)
def may_view_submission(user, submission: Submission) -> bool:
    return submission.user_id == user.id or may_teach(user, submission.assessment.edition)


@object_rule("grade", Submission)
def may_grade(user, submission: Submission) -> bool:
    return may_teach(user, submission.assessment.edition)


@object_rule("view", QuizAttempt)
def may_view_attempt(user, attempt: QuizAttempt) -> bool:
    return attempt.user_id == user.id or may_teach(user, attempt.assessment.edition)
