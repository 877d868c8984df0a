"""The roll-up refresh of one registration or one check-in derives only what that record can
change: the person's facts at that event (a check-in: only their attendance), once per
transaction, and before the seat UPDATE that locks the event until commit. (The suite still
checks after every test that the roll-up equals a full derivation.)"""

from contextlib import contextmanager

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, insert, select, update

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.certificates import models as certificates
from elearn.db_writes import insert_if_absent
from elearn.events import services
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventMode,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.stats import rollup
from elearn.stats.models import StatsFact

from .conftest import add_certificate


@contextmanager
def statements():
    sent = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        sent.append(" ".join(statement.split()))

    sa_event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", keep)


def _facts(user_id, measure):
    return db.session.scalar(select(func.count()).select_from(StatsFact).where(
        StatsFact.user_id == user_id, StatsFact.measure == measure))


def _plant_copy(user_id, measure):
    """A second copy of one of the person's facts: stale on purpose, so we see what a
    refresh touched."""
    table = StatsFact.__table__
    row = db.session.execute(select(*(table.c[c] for c in rollup.FACT_COLUMNS)).where(
        table.c.user_id == user_id, table.c.measure == measure)).first()
    db.session.execute(insert(table).values(dict(zip(rollup.FACT_COLUMNS, row, strict=True))))
    db.session.commit()


def test_a_check_in_derives_only_that_persons_attendance_at_that_event(population):
    event, people = population
    person = people[10]  # registered, marked absent
    _plant_copy(person.id, "registered")

    with statements() as sent:
        record_attendance(event.sessions[0], person, status=AttendanceStatus.PRESENT,
                          mode=AttendanceMode.IN_PERSON, source=AttendanceSource.QR_CHECK_IN)
        db.session.commit()

    touching = [s for s in sent if "stats_fact" in s]
    assert touching and all("attended" in s or "DELETE" in s for s in touching)
    assert not any("enrolment" in s or "certificate" in s for s in touching)
    assert _facts(person.id, "attended") == 1
    assert _facts(person.id, "registered") == 2  # the planted copy: not this refresh's
    rollup.refresh(people=[person.id])  # the whole person: the copy goes
    db.session.commit()
    assert _facts(person.id, "registered") == 1


def test_one_refresh_per_registration_before_the_seat_is_taken(app, make_user, make_event):
    organiser = make_user(roles=["organiser"])
    event = make_event(organiser, mode=EventMode.VIRTUAL, capacity_online=5)
    person = make_user(gender="woman", country="VE")

    with statements() as sent:
        reg = services.register(event, person)
        db.session.commit()

    assert reg.status == RegistrationStatus.CONFIRMED
    refreshes = [i for i, s in enumerate(sent) if s.startswith(("INSERT INTO stats_fact",
                                                                 "WITH gone AS"))]
    seat = next(i for i, s in enumerate(sent) if s.startswith("UPDATE event SET seats_taken"))
    assert len(refreshes) == 1  # not again when a SAVEPOINT is released, nor at commit
    assert refreshes[0] < seat  # the event's row is locked from the seat UPDATE to COMMIT
    assert not any(s.startswith("SAVEPOINT") for s in sent)
    assert _facts(person.id, "registered") == 1


def test_a_wrong_guess_at_the_last_seat_is_derived_again(app, make_user, make_event):
    """The counter read with the event says a seat is left; another request took it before
    the seat UPDATE: the person is waitlisted, and the figures say so at commit."""
    organiser = make_user(roles=["organiser"])
    event = make_event(organiser, mode=EventMode.VIRTUAL, capacity_online=1)
    person = make_user()
    assert services.seats_left(event, AttendanceMode.ONLINE) == 1  # read, then taken:
    with db.engine.begin() as other:
        other.execute(update(Event).where(Event.id == event.id).values(seats_taken_online=1))

    with statements() as sent:
        reg = services.register(event, person)
        db.session.commit()

    assert reg.status == RegistrationStatus.WAITLISTED
    assert len([s for s in sent if s.startswith(("INSERT INTO stats_fact",
                                                 "WITH gone AS"))]) == 2
    assert _facts(person.id, "registered") == 0
    [subject] = db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.to_address == person.email))  # the confirmation was taken back
    assert "waiting list" in subject.lower()


def test_attendance_of_sessions_not_loaded_finds_their_event(population):
    """Records written by id (an import, the demo loader): the session is not in the
    identity map, so its event is looked up."""
    event, people = population
    session_id, ids = event.sessions[0].id, [p.id for p in people[11:14]]
    db.session.expunge_all()
    for user_id in ids:
        db.session.add(Attendance(session_id=session_id, user_id=user_id,
                                  status=AttendanceStatus.PRESENT, mode=AttendanceMode.ONLINE,
                                  source=AttendanceSource.ROLL_CALL))
    db.session.commit()
    assert all(_facts(user_id, "attended") == 1 for user_id in ids)


@pytest.mark.parametrize("status", list(RegistrationStatus))
@pytest.mark.parametrize("role", [ParticipantRole.PARTICIPANT, ParticipantRole.SPEAKER])
def test_a_new_registration_refreshes_only_what_it_changes_and_stays_exact(
        population, make_user, status, role):
    """A walk-in who attended and holds the event's certificate registers afterwards, with
    every status and as a participant or on the panel: the narrowed refresh (a waiting-list
    place touches only the certificate's mode) leaves exactly what a full derivation
    gives."""
    event, _people = population
    person = make_user(gender="woman", country="VE")
    record_attendance(event.sessions[0], person, status=AttendanceStatus.PRESENT,
                      mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)
    add_certificate(f"W{person.id:05d}", certificates.CertificateKind.PARTICIPATION,
                    certificates.SubjectType.EVENT, event.id, person)
    db.session.commit()

    insert_if_absent(Registration, {"event_id": event.id, "user_id": person.id,
                                    "mode": AttendanceMode.ONLINE, "status": status,
                                    "role": role}, ("event_id", "user_id"))
    db.session.commit()

    table = StatsFact.__table__
    mine = select(*(table.c[c] for c in rollup.FACT_COLUMNS)).where(
        table.c.user_id == person.id).order_by(*(table.c[c] for c in rollup.FACT_COLUMNS))
    narrowed = db.session.execute(mine).all()
    rollup.refresh(people=[person.id])
    db.session.commit()
    assert narrowed == db.session.execute(mine).all()
    certified = [f for f in narrowed if f.measure == "certified"]
    assert [f.mode for f in certified] == ["online"]  # the mode came with the registration


def test_a_waiting_list_place_refreshes_only_the_certificate_branch(population, make_user):
    event, _people = population
    person = make_user()
    with statements() as sent:
        insert_if_absent(Registration, {"event_id": event.id, "user_id": person.id,
                                        "mode": AttendanceMode.ONLINE,
                                        "status": RegistrationStatus.WAITLISTED,
                                        "role": ParticipantRole.PARTICIPANT},
                         ("event_id", "user_id"))
        db.session.commit()
    [refresh] = [s for s in sent if s.startswith(("INSERT INTO stats_fact", "WITH gone AS"))]
    assert "certificate" in refresh and "attendance" not in refresh
    assert " registration.status = " not in refresh
