"""Participants' pages: catalogue, event page, registering and cancelling through the web."""

from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import select

from elearn.events import services
from elearn.events.models import Event, EventStatus, Registration, RegistrationStatus
from elearn.extensions import db


def test_catalogue_lists_published_upcoming_first_then_past(client, make_event):
    soon = make_event(title_en="Soon seminar", starts_in=timedelta(days=2))
    later = make_event(title_en="Later forum", kind="forum", starts_in=timedelta(days=40))
    past = make_event(title_en="Past round table", kind="round_table",
                      starts_in=timedelta(days=-30))
    make_event(title_en="Secret draft", publish=False)
    page = client.get("/events/").get_data(as_text=True)
    assert "Secret draft" not in page
    positions = [page.index(e.title["en"]) for e in (soon, later, past)]
    assert positions == sorted(positions)


def test_catalogue_filters(client, make_event):
    make_event(title_en="Migration seminar", kind="virtual_seminar", language="en")
    make_event(title_en="Port workshop", kind="workshop", mode="in_person",
               venue_name="Port of Cartagena", starts_in=timedelta(days=70))
    page = client.get("/events/?kind=virtual_seminar").get_data(as_text=True)
    assert "Migration seminar" in page and "Port workshop" not in page
    page = client.get("/events/?mode=in_person").get_data(as_text=True)
    assert "Port workshop" in page and "Migration seminar" not in page
    page = client.get("/events/?language=en").get_data(as_text=True)
    assert "Migration seminar" in page and "Port workshop" not in page
    month = db.session.scalar(select(Event).where(Event.title["en"].as_string() == "Port workshop"))
    page = client.get(f"/events/?month={month.starts_at:%Y-%m}").get_data(as_text=True)
    assert "Port workshop" in page and "Migration seminar" not in page
    # Nonsense filters are ignored, never a 500.
    assert client.get("/events/?month=2026-13&kind=xx&programme=zz&page=-4").status_code == 200


def test_catalogue_filter_by_programme_activity(client, make_event):
    from elearn.programme.models import Activity, Programme, Project, ThematicArea

    area = ThematicArea(code="I", title_en="Economic", title_es="Económica")
    activity = Activity(code="1", path_code="I.I.A.1", title_en="Port logistics")
    area.programmes.append(Programme(code="I", title_en="P", projects=[
        Project(code="A", title_en="Ports", activities=[activity])]))
    db.session.add(area)
    db.session.commit()
    make_event(title_en="Linked event", activity_id=activity.id)
    make_event(title_en="Unlinked event")
    for value in (f"activity:{activity.id}", f"area:{area.id}"):
        page = client.get(f"/events/?programme={value}").get_data(as_text=True)
        assert "Linked event" in page and "Unlinked event" not in page


def test_catalogue_is_paginated_with_one_query_and_a_count(client, make_event, app):
    for i in range(14):
        make_event(title_en=f"Event number {i:02d}", starts_in=timedelta(days=i + 1))
    statements = []

    def count(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        first = client.get("/events/").get_data(as_text=True)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    event_queries = [s for s in statements if "FROM event" in s]
    assert len(event_queries) <= 3  # the page, its count, the programme filter choices
    assert "Event number 00" in first and "Event number 13" not in first
    assert "Event number 13" in client.get("/events/?page=2").get_data(as_text=True)


def test_event_page_shows_agenda_in_both_zones_and_seats(client, make_event, make_user, login):
    event = make_event(timezone="Asia/Tokyo", capacity_online=3)
    viewer = make_user(timezone="America/Caracas")
    login(viewer)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    session = event.sessions[0]
    tokyo = services.utc_to_local(session.starts_at, "Asia/Tokyo")
    caracas = services.utc_to_local(session.starts_at, "America/Caracas")
    assert f"{tokyo:%-I:%M}" in page and f"{caracas:%-I:%M}" in page
    assert "Asia/Tokyo" in page and "America/Caracas" in page
    assert "3 seats left" in page
    assert "calendar.ics" in page or "calendar.event_ics" not in client.application.view_functions


def test_register_and_cancel_through_the_web(client, make_event, make_user, login, mailbox):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=2)
    person = make_user()
    login(person)
    response = client.post(f"/events/{event.id}/register", data={})
    assert response.status_code == 400
    assert b"Choose whether you will take part" in response.data
    response = client.post(f"/events/{event.id}/register", data={"mode": "in_person"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert b"Cancel my registration" in response.data
    assert mailbox.last(person.email)
    again = client.post(f"/events/{event.id}/register", data={"mode": "online"})
    assert again.status_code == 409 and b"already registered" in again.data
    mine = client.get("/events/mine").get_data(as_text=True)
    assert event.title["es"] in mine or event.title["en"] in mine
    response = client.post(f"/events/{event.id}/cancel", data={"next": "mine"})
    assert response.status_code == 303 and response.location.endswith("/events/mine")
    reg = db.session.scalar(select(Registration))
    db.session.refresh(reg)
    assert reg.status == RegistrationStatus.CANCELLED
    assert client.post(f"/events/{event.id}/cancel").status_code == 409


def test_web_refusals_are_4xx_with_the_reason(client, make_event, make_user, login):
    draft = make_event(publish=False)
    cancelled = make_event()
    cancelled.status = EventStatus.CANCELLED
    ineligible = make_event(public_officials_only=True)
    virtual = make_event()
    db.session.commit()
    login(make_user())
    assert client.post(f"/events/{draft.id}/register").status_code == 404
    assert client.get(f"/events/{draft.id}").status_code == 404
    response = client.post(f"/events/{cancelled.id}/register")
    assert response.status_code == 409 and b"cancelled" in response.data
    response = client.post(f"/events/{ineligible.id}/register")
    assert response.status_code == 403 and b"public officials" in response.data
    response = client.post(f"/events/{virtual.id}/register", data={"mode": "in_person"})
    assert response.status_code == 400 and b"no in person participation" in response.data
    assert db.session.scalar(select(Registration)) is None
    assert b"public officials" in client.get(f"/events/{ineligible.id}").data


def test_anonymous_visitors_are_sent_to_log_in(client, make_event):
    event = make_event()
    assert b"Log in to register" in client.get(f"/events/{event.id}").data
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 302 and "/login" in response.location


def test_event_page_with_200_registrants_stays_small_and_private(client, make_event,
                                                                  make_user, app):
    from elearn.accounts.models import User

    event = make_event(capacity_online=500)
    users = [User(email=f"crowd{i}@example.org", full_name=f"Crowd Member {i}")
             for i in range(200)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all([Registration(event_id=event.id, user_id=u.id, mode="online",
                                     status=RegistrationStatus.CONFIRMED) for u in users])
    event.seats_taken_online = 200
    db.session.commit()
    statements = []

    def count(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(f"/events/{event.id}")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Crowd Member" not in body and "crowd1@example.org" not in body
    assert "300 seats left" in body
    assert len(body.encode()) < 20_000
    assert len(statements) < 15
