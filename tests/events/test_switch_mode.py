"""A full mode offers the other (issue 13 point 5): the registration form of a hybrid event
whose in-person seats are gone says so and offers the free online seats; a registered person
switches mode keeping their place when the other mode has a seat, and otherwise is told and
keeps their mode. Seats come from the atomic UPDATE, so a rush of switches never oversells."""

import threading

import pytest
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.events import services
from elearn.events.models import AttendanceMode, Event, Registration, RegistrationStatus
from elearn.extensions import db


def _hybrid(make_event, in_person=1, online=2):
    return make_event(mode="hybrid", venue_name="SELA", capacity_in_person=in_person,
                      capacity_online=online)


def test_full_in_person_offers_online_seats(client, login, make_event, make_user):
    event = _hybrid(make_event, in_person=1, online=5)
    services.register(event, make_user(), "in_person")
    db.session.commit()
    login(make_user())
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "In-person seats are full, but online seats are free" in html
    # Online is chosen already; in person says it means the waiting list.
    assert '<input checked id="mode-1" name="mode" type="radio" value="online">' in html
    assert "(waiting list)" in html


def test_no_offer_when_both_modes_have_room(client, login, make_event, make_user):
    event = _hybrid(make_event, in_person=3, online=3)
    login(make_user())
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "seats are full" not in html and "(waiting list)" not in html


def test_switching_keeps_the_place_when_a_seat_exists(client, login, make_event, make_user,
                                                      reload, mailbox):
    event = _hybrid(make_event, in_person=1, online=1)
    ana = make_user()
    reg = services.register(event, ana, "in_person")
    waiting = services.register(event, make_user(), "in_person")
    db.session.commit()
    login(ana)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Switch to online" in html
    response = client.post(f"/events/{event.id}/mode", data={"mode": "online"},
                           follow_redirects=True)
    assert "you are now registered online" in response.get_data(as_text=True)
    db.session.expire_all()
    reg, waiting = db.session.get(Registration, reg.id), db.session.get(Registration, waiting.id)
    assert (reg.mode, reg.status) == (AttendanceMode.ONLINE, RegistrationStatus.CONFIRMED)
    # The freed in-person seat went to the person who was waiting for one.
    assert waiting.status == RegistrationStatus.CONFIRMED
    event = reload(event)
    assert (event.seats_taken_in_person, event.seats_taken_online) == (1, 1)
    assert "You changed how you take part" in type(mailbox).text_of(mailbox.last(ana.email))


def test_no_seat_in_the_other_mode_keeps_the_current_one(client, login, make_event, make_user,
                                                         reload):
    event = _hybrid(make_event, in_person=2, online=1)
    services.register(event, make_user(), "online")
    ana = make_user()
    reg = services.register(event, ana, "in_person")
    db.session.commit()
    login(ana)
    response = client.post(f"/events/{event.id}/mode", data={"mode": "online"})
    assert response.status_code == 409
    assert "No online seat is free, so you stay registered in person." in \
        response.get_data(as_text=True)
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert (reg.mode, reg.status) == (AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED)
    event = reload(event)
    assert (event.seats_taken_in_person, event.seats_taken_online) == (1, 1)


def test_a_waiting_person_takes_a_free_seat_of_the_other_mode(make_event, make_user, reload):
    event = _hybrid(make_event, in_person=1, online=1)
    services.register(event, make_user(), "in_person")
    ben = make_user()
    reg = services.register(event, ben, "in_person")
    assert reg.status == RegistrationStatus.WAITLISTED
    services.switch_mode(reg, "online", ben)
    db.session.commit()
    assert (reg.mode, reg.status, reg.waitlisted_at) == (
        AttendanceMode.ONLINE, RegistrationStatus.CONFIRMED, None)
    assert reload(event).seats_taken_online == 1


def test_only_ones_own_registration_and_only_active(client, login, make_event, make_user):
    event = _hybrid(make_event)
    ana = make_user()
    reg = services.register(event, ana, "in_person")
    db.session.commit()
    with pytest.raises(services.EventError):
        services.switch_mode(reg, "online", make_user())
    with pytest.raises(services.EventError):
        services.switch_mode(reg, "in_person", ana)  # already
    with pytest.raises(services.EventError):
        services.switch_mode(reg, "by_pigeon", ana)
    db.session.rollback()
    services.cancel_registration(reg, ana)
    db.session.commit()
    with pytest.raises(services.Conflict):
        services.switch_mode(reg, "online", ana)
    login(make_user())  # has no registration here
    assert client.post(f"/events/{event.id}/mode", data={"mode": "online"}).status_code == 404


# --- many switches at once ------------------------------------------------------------------

def _switch_all(app, reg_ids):
    barrier = threading.Barrier(len(reg_ids))
    outcomes, errors = [], []

    def run(reg_id):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                reg = db.session.get(Registration, reg_id)
                services.switch_mode(reg, "online", db.session.get(User, reg.user_id))
                db.session.commit()
                outcomes.append("switched")
            except services.NoSeat:
                db.session.rollback()
                outcomes.append("kept")
            except Exception as exc:  # collected and asserted below
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in reg_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes, errors


def _check_switch_rush(app, make_event, make_user, people, online):
    event = _hybrid(make_event, in_person=people, online=online)
    regs = [services.register(event, make_user(), "in_person") for _ in range(people)]
    db.session.commit()
    outcomes, errors = _switch_all(app, [r.id for r in regs])
    assert errors == []
    assert outcomes.count("switched") == online
    assert outcomes.count("kept") == people - online
    db.session.expire_all()
    modes = list(db.session.scalars(select(Registration.mode).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED)))
    assert modes.count(AttendanceMode.ONLINE) == online
    assert modes.count(AttendanceMode.IN_PERSON) == people - online
    stored = db.session.get(Event, event.id)
    assert (stored.seats_taken_online, stored.seats_taken_in_person) == (online, people - online)


def test_switch_rush_on_postgresql_never_oversells(app, is_postgres, make_event, make_user):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    _check_switch_rush(app, make_event, make_user, people=24, online=5)


def test_switch_rush_on_sqlite_never_oversells(app, is_postgres, make_event, make_user):
    if is_postgres:
        pytest.skip("the SQLite variant")
    _check_switch_rush(app, make_event, make_user, people=10, online=3)
