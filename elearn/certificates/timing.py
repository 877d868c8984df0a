"""When a certificate may be issued (issue 13.9), by the server's clock: a certificate of an
event or a hackathon only once it has ended (a participation certificate for a workshop that
happens tomorrow certifies nothing), a course certificate only once the edition's results are
recorded (closing the edition turns each participant into completed or not completed).

Every way of issuing asks `refusal` (one, bulk, the bulk job itself, the demo); an admin's
override of the rule does not override the calendar."""

from datetime import datetime

from flask_babel import gettext as _

from elearn.courses.models import EditionStatus
from elearn.db_types import utcnow
from elearn.i18n import format_in_zone

from .models import SubjectType


def event_end(event) -> datetime | None:
    """The latest end of the event and of its sessions that were not cancelled."""
    ends = [s.ends_at for s in event.sessions if not s.cancelled and s.ends_at is not None]
    if event.ends_at is not None:
        ends.append(event.ends_at)
    return max(ends) if ends else None


def refusal(subject_type: SubjectType, subject, now: datetime | None = None) -> str | None:
    """Why certificates of this subject cannot be issued yet (translated), or None."""
    now = now or utcnow()
    if subject_type == SubjectType.EDITION:
        if subject.status != EditionStatus.COMPLETED:
            return _("Certificates of this edition can be issued once its results are "
                     "recorded, when the edition is closed.")
        return None
    event = subject.event if subject_type == SubjectType.HACKATHON else subject
    end = event_end(event)
    if end is None:
        return _("This activity has no end date yet: certificates can be issued once it has "
                 "ended.")
    if now < end:
        return _("Certificates can be issued once the activity has ended, after %(time)s.",
                 time=format_in_zone(end, event.timezone, "medium"))
    return None
