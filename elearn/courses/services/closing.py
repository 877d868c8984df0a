"""Closing an edition and recording results, done safely (issue 13 point 6).

Closing turns every accepted participant into "completed" or "not completed" and cannot be
undone, so it waits for its time: the last live class has ended and every due date has
passed. Before then it is refused unless the person explicitly closes early and says why; that
reason goes to the audit log beside the results. `preview` says beforehand how many people
each outcome will touch, without writing anything.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.events.models import EventSession
from elearn.extensions import db
from elearn.i18n import format_in_zone

from ..assessment_models import Assessment
from ..errors import CourseError
from ..models import Edition, EditionStatus, EnrolmentStatus
from .completion import evaluate_edition, participants, record_results

MAX_REASON = 1000


@dataclass
class ClosingPreview:
    completed: int
    not_completed: int

    @property
    def total(self) -> int:
        return self.completed + self.not_completed


def _when(value: datetime, edition: Edition) -> str:
    return f"{format_in_zone(value, edition.timezone, 'medium')} ({edition.timezone})"


def too_early(edition: Edition, now: datetime | None = None) -> list[str]:
    """Why the edition cannot be closed yet, one sentence per unmet condition (empty: it can)."""
    now = now or utcnow()
    reasons = []
    if edition.live_event_id:
        last_end = db.session.scalar(
            select(func.max(EventSession.ends_at))
            .where(EventSession.event_id == edition.live_event_id,
                   EventSession.cancelled.is_(False)))
        if last_end is not None and last_end.tzinfo is None:
            last_end = last_end.replace(tzinfo=now.tzinfo)
        if last_end is not None and last_end > now:
            reasons.append(_("The last live class ends on %(when)s.",
                             when=_when(last_end, edition)))
    pending = db.session.execute(
        select(Assessment.title, Assessment.due_at)
        .where(Assessment.edition_id == edition.id, Assessment.due_at.is_not(None))
        .order_by(Assessment.due_at)).all()
    for title, due_at in pending:
        if due_at.tzinfo is None:
            due_at = due_at.replace(tzinfo=now.tzinfo)
        if due_at > now:
            reasons.append(_("\"%(title)s\" is due on %(when)s.", title=title,
                             when=_when(due_at, edition)))
    return reasons


def preview(edition: Edition, now: datetime | None = None) -> ClosingPreview:
    """How many accepted participants closing now would mark completed / not completed."""
    enrolments = [e for e in participants(edition) if e.status == EnrolmentStatus.ACCEPTED]
    verdicts = evaluate_edition(edition, now, enrolments)
    completed = sum(1 for e in enrolments if verdicts[e.id].complete)
    return ClosingPreview(completed, len(enrolments) - completed)


def close(edition: Edition, *, actor, early: bool = False, reason: str | None = None,
          now: datetime | None = None) -> dict:
    """Record results and close (caller commits). Refused (CourseError, nothing written) when
    already closed, or too early without an explicit early close and its reason."""
    now = now or utcnow()
    if edition.status == EditionStatus.COMPLETED:
        raise CourseError(_("This edition is already closed; its results are recorded."), 409)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise CourseError(_("The reason is too long (at most %(n)s characters).",
                            n=MAX_REASON), 400)
    problems = too_early(edition, now)
    if problems and not (early and reason):
        raise CourseError(_("It is too early to close this edition. To close it anyway, tick "
                            "\"Close early\" and give a reason."), 409)
    if problems:
        audit("edition.closed_early", edition, actor=actor,
              after={"reason": reason, "unmet": problems})
    return record_results(edition, actor=actor, now=now)
