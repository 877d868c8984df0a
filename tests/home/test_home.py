"""The personal home, "My elearn" (issue 13 point 3): everything a person has, each linked,
dates in their time zone, empty states that say what to do, and the same number of SQL
statements whatever the person has."""

import re
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy import event as sa_event

from elearn.events.models import EventStatus
from elearn.extensions import db
from elearn.hackathons.models import TeamExtension


def page(client, lang="en"):
    response = client.get("/me", headers={"Accept-Language": lang})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/me")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_empty_home_says_what_to_do_next(client, make_user, login):
    login(make_user())
    html = page(client)
    assert "<h1>My elearn</h1>" in html
    assert '<a href="/events/">Browse events</a>' in html
    assert '<a href="/courses/">Browse courses</a>' in html
    assert '<a href="/hackathons/">See the hackathon</a>' in html
    assert 'href="/calendar/feed"' in html
    assert 'href="/certificates/mine"' in html


def test_everything_is_listed_and_linked(client, make_user, login, give):
    person = make_user(timezone="Asia/Tokyo", gender="woman", full_name="Ana Pérez")
    made = give(person)
    login(person)
    html = page(client)

    hybrid, in_person = made["hybrid"], made["in_person"]
    online_event, online = made["online_event"], made["online"]
    # Upcoming sessions, each with the join link of an online seat or the ticket.
    assert f'href="/events/{online_event.id}/join?session={online_event.sessions[0].id}"' in html
    assert f'href="/events/{hybrid.id}/join' not in html  # an in-person seat: no join link
    assert f'href="/attendance/ticket/{in_person.id}"' in html
    assert f'href="/attendance/ticket/{online.id}"' in html
    # The waiting list, with the place in line (one person waited longer).
    assert "Full meeting 1" in html
    assert "Waiting list: number 2 in line" in html
    assert f'href="/attendance/ticket/{made["waiting"].id}"' not in html
    # Courses with progress, applications with their status.
    assert f'href="/courses/editions/{made["edition"].id}/learn"' in html
    assert "1 of 3 lessons viewed" in html
    assert f'href="/courses/editions/{made["application"].id}"' in html
    assert "Pending" in html
    # The hackathon team and its own (extended) deadline.
    hackathon = made["hackathon"]
    assert f'href="/hackathons/{hackathon.id}/team">Team Caribe 1</a>' in html
    # Certificates with their download, and the calendar feed.
    assert 'href="/certificates/HOME0001.pdf"' in html
    assert "Trade facilitation workshop 1" in html
    assert 'href="/calendar/feed"' in html
    # Dates in the person's own zone: 15:00 UTC on 5 March 2030 is midnight in Tokyo.
    assert "Asia/Tokyo" in html
    assert re.search(r"Wed, 6 Mar 2030[^<]*12:00\s*AM|Wed, Mar 6, 2030[^<]*12:00\s*AM", html)
    # The team's deadline is its extension (2030-04-20 15:00 UTC, Sunday 21 April in Tokyo).
    assert re.search(r"Apr(il)? 21, 2030|21 Apr(il)? 2030", html)
    assert "Submission deadline:" in html
    # Gender is never shown.
    assert "woman" not in html.lower() and "Woman" not in html


def test_a_passed_deadline_says_submissions_closed(client, make_user, login, give):
    person = make_user()
    made = give(person)
    made["hackathon"].submission_deadline = datetime(2020, 5, 1, 12, 0, tzinfo=UTC)
    db.session.execute(delete(TeamExtension))
    db.session.commit()
    login(person)
    html = page(client)
    assert "Submissions closed on" in html and "2020" in html
    assert "Submission deadline:" not in html


def test_a_cancelled_event_says_so_and_offers_no_ticket(client, make_user, login, give):
    person = make_user()
    made = give(person)
    made["hybrid"].status = EventStatus.CANCELLED
    db.session.commit()
    login(person)
    html = page(client)
    assert "This event was cancelled." in html
    assert f'href="/attendance/ticket/{made["in_person"].id}"' not in html


def test_in_spanish(client, make_user, login, give):
    person = make_user(preferred_language="es")
    give(person)
    login(person)
    html = page(client, lang="es")
    assert '<html lang="es">' in html
    assert "Mi elearn" in html
    assert "Lista de espera: número 2" in html


def count_statements(client):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        page(client)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return statements


def test_the_same_number_of_statements_whatever_the_person_has(client, make_user, login, give):
    few, many = make_user(), make_user()
    give(few, n=1)
    give(many, n=8)
    login(few)
    with_few = count_statements(client)
    client.post("/logout")
    login(many)
    with_many = count_statements(client)
    html = page(client)
    assert html.count("Waiting list: number 2 in line") == 8
    assert html.count("lessons viewed") == 8
    assert len(with_many) == len(with_few), "\n".join(with_many)
    assert len(with_few) <= 12, "\n".join(with_few)
