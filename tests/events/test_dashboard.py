"""The organiser's dashboard: counts, approvals, list filters, moves, exports, email."""

import io
import zipfile

from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import Registration, RegistrationStatus
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import deliver_committed


def _fill(event, make_user):
    """4 people on a hybrid event with 1 in-person seat: 2 in person (1 waitlisted), 2 online."""
    people = [
        make_user(full_name="Ana Pérez", country="JM", gender="woman", preferred_language="es"),
        make_user(full_name="Bob Brown", country="BB", gender="man"),
        make_user(full_name="Carla Díaz", country="VE"),
        make_user(full_name="Dan Dee", country="JM", email="dan@example.org"),
    ]
    for person, mode in zip(people, ["in_person", "in_person", "online", "online"],
                            strict=True):
        services.register(event, person, mode)
    db.session.commit()
    deliver_committed()
    return people


def test_dashboard_counts_and_waiting_list(client, login, organiser, make_event, make_user):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1)
    _fill(event, make_user)
    login(organiser)
    statements = []

    def count(*args):
        statements.append(args[2])

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert len([s for s in statements if "GROUP BY" in s]) == 1
    assert len(statements) < 20  # no query per row
    waiting = page.split("Waiting list</h2>")[1]
    assert "Bob Brown" in waiting.split("</table>")[0]
    assert "Ana Pérez" in page and "Dan Dee" in page
    assert "woman" not in page  # gender is never shown per person
    counts = services.status_counts(event)
    assert counts == {("confirmed", "in_person"): 1, ("waitlisted", "in_person"): 1,
                      ("confirmed", "online"): 2}


def test_list_filters_and_paging(client, login, organiser, make_event, make_user):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1)
    _fill(event, make_user)
    login(organiser)
    url = f"/organise/events/{event.id}"
    page = client.get(url + "?status=waitlisted").get_data(as_text=True)
    listing = page.split('id="list"')[1]
    assert "Bob Brown" in listing and "Ana Pérez" not in listing
    listing = client.get(url + "?mode=online&country=jm").get_data(as_text=True) \
        .split('id="list"')[1]
    assert "Dan Dee" in listing and "Carla" not in listing and "Ana" not in listing
    listing = client.get(url + "?q=DAN@example").get_data(as_text=True).split('id="list"')[1]
    assert "Dan Dee" in listing and "Bob" not in listing
    assert client.get(url + "?status=bogus&page=99").status_code == 200


def test_approve_and_reject_from_the_dashboard(client, login, organiser, make_event,
                                               make_user, mailbox):
    event = make_event(requires_approval=True, capacity_online=5)
    a, b = make_user(), make_user()
    reg_a = services.register(event, a)
    reg_b = services.register(event, b)
    db.session.commit()
    login(organiser)
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Awaiting approval" in page and f"/organise/registrations/{reg_a.id}/approve" in page
    assert client.post(f"/organise/registrations/{reg_a.id}/approve").status_code == 303
    asked = client.get(f"/organise/registrations/{reg_b.id}/reject")
    assert asked.status_code == 200 and b'name="confirmed"' in asked.data
    unconfirmed = client.post(f"/organise/registrations/{reg_b.id}/reject",
                              data={"reason": "Not yet confirmed."})
    assert unconfirmed.status_code == 200  # the confirmation page again, nothing done
    db.session.expire_all()
    assert db.session.get(Registration, reg_b.id).status == RegistrationStatus.PENDING
    empty = client.post(f"/organise/registrations/{reg_b.id}/reject",
                        data={"reason": "", "confirmed": "1"})
    assert empty.status_code == 400
    response = client.post(f"/organise/registrations/{reg_b.id}/reject",
                           data={"reason": "Places are reserved for the Caribbean.",
                                 "confirmed": "1"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, reg_a.id).status == RegistrationStatus.CONFIRMED
    assert db.session.get(Registration, reg_b.id).status == RegistrationStatus.REJECTED
    assert "reserved for the Caribbean" in type(mailbox).text_of(mailbox.last(b.email))
    again = client.post(f"/organise/registrations/{reg_a.id}/approve", follow_redirects=True)
    assert b"Only a pending registration" in again.data


def test_other_people_cannot_use_the_dashboard(client, login, make_event, make_user):
    event = make_event(requires_approval=True)
    reg = services.register(event, make_user())
    db.session.commit()
    login(make_user(roles=["organiser"]))
    for url in (f"/organise/events/{event.id}", f"/organise/events/{event.id}/registrations.csv",
                f"/organise/events/{event.id}/email"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/organise/registrations/{reg.id}/approve").status_code == 403
    assert client.post("/organise/registrations/999/approve").status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).status == RegistrationStatus.PENDING


def test_move_between_modes_from_the_dashboard(client, login, organiser, make_event,
                                               make_user, reload):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1)
    people = _fill(event, make_user)
    ana = db.session.scalar(select(Registration).where(Registration.user_id == people[0].id))
    login(organiser)
    response = client.post(f"/organise/registrations/{ana.id}/move", data={"mode": "online"})
    assert response.status_code == 303
    event = reload(event)
    assert (event.seats_taken_in_person, event.seats_taken_online) == (1, 3)
    bob = db.session.scalar(select(Registration).where(Registration.user_id == people[1].id))
    assert bob.status == RegistrationStatus.CONFIRMED  # took the freed in-person seat


def test_csv_and_xlsx_exports_follow_the_filter_and_omit_gender(client, login, organiser,
                                                                make_event, make_user):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1)
    _fill(event, make_user)
    login(organiser)
    response = client.get(f"/organise/events/{event.id}/registrations.csv?mode=online",
                          follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Carla Díaz" in text and "Dan Dee" in text and "Ana Pérez" not in text
    assert "gender" not in text.lower() and "woman" not in text
    response = client.get(f"/organise/events/{event.id}/registrations.xlsx",
                          follow_redirects=True)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "Ana Pérez" in strings and "Bob Brown" in strings
    assert "woman" not in strings and "Gender" not in strings


def test_email_all_registrants_one_message_each_in_their_language(
        client, login, organiser, make_event, make_user, mailbox):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1)
    people = _fill(event, make_user)
    mailbox.clear()
    login(organiser)
    assert client.post(f"/organise/events/{event.id}/email",
                       data={"subject_es": "", "body_es": ""}).status_code == 400
    response = client.post(f"/organise/events/{event.id}/email", data={
        "subject_es": "Visa information", "body_es": "Bring your passport.", "status": "confirmed"})
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(OutboxMessage.id))
                             .where(OutboxMessage.subject == "Visa information")) == 3
    assert not [m for m in mailbox.to(people[1].email) if m["Subject"] == "Visa information"]
    ana = mailbox.last(people[0].email)
    assert "Bring your passport." in type(mailbox).text_of(ana)
    assert "Taller de logística portuaria" in type(mailbox).text_of(ana)  # Spanish wrapper


def test_my_events_list(client, login, organiser, make_event, make_user):
    mine = make_event(title_en="Mine")
    other = make_user(roles=["organiser"])
    login(organiser)
    page = client.get("/organise/events").get_data(as_text=True)
    assert "Taller de logística portuaria" in page or mine.title["en"] in page
    assert f"/organise/events/{mine.id}" in page
    client.post("/logout")
    login(other)
    assert f"/organise/events/{mine.id}" not in client.get("/organise/events").get_data(
        as_text=True)
    client.post("/logout")
    login(make_user())
    assert client.get("/organise/events").status_code == 403
