"""Two organisers accepting at the same moment can never take more places than there are:
the conditional UPDATE decides inside the database (PostgreSQL row lock)."""

import threading

import pytest
from sqlalchemy import select

from elearn.courses.models import Edition, Enrolment, EnrolmentStatus
from elearn.courses.services import enrolment as service
from elearn.extensions import db


def test_last_place_taken_once(app, edition, make_user, instructor, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite serialises writers; the race is meaningful on PostgreSQL")
    edition.capacity = 1
    db.session.commit()
    ids = [service.apply(edition, make_user(country="VE"), "x").id for _ in range(4)]
    db.session.commit()
    edition_id, actor_id = edition.id, instructor.id
    barrier = threading.Barrier(len(ids))
    errors = []

    def accept(enrolment_id):
        with app.app_context():
            try:
                from elearn.accounts.models import User

                ed = db.session.get(Edition, edition_id)
                actor = db.session.get(User, actor_id)
                barrier.wait(timeout=10)
                service.decide(ed, [enrolment_id], "accept", actor=actor)
                db.session.commit()
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    db.session.expire_all()
    statuses = list(db.session.scalars(select(Enrolment.status)))
    assert statuses.count(EnrolmentStatus.ACCEPTED) == 1
    assert statuses.count(EnrolmentStatus.WAITLISTED) == 3
    assert db.session.get(Edition, edition_id).seats_taken == 1
