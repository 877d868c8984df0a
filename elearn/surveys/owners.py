"""What a survey needs to know of the thing it evaluates (an event, an edition, the hackathon):
its name, time zone, when its last session ends, who attended, and who runs it.

Attended means, for an event and an edition's live classes, present or late at one session or
more (the attendance records, whatever their source); for the hackathon, a member of a team
that submitted a project — taking part in the hackathon *is* working on a submission, and
registered people who never formed or finished a team did not experience what is evaluated.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import get_locale
from sqlalchemy import func, select

from elearn.accounts.permissions import can
from elearn.attendance.models import Attendance, AttendanceStatus
from elearn.courses.models import Edition
from elearn.events.models import AttendanceMode, Event, EventKind, EventMode, EventSession
from elearn.extensions import db
from elearn.hackathons.judging_models import Submission
from elearn.hackathons.models import Hackathon, TeamMember

from .models import Survey

# Events evaluated through something else: an edition's live classes (the edition's survey)
# and a hackathon's event (the hackathon's survey).
NOT_SURVEYED_KINDS = (EventKind.LIVE_CLASS, EventKind.HACKATHON)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass
class Owner:
    kind: str
    obj: object
    event_id: int | None  # the event whose sessions are attended (None: no sessions yet)
    timezone: str
    hybrid: bool  # people took part in different modes: the mode is worth keeping

    def title(self, language: str | None = None) -> str:
        lang = language or str(get_locale() or "en")
        if self.kind == "edition":
            return self.obj.name_in(lang)
        event = self.obj if self.kind == "event" else self.obj.event
        return event.text("title", lang)

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


def load(kind: str, owner_id: int) -> Owner | None:
    if kind == "event":
        event = db.session.get(Event, owner_id)
        if event is None:
            return None
        return Owner("event", event, event.id, event.timezone, event.mode == EventMode.HYBRID)
    if kind == "edition":
        edition = db.session.get(Edition, owner_id)
        if edition is None:
            return None
        # Live classes can be in the room or online; a course edition is taken online.
        return Owner("edition", edition, edition.live_event_id, edition.timezone, False)
    if kind == "hackathon":
        hackathon = db.session.get(Hackathon, owner_id)
        if hackathon is None:
            return None
        event = hackathon.event
        return Owner("hackathon", hackathon, event.id, event.timezone,
                     event.mode == EventMode.HYBRID)
    return None


def of(survey: Survey) -> Owner | None:
    return load(survey.owner_kind, survey.owner_id)


def runs(user, owner: Owner) -> bool:
    """The organisers of the event or hackathon, the instructors of the edition (and the
    Secretariat and admins, as the owner's own rule says)."""
    action = "teach" if owner.kind == "edition" else "manage"
    return bool(can(user, action, owner.obj))


def last_session_end(owner: Owner) -> datetime | None:
    """When the owner's last session (not called off) ends; without sessions, the end of the
    event, the edition's last day, or the hackathon's submission deadline."""
    ends = None
    if owner.event_id is not None:
        ends = db.session.scalar(select(func.max(EventSession.ends_at)).where(
            EventSession.event_id == owner.event_id, EventSession.cancelled.is_(False)))
    if ends is not None:
        return ends
    if owner.kind == "event":
        return owner.obj.ends_at
    if owner.kind == "edition":
        midnight = datetime.combine(owner.obj.ends_on + timedelta(days=1), time(0),
                                    tzinfo=owner.zone())
        return midnight
    return owner.obj.submission_deadline or owner.obj.event.ends_at


def attendees(owner: Owner) -> list[int]:
    """Ids of the people who attended (see the module's note), each once."""
    if owner.kind == "hackathon":
        query = (select(TeamMember.user_id).join(Submission, Submission.team_id ==
                                                 TeamMember.team_id)
                 .where(TeamMember.hackathon_id == owner.obj.id))
    elif owner.event_id is None:
        return []
    else:
        query = (select(Attendance.user_id)
                 .join(EventSession, EventSession.id == Attendance.session_id)
                 .where(EventSession.event_id == owner.event_id,
                        Attendance.status.in_(ATTENDED)))
    return sorted(set(db.session.scalars(query)))


def attended(owner: Owner, user_id: int) -> bool:
    if owner.kind == "hackathon":
        return db.session.scalar(
            select(TeamMember.id).join(Submission, Submission.team_id == TeamMember.team_id)
            .where(TeamMember.hackathon_id == owner.obj.id, TeamMember.user_id == user_id)
            .limit(1)) is not None
    return attendance_mode(owner, user_id) is not None


def attendance_mode(owner: Owner, user_id: int) -> AttendanceMode | None:
    """The mode the person attended most sessions in (None when they attended none)."""
    if owner.event_id is None:
        return None
    rows = db.session.execute(
        select(Attendance.mode, func.count()).join(
            EventSession, EventSession.id == Attendance.session_id)
        .where(EventSession.event_id == owner.event_id, Attendance.user_id == user_id,
               Attendance.status.in_(ATTENDED))
        .group_by(Attendance.mode).order_by(func.count().desc(), Attendance.mode)).first()
    return rows[0] if rows else None
