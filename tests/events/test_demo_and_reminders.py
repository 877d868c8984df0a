"""The demo step, and `flask elearn send-reminders` (idempotent)."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import (
    Event,
    EventKind,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.mail.services import deliver_committed


def test_demo_builds_events_of_every_kind_tied_to_the_programme(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.events import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(2026)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    lines = demo.populate(rng)
    db.session.commit()
    assert lines and "Events" in lines[0]
    events = list(db.session.scalars(select(Event)))
    kinds = {e.kind for e in events}
    assert {EventKind.MEETING, EventKind.WORKSHOP, EventKind.VIRTUAL_SEMINAR,
            EventKind.ROUND_TABLE, EventKind.FORUM, EventKind.TRAINING} <= kinds
    port = next(e for e in events if "port logistics" in e.title["en"].lower()
                and e.status == EventStatus.PUBLISHED)
    assert port.mode == EventMode.HYBRID and port.venue_country == "CO"
    assert port.activity is not None and port.organisers
    assert all(e.activity_id for e in events)
    statuses = set(db.session.scalars(select(Registration.status)))
    assert {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
            RegistrationStatus.PENDING} <= statuses
    # Seat counters agree with the rows.
    for event in events:
        confirmed = db.session.scalar(select(func.count(Registration.id)).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED))
        assert event.seats_taken_in_person + event.seats_taken_online == confirmed
    assert any(e.ends_at < e.created_at for e in events)  # some are past


def test_send_reminders_runs_once_per_registration(app, make_event, make_user, mailbox):
    soon = make_event(starts_in=timedelta(hours=20))
    later = make_event(starts_in=timedelta(days=5))
    near, far, waiting = make_user(), make_user(), make_user()
    services.register(soon, near)
    services.register(later, far)
    soon.requires_approval = True
    services.register(soon, waiting)  # pending: no reminder
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["elearn", "send-reminders"])
    assert first.exit_code == 0, first.output
    assert "1 reminder" in first.output
    second = runner.invoke(args=["elearn", "send-reminders"])
    assert "0 reminder" in second.output
    reminders = [m for m in mailbox.messages if m["Subject"].startswith("Reminder")]
    assert [m["To"] for m in reminders] == [near.email]
    assert not mailbox.to(far.email) and not mailbox.to(waiting.email)
    db.session.expire_all()
    assert db.session.scalar(select(Registration).where(
        Registration.user_id == near.id)).reminder_sent_at is not None


def test_demo_scoped_event_organiser_manages_only_the_events_they_organise(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.accounts.models import Role, user_by_email
    from elearn.accounts.permissions import can
    from elearn.events import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(2026)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    demo.populate(rng)
    db.session.commit()
    scoped = user_by_email(demo.EVENT_ORGANISER_EMAIL)
    manager = user_by_email(demo.PROGRAMME_MANAGER_EMAIL)
    assert Role.ORGANISER in scoped.role_set and Role.ADMIN not in scoped.role_set
    events = list(db.session.scalars(select(Event)))
    theirs = [e for e in events if scoped.id in {o.user_id for o in e.organisers}]
    assert 0 < len(theirs) < len(events)
    assert all("migra" in e.title["en"].lower() for e in theirs)
    for event in events:
        assert can(scoped, "manage", event) == (event in theirs)
    # The programme manager organises the others (and, as programme manager, manages all).
    assert all(manager.id in {o.user_id for o in e.organisers}
               for e in events if e not in theirs)
    assert set(services.events_organised_by(scoped)) == set(theirs)
