"""The staff page of an edition (issue 13 point 4): one click to everything its staff run —
applications, gradebook, live classes and their roll calls, statistics, certificates,
settings, content — each link shown only to whoever may follow it, and what is waiting for
them (applications to decide, work to grade)."""

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from elearn.accounts.permissions import can, is_programme_manager
from elearn.db_types import utcnow
from elearn.extensions import db

from .assessment_models import Assessment, AssessmentKind, Submission
from .forms import ActionForm
from .models import EditionStatus, Enrolment, EnrolmentStatus
from .services import closing, live
from .view_helpers import teach


def _waiting(edition) -> dict:
    """To-do counts of this edition's staff (not statistics: nobody outside sees them)."""
    pending = db.session.scalar(
        select(func.count(Enrolment.id)).where(Enrolment.edition_id == edition.id,
                                               Enrolment.status == EnrolmentStatus.PENDING))
    ungraded = db.session.scalar(
        select(func.count(Submission.id)).join(Assessment, Assessment.id ==
                                               Submission.assessment_id)
        .where(Assessment.edition_id == edition.id, Submission.score.is_(None)))
    return {"pending": pending or 0, "ungraded": ungraded or 0}


@login_required
def hub(edition_id: int):
    edition = teach(edition_id)
    to_grade = db.session.scalars(
        select(Assessment).where(Assessment.edition_id == edition.id,
                                 Assessment.kind == AssessmentKind.ASSIGNMENT)
        .order_by(Assessment.position, Assessment.id)).all()
    closed = edition.status == EditionStatus.COMPLETED
    return render_template(
        "courses/hub.html", edition=edition, waiting=_waiting(edition),
        assignments=to_grade, sessions=live.sessions(edition), now=utcnow(),
        may_certify=can(current_user, "certify", edition),
        may_author=is_programme_manager(current_user), closed=closed,
        too_early=[] if closed else closing.too_early(edition), action_form=ActionForm())
