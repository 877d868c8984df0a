"""What counts as a fact for the statistics, and keeping the `stats_fact` roll-up exact.

The rules of counting live here, once:
- *registered*: a confirmed participant registration for an event, or a participant enrolment
  in a course edition (kind "course", online);
- *attended*: present or late at one session or more of an event, per mode (a person may
  attend one session online and the next in the room); speakers and chairs are counted apart
  (panel parity), so their attendance is not a participant's;
- *completed*: an enrolment marked completed;
- *certified*: a valid participation certificate of an event (in the mode the person was
  registered in) or a valid diploma of an edition;
- *panel*: a confirmed registration as speaker, panellist, chair or moderator, with the role;
- nothing of a cancelled event counts (registered, attended, certified or panel): it did not
  take place, so its people were not reached (`_held`, the one condition every event fact
  joins on; an event's facts are derived again when its status changes).

Each fact carries the dimensions tables group by: of the subject (year, kind, activity, mode)
and of the person (country, sub-region, sector, gender, age group in the fact's year). The
person's profile is used only if they agreed to its statistical use (`User.stats_consent_at`,
asked on the profile form); without consent they are counted with every attribute not stated.

Freshness: a listener on the ORM session notes which people, events and editions a flush
touched; before the transaction commits (or before a statistics query in the same
transaction, see `apply_pending`), their facts are derived again from the source tables in
the same transaction. Re-deriving is idempotent, so refreshing too much is only a cost.
ORM bulk statements are noticed too (an INSERT of records names its people; a bulk UPDATE or
DELETE of records does not, so everything is derived again); SQL sent past the ORM session
must call `refresh` or `rebuild` itself.
"""

import functools
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from elearn.accounts.models import MemberState, User
from elearn.attendance.models import Attendance, AttendanceStatus
from elearn.certificates.models import Certificate, CertificateKind, CertificateStatus, SubjectType
from elearn.courses.models import Course, Edition, Enrolment, EnrolmentStatus
from elearn.db_writes import after_insert
from elearn.events.models import (
    Event,
    EventSession,
    EventStatus,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from elearn.events.services.common import before_seat_lock
from elearn.extensions import db

from .models import StatsFact

MEASURES = ("registered", "attended", "completed", "certified", "panel")
PANEL_ROLES = (ParticipantRole.SPEAKER, ParticipantRole.PANELLIST, ParticipantRole.CHAIR,
               ParticipantRole.MODERATOR)
COURSE_KIND = "course"
AGE_GROUPS = ("under-25", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
# The person's attributes a fact copies (and the consent to copy them): a change to any of
# them refreshes the person.
PERSON_ATTRIBUTES = ("country", "gender", "sector", "year_of_birth", "age_group",
                     "stats_consent_at")
# Ids per statement when refreshing many people at once (stays under every driver's limit).
CHUNK = 500

FACT_COLUMNS = ("measure", "user_id", "event_id", "edition_id", "year", "kind", "activity_id",
                "mode", "role", "country", "subregion", "sector", "gender", "age_group")


def course_models():
    """The course tables a fact is derived from (one place names them for every query)."""
    return Course, Edition, Enrolment, EnrolmentStatus


def certificate_model():
    return Certificate


# --- the facts, as SELECTs ------------------------------------------------------------------

def _the_people(column, axis: str):
    """One person (a registration, a check-in: `person`) or several (`ids`). One is an
    equality: an IN list of bound ids is written into the SQL again at each run."""
    if axis == "event_person":
        return column == bindparam("person")
    return column.in_(bindparam("ids", expanding=True))


class Scope:
    """Which facts to derive: all of them, or those of some people, events or editions (the
    ids are bound when the statement runs, so each statement is built once per process); or,
    narrowest, some measures of some people at one event ("event_people": `ids` the people,
    `event` the event; "event_person": one `person`), all that a registration or a check-in
    can change."""

    AXES = ("people", "events", "editions", "event_people", "event_person")

    def __init__(self, axis: str | None = None, measures: frozenset | None = None):
        assert axis is None or axis in self.AXES
        self.axis = axis
        self.measures = measures

    def wants(self, measure: str) -> bool:
        return self.measures is None or measure in self.measures

    def restrict(self, query, *, user=None, event=None, edition=None):
        """Add this scope's condition; None when the facts of this branch cannot be in it."""
        if self.axis is None:
            return query
        if self.axis in ("event_people", "event_person"):
            if user is None or event is None:
                return None
            return query.where(_the_people(user, self.axis), event == bindparam("event"))
        column = {"people": user, "events": event, "editions": edition}[self.axis]
        if column is None:
            return None
        return query.where(column.in_(bindparam("ids", expanding=True)))


def _year(column):
    return cast(func.extract("year", column), Integer)


def _core(measure, user_id, event_id, edition_id, year, kind, activity_id, mode, role=""):
    """The subject's side of a fact, labelled as the roll-up's columns."""
    return (literal(measure).label("measure"), user_id.label("user_id"),
            cast(event_id, Integer).label("event_id"),
            cast(edition_id, Integer).label("edition_id"), year.label("year"),
            cast(kind, String).label("kind"), activity_id.label("activity_id"),
            cast(mode, String).label("mode"), cast(role, String).label("role"))


def _held(event_id):
    """The join condition of every fact of an event: the event, unless it was cancelled."""
    return and_(Event.id == event_id, Event.status != EventStatus.CANCELLED)


def _event_registrations(scope: Scope, measure: str, roles):
    query = (select(*_core(measure, Registration.user_id, Registration.event_id, None,
                           _year(Event.starts_at), Event.kind, Event.activity_id,
                           Registration.mode,
                           Registration.role if measure == "panel" else literal("")))
             .join(Event, _held(Registration.event_id))
             .where(Registration.status == RegistrationStatus.CONFIRMED,
                    Registration.role.in_(list(roles))))
    return scope.restrict(query, user=Registration.user_id, event=Registration.event_id)


def _attended(scope: Scope):
    # One row per person, event and mode first: the panel check then runs on far fewer rows.
    per_event = (select(Attendance.user_id, EventSession.event_id, Attendance.mode)
                 .join(EventSession, EventSession.id == Attendance.session_id)
                 .where(Attendance.status.in_([AttendanceStatus.PRESENT,
                                               AttendanceStatus.LATE])))
    per_event = scope.restrict(per_event, user=Attendance.user_id, event=EventSession.event_id)
    if per_event is None:
        return None
    per_event = per_event.group_by(Attendance.user_id, EventSession.event_id, Attendance.mode) \
        .subquery("attended")
    on_panel = exists().where(Registration.event_id == per_event.c.event_id,
                              Registration.user_id == per_event.c.user_id,
                              Registration.role != ParticipantRole.PARTICIPANT)
    return (select(*_core("attended", per_event.c.user_id, per_event.c.event_id, None,
                          _year(Event.starts_at), Event.kind, Event.activity_id,
                          per_event.c.mode))
            .select_from(per_event).join(Event, _held(per_event.c.event_id))
            .where(~on_panel))


def _enrolments(scope: Scope, measure: str, statuses):
    models = course_models()
    if models is None:
        return None
    course, edition, enrolment, _status = models
    query = (select(*_core(measure, enrolment.user_id, None, enrolment.edition_id,
                           _year(edition.starts_on), literal(COURSE_KIND),
                           func.coalesce(edition.activity_id, course.activity_id),
                           literal("online")))
             .join(edition, edition.id == enrolment.edition_id)
             .join(course, course.id == edition.course_id)
             .where(enrolment.status.in_(list(statuses))))
    return scope.restrict(query, user=enrolment.user_id, edition=enrolment.edition_id)


def _certified(scope: Scope) -> list:
    certificate = certificate_model()
    if certificate is None:
        return []
    valid = certificate.status == CertificateStatus.VALID
    registration = and_(Registration.event_id == Event.id,
                        Registration.user_id == certificate.holder_id)
    of_events = (select(*_core("certified", certificate.holder_id, certificate.subject_id, None,
                               _year(Event.starts_at), Event.kind, Event.activity_id,
                               func.coalesce(cast(Registration.mode, String), "")))
                 .join(Event, and_(certificate.subject_type == SubjectType.EVENT,
                                   _held(certificate.subject_id)))
                 .outerjoin(Registration, registration)
                 .where(valid, certificate.kind == CertificateKind.PARTICIPATION))
    branches = [scope.restrict(of_events, user=certificate.holder_id,
                               event=certificate.subject_id)]
    models = course_models()
    if models:
        course, edition = models[0], models[1]
        diplomas = (select(*_core("certified", certificate.holder_id, None,
                                  certificate.subject_id, _year(edition.starts_on),
                                  literal(COURSE_KIND),
                                  func.coalesce(edition.activity_id, course.activity_id),
                                  literal("online")))
                    .join(edition, and_(certificate.subject_type == SubjectType.EDITION,
                                        edition.id == certificate.subject_id))
                    .join(course, course.id == edition.course_id)
                    .where(valid, certificate.kind == CertificateKind.DIPLOMA))
        branches.append(scope.restrict(diplomas, user=certificate.holder_id,
                                       edition=certificate.subject_id))
    return branches


def _branches(scope: Scope) -> list:
    """The SELECT of each measure in scope (a narrow scope leaves out the branches it cannot
    change: fewer branches, less planning, which costs more than running them for one person)."""
    branches = []
    if scope.wants("registered"):
        branches.append(_event_registrations(scope, "registered", (ParticipantRole.PARTICIPANT,)))
    if scope.wants("panel"):
        branches.append(_event_registrations(scope, "panel", PANEL_ROLES))
    if scope.wants("attended"):
        branches.append(_attended(scope))
    if scope.wants("certified"):
        branches += _certified(scope)
    models = course_models()
    if models:
        status = models[3]
        if scope.wants("registered"):
            branches.append(_enrolments(scope, "registered",
                                        [s for s in status if s.is_participant]))
        if scope.wants("completed"):
            branches.append(_enrolments(scope, "completed", [status.COMPLETED]))
    return [b for b in branches if b is not None]


def _age_group(year):
    age = year - User.year_of_birth
    return case(
        (User.year_of_birth.is_(None), func.coalesce(User.age_group, "unknown")),
        (age < 25, "under-25"), (age < 35, "25-34"), (age < 45, "35-44"),
        (age < 55, "45-54"), (age < 65, "55-64"), else_="65+")


def facts(scope: Scope | None = None):
    """SELECT of every fact in scope, in FACT_COLUMNS order (bind `ids` for a scope with an
    axis); None when nothing can be."""
    branches = _branches(scope or Scope())
    if not branches:
        return None
    core = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("core")

    def profile(value, unknown):
        # The profile is used only with the person's consent to its statistical use (the
        # profile form asks for it): without it they are counted, as not stated.
        return case((User.stats_consent_at.is_not(None), value), else_=unknown)

    return (select(core.c.measure, core.c.user_id, core.c.event_id, core.c.edition_id,
                   core.c.year, core.c.kind, core.c.activity_id, core.c.mode, core.c.role,
                   profile(func.coalesce(User.country, ""), "").label("country"),
                   profile(func.coalesce(cast(MemberState.subregion, String), ""), "")
                   .label("subregion"),
                   profile(func.coalesce(cast(User.sector, String), ""), "").label("sector"),
                   profile(func.coalesce(cast(User.gender, String), "not_answered"),
                           "not_answered").label("gender"),
                   profile(_age_group(core.c.year), "unknown").label("age_group"))
            .select_from(core).join(User, User.id == core.c.user_id)
            .outerjoin(MemberState, MemberState.country_code == User.country))


# --- refreshing -----------------------------------------------------------------------------

SUBJECT_COLUMNS = {"people": "user_id", "events": "event_id", "editions": "edition_id"}
# What a change to one record can change: the facts of that person at that event, and only
# these measures (a registration's status and role make registered and panel; its role
# decides whether attendance counts as a participant's, its mode goes on the certificate).
REGISTRATION_MEASURES = frozenset({"registered", "panel", "attended", "certified"})
ATTENDANCE_MEASURES = frozenset({"attended"})


def new_registration_measures(values: dict) -> frozenset:
    """The facts a NEW registration (its column values) can change, by the branches of
    facts(): a confirmed one counts its person as registered, or on the panel; a panel role
    takes the person out of the attended (counted apart); any registration gives a
    certificate of the event its mode. So a person joining the waiting list changes only
    the mode of a certificate they may hold, and most of a rush refreshes one small branch."""
    status, role = values.get("status"), values.get("role")
    if status is None or role is None:
        return REGISTRATION_MEASURES
    measures = {"certified"}
    participant = ParticipantRole(role) == ParticipantRole.PARTICIPANT
    if not participant:
        measures.add("attended")
    if RegistrationStatus(status) == RegistrationStatus.CONFIRMED:
        measures.add("registered" if participant else "panel")
    return frozenset(measures)
# Above this many (event, measures) groups in one transaction, refreshing the people whole
# takes fewer statements.
MAX_EVENT_GROUPS = 4


@functools.cache
def _statements(axis: str | None, measures: frozenset | None = None,
                dialect: str = "") -> tuple:
    """(DELETE, INSERT ... SELECT) for one scope, built once: building the SELECT costs more
    than running it for one person. On PostgreSQL the narrowest scope sends them as ONE
    statement (the DELETE in a WITH; both see the same snapshot, so the DELETE never meets
    the rows the INSERT adds): one round trip, and one statement for the driver to prepare."""
    table = StatsFact.__table__
    scope = Scope(axis, measures)
    removal = delete(table)
    if axis in ("event_people", "event_person"):
        # The measures as plain equalities: an IN list is written into the SQL again at each
        # run (SQLAlchemy's "post-compile"), for the same two or three names every time.
        removal = removal.where(_the_people(table.c.user_id, axis),
                                table.c.event_id == bindparam("event"),
                                or_(*(table.c.measure == m for m in sorted(measures))))
    elif axis is not None:
        removal = removal.where(table.c[SUBJECT_COLUMNS[axis]].in_(
            bindparam("ids", expanding=True)))
    query = facts(scope)
    addition = (insert(table).from_select(list(FACT_COLUMNS), query)
                if query is not None else None)
    if axis in ("event_people", "event_person") and dialect == "postgresql" \
            and addition is not None:
        return None, addition.add_cte(removal.cte("gone"))
    return removal, addition


def _replace(session: Session, axis: str | None = None, ids=None, *,
             measures: frozenset | None = None, event: int | None = None) -> None:
    removal, addition = _statements(axis, measures, session.get_bind().dialect.name)
    if axis is None:
        params = {}
    elif axis == "event_person":
        params = {"person": ids[0]}
    else:
        params = {"ids": ids}
    if event is not None:
        params["event"] = event
    # On the session's connection: statements of tables, nothing for the ORM's execution
    # layer (and its hooks) to do.
    connection = session.connection()
    if removal is not None:
        connection.execute(removal, params)
    if addition is not None:
        connection.execute(addition, params)


def refresh(people: Iterable[int] = (), events: Iterable[int] = (),
            editions: Iterable[int] = (), *, session: Session | None = None) -> None:
    """Derive again the facts of these people, events and editions (in this transaction)."""
    session = session or db.session()
    for axis, ids in (("people", people), ("events", events), ("editions", editions)):
        ids = sorted({i for i in ids if i is not None})
        for start in range(0, len(ids), CHUNK):
            _replace(session, axis, ids[start:start + CHUNK])


def refresh_at_event(event_id: int, people: Iterable[int], measures: Iterable[str], *,
                     session: Session | None = None) -> None:
    """Derive again only these measures of these people at one event (what one registration
    or one check-in can change)."""
    session = session or db.session()
    ids = sorted({i for i in people if i is not None})
    measures = frozenset(measures)
    if len(ids) == 1:  # a registration, a check-in
        _replace(session, "event_person", ids, measures=measures, event=event_id)
        return
    for start in range(0, len(ids), CHUNK):
        _replace(session, "event_people", ids[start:start + CHUNK], measures=measures,
                 event=event_id)


def rebuild(session: Session | None = None) -> int:
    """Derive every fact again (after a bulk load, or when the records were changed past the
    ORM); the row count. The indexes are dropped and made again around the load: sorting once
    is twice as fast as keeping six indexes up to date row by row (bench/stats.py)."""
    session = session or db.session()
    table = StatsFact.__table__
    connection = session.connection()
    for index in table.indexes:
        index.drop(connection)
    _replace(session)
    for index in table.indexes:
        index.create(connection)
    return session.scalar(select(func.count()).select_from(table))


# --- noticing what a transaction changed ----------------------------------------------------

PENDING = "stats_rollup_pending"


def _pending(session: Session) -> dict:
    # "at_events": {(person, event): measures}; "at_sessions": the same, by session (an
    # attendance names its session; the event is looked up when the refresh runs).
    return session.info.setdefault(PENDING, {"people": set(), "events": set(),
                                             "editions": set(), "courses": set(),
                                             "countries": set(), "at_events": {},
                                             "at_sessions": {}, "everything": False})


def _person_column(cls) -> str | None:
    """The column naming the person, for the records whose changes change their facts."""
    if cls in (Registration, Attendance):
        return "user_id"
    models = course_models()
    if models and cls is models[2]:  # Enrolment
        return "user_id"
    certificate = certificate_model()
    if certificate is not None and cls is certificate:
        return "holder_id"
    return None


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


def _moved(obj, names) -> set:
    """The values these attributes had before this flush, when they changed."""
    state = inspect(obj)
    return {old for n in names for old in (state.attrs[n].history.deleted or ())}


def _note(pending: dict, obj, *, new: bool = False, deleted: bool = False) -> None:
    """Record which facts a flushed object may have changed. New subjects have no facts yet;
    a changed one matters only through the attributes its facts copy. A registration or an
    attendance that stays with its person and event changes only that person's facts at that
    event."""
    person = _person_column(type(obj))
    if isinstance(obj, Registration | Attendance):
        place = "event_id" if isinstance(obj, Registration) else "session_id"
        if new or deleted or not _changed(obj, ("user_id", place)):
            key, at = (("at_events", REGISTRATION_MEASURES) if isinstance(obj, Registration)
                       else ("at_sessions", ATTENDANCE_MEASURES))
            if new and isinstance(obj, Registration):
                at = new_registration_measures({"status": obj.status, "role": obj.role})
            pair = (obj.user_id, getattr(obj, place))
            pending[key][pair] = pending[key].get(pair, frozenset()) | at
        else:  # moved to another person or event: everything of the people involved
            pending["people"].add(obj.user_id)
            pending["people"].update(_moved(obj, ("user_id",)))
    elif person is not None:
        pending["people"].add(getattr(obj, person))
    elif isinstance(obj, User):
        if not new and (deleted or _changed(obj, PERSON_ATTRIBUTES)):
            pending["people"].add(obj.id)
    elif isinstance(obj, Event):
        if deleted or (not new and _changed(obj, ("starts_at", "kind", "activity_id", "status"))):
            pending["events"].add(obj.id)
    elif isinstance(obj, EventSession):  # its attendance goes (or moves) with it
        if deleted or (not new and _changed(obj, ("event_id",))):
            pending["events"].add(obj.event_id)
            pending["events"].update(inspect(obj).attrs.event_id.history.deleted or ())
    elif isinstance(obj, MemberState):  # a sub-region is copied onto its people's facts
        pending["countries"].add(obj.country_code)
    elif (models := course_models()) is not None:
        course, edition = models[0], models[1]
        if isinstance(obj, edition) and (deleted or (not new and _changed(
                obj, ("starts_on", "activity_id", "course_id")))):
            pending["editions"].add(obj.id)
        elif isinstance(obj, course) and not new and _changed(obj, ("activity_id",)):
            pending["courses"].add(obj.id)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context) -> None:
    pending = _pending(session)
    for obj in session.new:
        _note(pending, obj, new=True)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note(pending, obj)
    for obj in session.deleted:
        _note(pending, obj, deleted=True)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    if not state.is_insert:
        if _person_column(state.bind_mapper.class_) is not None:
            _pending(state.session)["everything"] = True
        return
    _note_inserted(state.session, state.bind_mapper.class_, rows)


@after_insert
def _row_written(session: Session, model, values: dict) -> None:
    """A row written by elearn.db_writes (a registration, a check-in): the ORM's events do
    not see those."""
    _note_inserted(session, model, [values])


def _note_inserted(session: Session, model, rows: list[dict]) -> None:
    column = _person_column(model)
    if column is None:  # bulk statements elsewhere only move seat counters
        return
    pending = _pending(session)
    if not all(column in row for row in rows):
        pending["everything"] = True
        return
    place = {Registration: ("event_id", "at_events", REGISTRATION_MEASURES),
             Attendance: ("session_id", "at_sessions", ATTENDANCE_MEASURES)}.get(model)
    if place is None or not all(place[0] in row for row in rows):
        pending["people"].update(row[column] for row in rows)
        return
    name, key, measures = place  # new records of a person at an event: only those facts
    for row in rows:
        pair = (row[column], row[name])
        if key == "at_events":
            measures = new_registration_measures(row)
        pending[key][pair] = pending[key].get(pair, frozenset()) | measures


def apply_pending(session: Session | None = None) -> None:
    """Refresh what this transaction changed so far; statistics queries call it first, so a
    transaction reads its own writes."""
    session = session or db.session()
    session.flush()
    pending = session.info.pop(PENDING, None)
    if not pending or not any(pending.values()):
        return
    if pending["everything"]:
        _replace(session)  # all of it, keeping the indexes (others may be reading)
        return
    people = set(pending["people"])
    if pending["countries"]:
        people.update(session.scalars(select(User.id).where(
            User.country.in_(sorted(pending["countries"])))))
    editions = set(pending["editions"])
    models = course_models()
    if models and pending["courses"]:
        edition = models[1]
        editions.update(session.scalars(select(edition.id).where(
            edition.course_id.in_(sorted(pending["courses"])))))
    groups = _event_groups(session, pending, people)
    if len(groups) > MAX_EVENT_GROUPS:
        people.update(p for members in groups.values() for p in members)
        groups = {}
    refresh(people=people, events=pending["events"], editions=editions, session=session)
    for (event_id, measures), members in sorted(groups.items(), key=repr):
        refresh_at_event(event_id, members, measures, session=session)


def _event_groups(session: Session, pending: dict, people: set) -> dict:
    """{(event, measures): people} for the narrow refreshes, leaving out whoever a wider
    refresh (their person, their event) already covers."""
    at_events = dict(pending["at_events"])
    if pending["at_sessions"]:
        event_of = _events_of_sessions(session, {s for _p, s in pending["at_sessions"]})
        for (person, session_id), measures in pending["at_sessions"].items():
            if session_id not in event_of:  # the session is gone: its event's facts went
                people.add(person)  # with it, and the person's are derived again whole
                continue
            pair = (person, event_of[session_id])
            at_events[pair] = at_events.get(pair, frozenset()) | measures
    groups: dict = {}
    for (person, event_id), measures in at_events.items():
        if person in people or event_id in pending["events"] or event_id is None:
            continue
        groups.setdefault((event_id, measures), set()).add(person)
    return groups


def _events_of_sessions(session: Session, session_ids: set) -> dict:
    """{session id: event id}: from the sessions already loaded, else one query."""
    found, missing = {}, []
    for session_id in session_ids:
        loaded = session.identity_map.get(inspect(EventSession).identity_key_from_primary_key(
            (session_id,)))
        event_id = loaded.__dict__.get("event_id") if loaded is not None else None
        if event_id is None:
            missing.append(session_id)
        else:
            found[session_id] = event_id
    if missing:
        found.update({session_id: event_id for session_id, event_id in session.execute(
            select(EventSession.id, EventSession.event_id).where(
                EventSession.id.in_(sorted(missing))))})
    return found


@before_seat_lock
def _before_seat_lock(session: Session) -> None:
    """A seat UPDATE locks the event until commit: refresh before it, not at the commit. Not
    inside a SAVEPOINT: rolled back, it would take the refresh of earlier changes with it."""
    if not session.in_nested_transaction():
        apply_pending(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # Also when a SAVEPOINT is released: on SQLite, a SAVEPOINT opened before any write is
    # the outermost transaction and its RELEASE commits (a certificate issued inside one
    # was stored with its facts never refreshed). The registration path opens none, so its
    # refresh still runs once, at the commit.
    if session.info.get(PENDING) or session.new or session.dirty or session.deleted:
        apply_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction) -> None:
    if not previous_transaction.nested:  # a whole transaction undone: nothing to refresh
        session.info.pop(PENDING, None)


def differences(session: Session | None = None) -> tuple[list, list]:
    """(facts missing from the roll-up, rows it has that are no longer facts): both empty
    when it is exact. The test suite checks this after every test."""
    session = session or db.session()
    derived = facts()
    table = StatsFact.__table__
    stored = Counter(tuple(r) for r in session.execute(
        select(*(table.c[c] for c in FACT_COLUMNS))))
    expected = Counter(tuple(r) for r in session.execute(derived)) if derived is not None \
        else Counter()
    return sorted((expected - stored).elements(), key=repr), \
        sorted((stored - expected).elements(), key=repr)
