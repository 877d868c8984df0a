"""What the courses domain holds about a person, for the accounts data download and erasure.
Erasure wipes what the person wrote and uploaded; statuses and grades stay (anonymous once the
account is erased) because statistics and issued certificates rely on them."""

from sqlalchemy import select

from elearn.accounts.services import erasure_hooks, export_providers
from elearn.extensions import db

from .assessment_models import Assessment, Submission
from .content import remove_stored
from .models import Edition, Enrolment


def export(user) -> dict:
    enrolments = db.session.execute(
        select(Enrolment, Edition.name).join(Edition, Edition.id == Enrolment.edition_id)
        .where(Enrolment.user_id == user.id)).all()
    submissions = db.session.execute(
        select(Submission, Assessment.title).join(Assessment,
                                                  Assessment.id == Submission.assessment_id)
        .where(Submission.user_id == user.id)).all()
    return {
        "course_enrolments": [
            {"edition": name, "status": e.status.value, "applied_at": e.applied_at.isoformat(),
             "motivation": e.motivation, "final_grade": e.final_grade}
            for e, name in enrolments],
        "course_submissions": [
            {"assessment": title, "submitted_at": s.submitted_at.isoformat(), "text": s.text,
             "file": s.filename, "score": s.score, "comments": s.comments}
            for s, title in submissions],
    }


def erase(user) -> None:
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.user_id == user.id)):
        remove_stored(enrolment.endorsement_stored_name)
        enrolment.motivation = ""
        enrolment.endorsement_filename = enrolment.endorsement_stored_name = None
    for submission in db.session.scalars(select(Submission)
                                         .where(Submission.user_id == user.id)):
        remove_stored(submission.stored_name)
        submission.text = None
        submission.filename = submission.stored_name = submission.content_type = None


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
