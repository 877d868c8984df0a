"""What one person has on the platform, read for their home page ("My elearn").

Each function is one SQL statement whatever the person has (counts and waiting-list positions
are correlated subqueries, not a query per row), so the page costs the same for a newcomer and
for someone with fifty registrations. Plain functions: a user id and the time in, rows out.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, lazyload

from elearn.certificates.models import Certificate, CertificateStatus
from elearn.courses.models import Course, Edition, Enrolment, EnrolmentStatus, Lesson, LessonView
from elearn.courses.models import Module as CourseModule
from elearn.events.models import (
    Event,
    EventKind,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.hackathons.models import (
    Hackathon,
    HackathonParticipant,
    Team,
    TeamExtension,
    TeamMember,
)

ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
                       RegistrationStatus.WAITLISTED)
# Applications the person still cares about; a withdrawn one is gone from their home.
SHOWN_ENROLMENT = tuple(s for s in EnrolmentStatus if s != EnrolmentStatus.WITHDRAWN)
UPCOMING_LIMIT = 20


@dataclass
class UpcomingSession:
    session: EventSession
    event: Event
    registration: Registration


@dataclass
class EventRegistration:
    registration: Registration
    event: Event
    waitlist_position: int | None


@dataclass
class CourseEnrolment:
    enrolment: Enrolment
    edition: Edition
    course: Course
    lessons_total: int
    lessons_viewed: int
    waitlist_position: int | None

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_viewed / self.lessons_total) if self.lessons_total else 0


@dataclass
class HackathonPlace:
    hackathon: Hackathon
    event: Event
    team: Team | None
    deadline: datetime | None


@dataclass
class Overview:
    sessions: list[UpcomingSession] = field(default_factory=list)
    registrations: list[EventRegistration] = field(default_factory=list)
    courses: list[CourseEnrolment] = field(default_factory=list)
    hackathons: list[HackathonPlace] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)


def overview(user_id: int, now: datetime) -> Overview:
    """Everything for the home page in five statements."""
    return Overview(sessions=upcoming_sessions(user_id, now),
                    registrations=event_registrations(user_id, now),
                    courses=course_enrolments(user_id),
                    hackathons=hackathon_places(user_id),
                    certificates=certificates(user_id))


def upcoming_sessions(user_id: int, now: datetime,
                      limit: int = UPCOMING_LIMIT) -> list[UpcomingSession]:
    """Sessions not yet over of events (live classes included) where the person has a seat."""
    rows = db.session.execute(
        select(EventSession, Event, Registration)
        .join(Event, Event.id == EventSession.event_id)
        .join(Registration, and_(Registration.event_id == Event.id,
                                 Registration.user_id == user_id))
        .where(Registration.status == RegistrationStatus.CONFIRMED,
               Event.status == EventStatus.PUBLISHED,
               EventSession.cancelled.is_(False), EventSession.ends_at >= now)
        .order_by(EventSession.starts_at, EventSession.id).limit(limit))
    return [UpcomingSession(*row) for row in rows]


def _registration_position():
    """1 + the people of the same event and seat type who have waited longer."""
    ahead = aliased(Registration)
    waited_longer = or_(ahead.waitlisted_at < Registration.waitlisted_at,
                        and_(ahead.waitlisted_at == Registration.waitlisted_at,
                             ahead.id < Registration.id))
    count = (select(func.count(ahead.id))
             .where(ahead.event_id == Registration.event_id, ahead.mode == Registration.mode,
                    ahead.status == RegistrationStatus.WAITLISTED, waited_longer)
             .correlate(Registration).scalar_subquery())
    return case((Registration.status == RegistrationStatus.WAITLISTED, count + 1))


def event_registrations(user_id: int, now: datetime) -> list[EventRegistration]:
    """Active registrations for events not yet over (a course's live classes are listed with
    the course), soonest first."""
    rows = db.session.execute(
        select(Registration, Event, _registration_position())
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user_id,
               Registration.status.in_(ACTIVE_REGISTRATION),
               Event.kind != EventKind.LIVE_CLASS, Event.status != EventStatus.DRAFT,
               or_(Event.ends_at.is_(None), Event.ends_at >= now))
        .order_by(Event.starts_at.is_(None), Event.starts_at, Registration.id))
    return [EventRegistration(reg, event, position) for reg, event, position in rows]


def _enrolment_position():
    ahead = aliased(Enrolment)
    waited_longer = or_(ahead.waitlisted_at < Enrolment.waitlisted_at,
                        and_(ahead.waitlisted_at == Enrolment.waitlisted_at,
                             ahead.id < Enrolment.id))
    count = (select(func.count(ahead.id))
             .where(ahead.edition_id == Enrolment.edition_id,
                    ahead.status == EnrolmentStatus.WAITLISTED, waited_longer)
             .correlate(Enrolment).scalar_subquery())
    return case((Enrolment.status == EnrolmentStatus.WAITLISTED, count + 1))


def course_enrolments(user_id: int) -> list[CourseEnrolment]:
    """Applications and courses, with lessons viewed out of lessons written."""
    lessons_total = (select(func.count(Lesson.id))
                     .join(CourseModule, CourseModule.id == Lesson.module_id)
                     .where(CourseModule.edition_id == Edition.id)
                     .correlate(Edition).scalar_subquery())
    lessons_viewed = (select(func.count(LessonView.id))
                      .join(Lesson, Lesson.id == LessonView.lesson_id)
                      .join(CourseModule, CourseModule.id == Lesson.module_id)
                      .where(CourseModule.edition_id == Edition.id,
                             LessonView.user_id == user_id)
                      .correlate(Edition).scalar_subquery())
    rows = db.session.execute(
        select(Enrolment, Edition, Course, lessons_total, lessons_viewed, _enrolment_position())
        .join(Edition, Edition.id == Enrolment.edition_id)
        .join(Course, Course.id == Edition.course_id)
        # The instructors are loaded eagerly elsewhere; this page does not show them.
        .options(lazyload(Edition.instructors))
        .where(Enrolment.user_id == user_id, Enrolment.status.in_(SHOWN_ENROLMENT))
        .order_by(Edition.starts_on.desc(), Enrolment.id))
    return [CourseEnrolment(enrolment, edition, course, total or 0, viewed or 0, position)
            for enrolment, edition, course, total, viewed, position in rows]


def hackathon_places(user_id: int) -> list[HackathonPlace]:
    """Hackathons the person registered for, their team if any, and their team's deadline (an
    extension granted to the team, when later than the hackathon's)."""
    extension = (select(func.max(TeamExtension.deadline))
                 .where(TeamExtension.team_id == Team.id)
                 .correlate(Team).scalar_subquery())
    rows = db.session.execute(
        select(Hackathon, Event, Team, extension)
        .select_from(HackathonParticipant)
        .join(Hackathon, Hackathon.id == HackathonParticipant.hackathon_id)
        .join(Event, Event.id == Hackathon.event_id)
        .outerjoin(TeamMember, TeamMember.participant_id == HackathonParticipant.id)
        .outerjoin(Team, Team.id == TeamMember.team_id)
        .options(contains_eager(Hackathon.event.of_type(Event)))
        .where(HackathonParticipant.user_id == user_id, Event.status != EventStatus.DRAFT)
        .order_by(Event.starts_at.desc(), Hackathon.id))
    places = []
    for hackathon, event, team, extended in rows:
        deadline = hackathon.submission_deadline
        if extended is not None and (deadline is None or extended > deadline):
            deadline = extended
        places.append(HackathonPlace(hackathon, event, team, deadline))
    return places


def certificates(user_id: int) -> list[Certificate]:
    """The person's certificates in force, newest first."""
    return list(db.session.scalars(
        select(Certificate)
        .where(Certificate.holder_id == user_id, Certificate.status == CertificateStatus.VALID,
               Certificate.superseded_at.is_(None))
        .order_by(Certificate.issued_at.desc())))
