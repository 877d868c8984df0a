"""Doing it safely and saying what happened (issue 13 points 6 and 7): cancelling an event,
rejecting and deciding for many people go through a confirmation page that says to how many
people it happens; an ended event cannot be cancelled; approving beyond capacity says the
person went to the waiting list; a bulk decision counts what was done and what was skipped."""

from datetime import timedelta

from sqlalchemy import select

from elearn.events import services
from elearn.events.models import Event, EventStatus, Registration, RegistrationStatus
from elearn.extensions import db


def _status(reg):
    db.session.expire_all()
    return db.session.get(Registration, reg.id).status


def test_an_ended_event_cannot_be_cancelled(client, login, organiser, make_event, make_user):
    event = make_event(starts_in=timedelta(days=-3))
    login(organiser)
    page = client.post(f"/organise/events/{event.id}/cancel")
    assert page.status_code == 409
    assert "already ended" in page.get_data(as_text=True)
    assert 'name="confirmed"' not in page.get_data(as_text=True)  # no button to go ahead
    forced = client.post(f"/organise/events/{event.id}/cancel", data={"confirmed": "1"})
    assert forced.status_code == 409
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.PUBLISHED
    assert services.cancel_problem(event) is not None


def test_cancel_confirmation_counts_only_active_registrants(client, login, organiser,
                                                           make_event, make_user):
    event = make_event(capacity_online=1)
    for _ in range(3):
        services.register(event, make_user())
    gone = services.register(event, make_user())
    services.cancel_registration(gone, gone.user)
    db.session.commit()
    login(organiser)
    html = client.post(f"/organise/events/{event.id}/cancel").get_data(as_text=True)
    assert "3 registered people will be told" in html
    assert services.people_to_tell(event) == 3


def test_approving_beyond_capacity_says_waiting_list(client, login, organiser, make_event,
                                                    make_user):
    event = make_event(requires_approval=True, capacity_online=1)
    first = services.register(event, make_user(full_name="Ana Uno"))
    second = services.register(event, make_user(full_name="Beto Dos"))
    db.session.commit()
    login(organiser)
    done = client.post(f"/organise/registrations/{first.id}/approve", follow_redirects=True)
    assert "Ana Uno was approved and has a seat." in done.get_data(as_text=True)
    full = client.post(f"/organise/registrations/{second.id}/approve", follow_redirects=True)
    text = full.get_data(as_text=True)
    assert "Beto Dos went to the waiting list" in text
    assert "Beto Dos was approved" not in text
    assert _status(second) == RegistrationStatus.WAITLISTED


def test_bulk_approve_asks_first_then_reports(client, login, organiser, make_event, make_user):
    event = make_event(requires_approval=True, capacity_online=2)
    regs = [services.register(event, make_user()) for _ in range(4)]
    db.session.commit()
    services.approve(regs[0], organiser)  # decided already: skipped below
    db.session.commit()
    login(organiser)
    picked = {"decision": "approve", "registration": [str(r.id) for r in regs] + ["999999"]}
    page = client.post(f"/organise/events/{event.id}/decide", data=picked)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="confirmed"' in html
    # One seat is left for three pending people: one seat, two to the waiting list.
    assert "1 of them gets a seat" in html
    assert "2 go to the waiting list" in html
    assert "1 was already decided and will be skipped." in html
    assert all(_status(r) == RegistrationStatus.PENDING for r in regs[1:])
    done = client.post(f"/organise/events/{event.id}/decide",
                       data=dict(picked, confirmed="1"), follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "1 person approved with a seat" in text
    assert "2 people went to the waiting list because no seat was left" in text
    assert "2 skipped: already decided (1); not a registration of this event (1)." in text
    assert [_status(r) for r in regs] == [RegistrationStatus.CONFIRMED,
                                          RegistrationStatus.CONFIRMED,
                                          RegistrationStatus.WAITLISTED,
                                          RegistrationStatus.WAITLISTED]


def test_bulk_reject_needs_a_reason(client, login, organiser, make_event, make_user, mailbox):
    event = make_event(requires_approval=True)
    regs = [services.register(event, make_user()) for _ in range(2)]
    db.session.commit()
    login(organiser)
    picked = {"decision": "reject", "registration": [str(r.id) for r in regs]}
    page = client.post(f"/organise/events/{event.id}/decide", data=picked)
    assert "2 people will be told by email" in page.get_data(as_text=True)
    no_reason = client.post(f"/organise/events/{event.id}/decide",
                            data=dict(picked, confirmed="1", reason=" "))
    assert no_reason.status_code == 400
    assert all(_status(r) == RegistrationStatus.PENDING for r in regs)
    done = client.post(f"/organise/events/{event.id}/decide",
                       data=dict(picked, confirmed="1", reason="Only ministries this time."),
                       follow_redirects=True)
    assert "2 registrations rejected." in done.get_data(as_text=True)
    assert all(_status(r) == RegistrationStatus.REJECTED for r in regs)
    assert "Only ministries" in type(mailbox).text_of(mailbox.last(regs[0].user.email))


def test_bulk_ignores_other_events_registrations(client, login, organiser, make_event,
                                                 make_user):
    mine = make_event(requires_approval=True)
    other = make_event(requires_approval=True, title_en="Another")
    foreign = services.register(other, make_user())
    db.session.commit()
    login(organiser)
    response = client.post(f"/organise/events/{mine.id}/decide", data={
        "decision": "approve", "registration": [str(foreign.id)], "confirmed": "1"})
    assert response.status_code == 303
    assert _status(foreign) == RegistrationStatus.PENDING
    assert db.session.scalar(select(Registration).where(
        Registration.event_id == mine.id)) is None
