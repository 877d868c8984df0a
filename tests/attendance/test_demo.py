import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from elearn.attendance.demo import populate
from elearn.attendance.models import Attendance
from elearn.events.models import RegistrationStatus
from elearn.extensions import db


def test_demo_fills_past_sessions_for_confirmed_registrants(app, make_user, make_event,
                                                            register):
    past = make_event(starts_at=datetime.now(UTC) - timedelta(days=10), sessions=2)
    future = make_event(starts_at=datetime.now(UTC) + timedelta(days=10))
    people = [make_user() for _ in range(6)]
    for person in people[:5]:
        register(past, person)
        register(future, person)
    register(past, people[5], status=RegistrationStatus.CANCELLED)
    lines = populate(random.Random(1))
    db.session.commit()
    rows = db.session.scalars(select(Attendance)).all()
    assert len(rows) == 10  # 5 people x 2 past sessions, none for the future or cancelled
    assert {r.session.event_id for r in rows} == {past.id}
    assert "10 records" in lines[0]
    assert populate(random.Random(1)) == ["Attendance: 0 records for 0 past sessions."]
