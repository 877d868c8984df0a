"""The SQL behind every statistics table: facts (who registered, attended, completed, was
certified, in which context) unioned per measure, then one GROUP BY over the dimensions with
count(DISTINCT person) per cell. Nothing here loops over people in Python.

Courses and certificates are read only when their domains are installed (imported lazily),
so statistics work on a deployment that has events only.
"""

from dataclasses import dataclass

from sqlalchemy import String, and_, case, cast, distinct, exists, func, literal, select, union_all

from elearn.accounts.models import MemberState, User
from elearn.attendance.models import Attendance, AttendanceStatus
from elearn.events.models import (
    Event,
    EventSession,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from elearn.programme.models import Activity, Programme, Project, activity_sdg

GENDERS = ("woman", "man", "non_binary", "another", "prefer_not_to_say", "not_answered")
MEASURES = ("registered", "attended", "completed", "certified")
PANEL_ROLES = (ParticipantRole.SPEAKER, ParticipantRole.PANELLIST, ParticipantRole.CHAIR,
               ParticipantRole.MODERATOR)
COURSE_KIND = "course"
AGE_GROUPS = ("under-25", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
DIMENSIONS = ("country", "subregion", "sector", "age_group", "mode", "kind", "programme",
              "thematic_area", "activity", "sdg", "year", "role")


@dataclass(frozen=True)
class Filters:
    """Already validated (services.parse_filters); None means no filter."""

    year: int | None = None
    programme: int | None = None
    kind: str | None = None
    mode: str | None = None
    country: str | None = None
    subregion: str | None = None
    event_id: int | None = None
    edition_id: int | None = None

    def public_key(self) -> tuple:
        return (self.year, self.programme, self.kind, self.mode, self.country, self.subregion)


def _year(column):
    return func.extract("year", column)


def _course_models():
    try:
        from elearn.courses.models import Course, Edition, Enrolment, EnrolmentStatus
    except ImportError:
        return None
    return Course, Edition, Enrolment, EnrolmentStatus


def _certificate_model():
    try:
        from elearn.certificates.models import Certificate
    except ImportError:
        return None
    return Certificate


def courses_installed() -> bool:
    return _course_models() is not None


def certificates_installed() -> bool:
    return _certificate_model() is not None


def _programme_activities(programme_id: int):
    return select(Activity.id).join(Project, Project.id == Activity.project_id) \
        .where(Project.programme_id == programme_id)


def _matching_events(f: Filters):
    """Ids of the events the year, kind and programme filters keep; None without them."""
    if f.year is None and f.kind is None and f.programme is None:
        return None
    query = select(Event.id)
    if f.year is not None:
        query = query.where(_year(Event.starts_at) == f.year)
    if f.kind is not None:
        query = query.where(Event.kind == f.kind)
    if f.programme is not None:
        query = query.where(Event.activity_id.in_(_programme_activities(f.programme)))
    return query


def _event_context(query, f: Filters, mode_column):
    """Columns and filters shared by every fact taken from an event."""
    if f.programme is not None:
        query = query.where(Event.activity_id.in_(_programme_activities(f.programme)))
    if f.event_id is not None:
        query = query.where(Event.id == f.event_id)
    if f.edition_id is not None:
        query = query.where(Event.id == _live_event_of(f.edition_id))
    if f.year is not None:
        query = query.where(_year(Event.starts_at) == f.year)
    if f.kind is not None:
        query = query.where(Event.kind == f.kind)
    if f.mode is not None:
        query = query.where(mode_column == f.mode)
    return query


def _live_event_of(edition_id: int):
    models = _course_models()
    if models is None:
        return literal(None)
    edition = models[1]
    return select(edition.live_event_id).where(edition.id == edition_id).scalar_subquery()


def _fact_columns(user_id, kind, mode, activity_id, year):
    return (user_id.label("user_id"), cast(kind, String).label("kind"),
            cast(mode, String).label("mode"), activity_id.label("activity_id"),
            year.label("year"))


def _registered_events(f: Filters, roles=(ParticipantRole.PARTICIPANT,), with_role=False):
    columns = _fact_columns(Registration.user_id, Event.kind, Registration.mode,
                            Event.activity_id, _year(Event.starts_at))
    if with_role:
        columns = (*columns, cast(Registration.role, String).label("role"))
    query = (select(*columns).join(Event, Event.id == Registration.event_id)
             .where(Registration.status == RegistrationStatus.CONFIRMED,
                    Registration.role.in_(list(roles))))
    return _event_context(query, f, Registration.mode)


def _attended_events(f: Filters, by_mode: bool = True):
    # First one row per person and event (and mode, only when asked for: a person may attend
    # one session online and the next in the room): the joins, the panel check and the final
    # GROUP BY then work on far fewer rows (3x faster on SQLite at a million records, see
    # bench/stats.py).
    by_mode = by_mode or f.mode is not None
    mode = Attendance.mode if by_mode else literal("")
    per_event = (select(Attendance.user_id, EventSession.event_id, mode.label("mode"))
                 .join(EventSession, EventSession.id == Attendance.session_id)
                 .where(Attendance.status.in_([AttendanceStatus.PRESENT,
                                               AttendanceStatus.LATE])))
    if f.event_id is not None:
        per_event = per_event.where(EventSession.event_id == f.event_id)
    if f.edition_id is not None:
        per_event = per_event.where(EventSession.event_id == _live_event_of(f.edition_id))
    if f.mode is not None:
        per_event = per_event.where(Attendance.mode == f.mode)
    events = _matching_events(f)
    if events is not None:  # filter before reducing, not after
        per_event = per_event.where(EventSession.event_id.in_(events))
    grouping = [Attendance.user_id, EventSession.event_id] + ([Attendance.mode] if by_mode else [])
    per_event = per_event.group_by(*grouping).subquery("attended")
    # Speakers and chairs are reported apart (panel parity), so their attendance is not
    # counted among participants'.
    on_panel = exists().where(Registration.event_id == per_event.c.event_id,
                              Registration.user_id == per_event.c.user_id,
                              Registration.role != ParticipantRole.PARTICIPANT)
    query = (select(*_fact_columns(per_event.c.user_id, Event.kind, per_event.c.mode,
                                   Event.activity_id, _year(Event.starts_at)))
             .select_from(per_event).join(Event, Event.id == per_event.c.event_id)
             .where(~on_panel))
    return _event_context(query, f, per_event.c.mode)


def _enrolments(f: Filters, statuses):
    """Course enrolments as facts (kind "course", online)."""
    models = _course_models()
    if models is None or f.event_id is not None or f.kind not in (None, COURSE_KIND) \
            or f.mode not in (None, "online"):
        return None
    course, edition, enrolment, _status = models
    query = (select(*_fact_columns(enrolment.user_id, literal(COURSE_KIND), literal("online"),
                                   func.coalesce(edition.activity_id, course.activity_id),
                                   _year(edition.starts_on)))
             .join(edition, edition.id == enrolment.edition_id)
             .join(course, course.id == edition.course_id)
             .where(enrolment.status.in_(list(statuses))))
    if f.edition_id is not None:
        query = query.where(edition.id == f.edition_id)
    if f.year is not None:
        query = query.where(_year(edition.starts_on) == f.year)
    if f.programme is not None:
        query = query.where(func.coalesce(edition.activity_id, course.activity_id)
                            .in_(_programme_activities(f.programme)))
    return query


def _certified(f: Filters):
    certificate = _certificate_model()
    if certificate is None:
        return []
    from elearn.certificates.models import CertificateKind, CertificateStatus, SubjectType

    valid = (certificate.status == CertificateStatus.VALID)
    branches = []
    if f.edition_id is None:
        query = (select(*_fact_columns(certificate.holder_id, Event.kind,
                                       literal("in_person"), Event.activity_id,
                                       _year(Event.starts_at)))
                 .join(Event, and_(certificate.subject_type == SubjectType.EVENT,
                                   Event.id == certificate.subject_id))
                 .where(valid, certificate.kind == CertificateKind.PARTICIPATION))
        if f.mode is None:  # a certificate has no mode of its own
            branches.append(_event_context(query, f, literal("in_person")))
    models = _course_models()
    if models and f.event_id is None and f.kind in (None, COURSE_KIND) \
            and f.mode in (None, "online"):
        course, edition = models[0], models[1]
        query = (select(*_fact_columns(certificate.holder_id, literal(COURSE_KIND),
                                       literal("online"),
                                       func.coalesce(edition.activity_id, course.activity_id),
                                       _year(edition.starts_on)))
                 .join(edition, and_(certificate.subject_type == SubjectType.EDITION,
                                     edition.id == certificate.subject_id))
                 .join(course, course.id == edition.course_id)
                 .where(valid, certificate.kind == CertificateKind.DIPLOMA))
        if f.edition_id is not None:
            query = query.where(edition.id == f.edition_id)
        if f.year is not None:
            query = query.where(_year(edition.starts_on) == f.year)
        branches.append(query)
    return branches


def fact_branches(measure: str, f: Filters, dims: tuple[str, ...] = ("mode",)) -> list:
    if measure == "panel":
        return [_registered_events(f, PANEL_ROLES, with_role=True)]
    if measure == "registered":
        course = _course_models()
        branches = [_registered_events(f)] if f.edition_id is None else []
        enrolled = _enrolments(f, [s for s in course[3] if s.is_participant]) \
            if course else None
        return branches + ([enrolled] if enrolled is not None else [])
    if measure == "attended":
        return [_attended_events(f, by_mode="mode" in dims)]
    if measure == "completed":
        course = _course_models()
        done = _enrolments(f, [course[3].COMPLETED]) if course else None
        return [done] if done is not None else []
    if measure == "certified":
        return _certified(f)
    raise ValueError(measure)


def dimension_expression(name: str, facts, joins: set):
    """The SQL expression for a row dimension; records the joins it needs."""
    if name == "country":
        return func.coalesce(User.country, "")
    if name == "subregion":
        joins.add("member_state")
        return func.coalesce(cast(MemberState.subregion, String), "")
    if name == "sector":
        return func.coalesce(cast(User.sector, String), "")
    if name == "age_group":
        age = facts.c.year - User.year_of_birth
        return case(
            (User.year_of_birth.is_(None), func.coalesce(User.age_group, "unknown")),
            (age < 25, "under-25"), (age < 35, "25-34"), (age < 45, "35-44"),
            (age < 55, "45-54"), (age < 65, "55-64"), else_="65+")
    if name in ("mode", "kind", "year", "role"):
        return facts.c[name]
    if name == "activity":
        return facts.c.activity_id
    if name == "programme":
        joins.add("project")
        return Project.programme_id
    if name == "thematic_area":
        joins.update(("project", "programme"))
        return Programme.area_id
    if name == "sdg":
        joins.add("sdg")
        return activity_sdg.c.sdg_number
    raise ValueError(name)


def gender_expression():
    return func.coalesce(cast(User.gender, String), "not_answered")


def table_query(measure: str, dims: tuple[str, ...], f: Filters):
    """SELECT <dims>, gender, count(DISTINCT user) ... GROUP BY <dims>, gender; None when the
    measure has no source here (e.g. completions without courses)."""
    branches = fact_branches(measure, f, dims)
    if not branches:
        return None
    facts = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("facts")
    joins: set[str] = set()
    dim_columns = [dimension_expression(d, facts, joins).label(f"d{i}")
                   for i, d in enumerate(dims)]
    gender = gender_expression().label("gender")
    query = select(*dim_columns, gender, func.count(distinct(facts.c.user_id)).label("people"))
    query = query.select_from(facts).join(User, User.id == facts.c.user_id)
    if f.subregion is not None:
        joins.add("member_state")
        query = query.where(MemberState.subregion == f.subregion)
    if f.country is not None:
        query = query.where(User.country == f.country)
    if f.programme is not None:
        joins.add("project")
        query = query.where(Project.programme_id == f.programme)
    if "member_state" in joins:
        query = query.outerjoin(MemberState, MemberState.country_code == User.country)
    if joins & {"project", "programme", "sdg"}:
        query = query.outerjoin(Activity, Activity.id == facts.c.activity_id)
    if joins & {"project", "programme"}:
        query = query.outerjoin(Project, Project.id == Activity.project_id)
    if "programme" in joins:
        query = query.outerjoin(Programme, Programme.id == Project.programme_id)
    if "sdg" in joins:
        query = query.outerjoin(activity_sdg, activity_sdg.c.activity_id == facts.c.activity_id)
    return query.group_by(*dim_columns, gender)
