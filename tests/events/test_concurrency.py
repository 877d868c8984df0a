"""Many people registering (and cancelling) at once never oversell seats nor promote anyone
twice: the seat comes from one conditional UPDATE, the promotion from a locked row."""

import threading

import pytest
from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import Event, Registration, RegistrationStatus
from elearn.extensions import db
from tests.conftest import PASSWORD


def _run_in_threads(app, work, items):
    barrier = threading.Barrier(len(items))
    errors = []

    def run(item):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                work(item)
                db.session.commit()
            except Exception as exc:  # collected and asserted below
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


def _register_all(app, event_id, user_ids):
    def work(user_id):
        event = db.session.get(Event, event_id)
        from elearn.accounts.models import User

        services.register(event, db.session.get(User, user_id), "online")

    return _run_in_threads(app, work, user_ids)


def _counts(event_id):
    db.session.expire_all()
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event_id)
        .group_by(Registration.status))
    return {status: n for status, n in rows}


def _check_rush(app, make_event, make_user, people, capacity):
    event = make_event(capacity_online=capacity)
    user_ids = [make_user().id for _ in range(people)]
    errors = _register_all(app, event.id, user_ids)
    assert errors == []
    counts = _counts(event.id)
    assert counts[RegistrationStatus.CONFIRMED] == capacity
    assert counts[RegistrationStatus.WAITLISTED] == people - capacity
    assert db.session.get(Event, event.id).seats_taken_online == capacity
    return event


def test_rush_on_postgresql_never_oversells(app, is_postgres, make_event, make_user):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    _check_rush(app, make_event, make_user, people=32, capacity=10)


def test_rush_on_sqlite_never_oversells(app, is_postgres, make_event, make_user):
    if is_postgres:
        pytest.skip("the SQLite variant")
    _check_rush(app, make_event, make_user, people=12, capacity=5)


def test_simultaneous_cancellations_promote_different_people(app, make_event, make_user):
    event = _check_rush(app, make_event, make_user, people=12, capacity=4)
    confirmed = list(db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.CONFIRMED)))
    waiting = list(db.session.scalars(
        select(Registration.id).where(Registration.event_id == event.id,
                                      Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)))
    leaving = [(r.id, r.user_id) for r in confirmed[:3]]

    def work(item):
        reg_id, user_id = item
        from elearn.accounts.models import User

        services.cancel_registration(db.session.get(Registration, reg_id),
                                     db.session.get(User, user_id))

    assert _run_in_threads(app, work, leaving) == []
    counts = _counts(event.id)
    assert counts[RegistrationStatus.CONFIRMED] == 4
    assert counts[RegistrationStatus.CANCELLED] == 3
    assert counts[RegistrationStatus.WAITLISTED] == 5
    promoted = set(db.session.scalars(
        select(Registration.id).where(Registration.id.in_(waiting),
                                      Registration.status == RegistrationStatus.CONFIRMED)))
    assert promoted == set(waiting[:3])  # the three longest-waiting, each once
    assert db.session.get(Event, event.id).seats_taken_online == 4


# --- through the register form ----------------------------------------------------------------

def _registered_messages(event_id):
    """Per person: their status, the subjects of the mail queued to them and the statuses
    their audit entries record."""
    from elearn.accounts.models import User
    from elearn.audit.models import AuditRecord
    from elearn.mail.models import OutboxMessage

    db.session.expire_all()
    people = {}
    for reg, email in db.session.execute(
            select(Registration, User.email).join(User, User.id == Registration.user_id)
            .where(Registration.event_id == event_id)):
        subjects = list(db.session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.to_address == email)))
        audited = [entry.after["status"] for entry in db.session.scalars(
            select(AuditRecord).where(AuditRecord.action == "event.registration",
                                      AuditRecord.subject_id == str(reg.id)))]
        people[email] = (reg.status, subjects, audited)
    return people


def _consistent(people):
    """Each person: one message and one audit entry, both saying what their registration
    says."""
    for status, subjects, audited in people.values():
        assert len(subjects) == 1 and audited == [status.value]
        word = "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting list"
        assert word in subjects[0]


def test_rush_through_the_form_never_oversells_nor_mails_wrongly(app, make_event, make_user,
                                                                 is_postgres):
    """32 people press Register at once for 10 seats, each through the real form: besides the
    counts, each gets the one email and the one audit entry that match their registration
    (the email is written on a guess from the seat counter, before the seat is taken)."""
    people, capacity = (32, 10) if is_postgres else (8, 3)
    event = make_event(capacity_online=capacity)
    users = [make_user() for _ in range(people)]
    clients = [app.test_client() for _ in users]
    for client, user in zip(clients, users, strict=True):
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}
                           ).status_code in (302, 303)
    barrier = threading.Barrier(people)
    answers, url = [], f"/events/{event.id}/register"

    def press(client):
        barrier.wait(timeout=30)
        answers.append(client.post(url, data={}).status_code)

    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert answers == [303] * people
    counts = _counts(event.id)
    assert counts[RegistrationStatus.CONFIRMED] == capacity
    assert counts[RegistrationStatus.WAITLISTED] == people - capacity
    assert db.session.get(Event, event.id).seats_taken_online == capacity
    _consistent(_registered_messages(event.id))

