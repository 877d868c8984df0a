"""Shared checks: is this person an accepted participant, and is this work open yet."""

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.extensions import db

from ..assessment_models import Assessment
from ..errors import CourseError
from ..models import Enrolment, EnrolmentStatus


def require_participant(edition_id: int, user) -> Enrolment:
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.edition_id == edition_id,
                                                          Enrolment.user_id == user.id))
    if enrolment is None or enrolment.status != EnrolmentStatus.ACCEPTED:
        raise CourseError(_("Only accepted participants can hand in work for this edition."),
                          403)
    return enrolment


def require_open_for(assessment: Assessment, user, now) -> Enrolment:
    enrolment = require_participant(assessment.edition_id, user)
    module = assessment.module
    if module is not None and not module.is_open(now):
        raise CourseError(_("This module is not open yet."), 409)
    return enrolment
