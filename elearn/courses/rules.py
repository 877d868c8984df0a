"""Who may do what with an edition and its work. Registered with accounts.permissions, asked
through can()/require(); admins pass every rule in can(), programme managers (the Secretariat)
pass the rules registered with programme_manager=True.

An instructor teaches only the editions they are named on; the global organiser role (event
organisers) gives no right over any edition. Creating courses and editions and naming
instructors is for programme managers (`is_programme_manager`, asked in the views)."""

from sqlalchemy import select

from elearn.accounts.permissions import can, object_rule
from elearn.extensions import db
from elearn.forms.rules import register_owner

from .assessment_models import QuizAttempt, Submission
from .models import PARTICIPANT_STATUSES, Edition, Enrolment


@object_rule("teach", Edition, programme_manager=True)
def may_teach(user, edition: Edition) -> bool:
    """The edition's own instructors (and programme managers): review applications, grade,
    see the gradebook, author the material, schedule live classes, copy and close it."""
    return any(i.user_id == user.id for i in edition.instructors)


@object_rule("learn", Edition, programme_manager=True)
def may_learn(user, edition: Edition) -> bool:
    """Accepted participants (and, after the end, those who took part) and the teaching staff."""
    if can(user, "teach", edition):
        return True
    return db.session.scalar(
        select(Enrolment.id).where(Enrolment.edition_id == edition.id,
                                   Enrolment.user_id == user.id,
                                   Enrolment.status.in_(PARTICIPANT_STATUSES))
    ) is not None


@object_rule("filter_by_gender", Edition, programme_manager=True)
def may_filter_by_gender(user, edition: Edition) -> bool:
    """Only programme managers and admins may pick applicants by gender (and then only among
    those who consented to statistical use); instructors never, so the filter cannot be used
    to learn one applicant's gender. Gender is never shown beside a name, to anyone."""
    return False


@object_rule("view", Enrolment, programme_manager=True)
def may_view_enrolment(user, enrolment: Enrolment) -> bool:
    return enrolment.user_id == user.id or can(user, "teach", enrolment.edition)


@object_rule("view", Submission, programme_manager=True)
def may_view_submission(user, submission: Submission) -> bool:
    return submission.user_id == user.id or can(user, "teach", submission.assessment.edition)


@object_rule("grade", Submission, programme_manager=True)
def may_grade(user, submission: Submission) -> bool:
    return can(user, "teach", submission.assessment.edition)


@object_rule("view", QuizAttempt, programme_manager=True)
def may_view_attempt(user, attempt: QuizAttempt) -> bool:
    return attempt.user_id == user.id or can(user, "teach", attempt.assessment.edition)


def applicant_of(edition: Edition, response_id: str) -> int | None:
    """Whose application to `edition` holds these answers (for their files), or None."""
    return db.session.scalar(select(Enrolment.user_id).where(
        Enrolment.edition_id == edition.id, Enrolment.form_response_id == response_id))


# Application questions and surveys of an edition: its teaching staff build them and read the
# answers; sensitive answers only the instructors named on it.
register_owner("edition", lambda edition_id: db.session.get(Edition, edition_id), "teach",
               sensitive=may_teach, holder=applicant_of)
