"""The dashboard's list of registrations at size: 50 to a page with the event's total, the same
number of SQL statements whatever the number of rows, and the move buttons sharing one form."""

import re

from sqlalchemy import event as sa_event

from elearn.accounts.models import User
from elearn.events.models import Registration, RegistrationStatus
from elearn.extensions import db


def _registrants(event, n: int, status=RegistrationStatus.CONFIRMED, mode="online"):
    """n registrations added directly: the list reads them, seat counters do not matter."""
    people = [User(email=f"p{event.id}-{i}@example.org", full_name=f"Person {i:03d}",
                   country="JM") for i in range(n)]
    db.session.add_all(people)
    db.session.flush()
    regs = [Registration(event=event, user_id=p.id, mode=mode, status=status) for p in people]
    db.session.add_all(regs)
    db.session.commit()
    return regs


def _statements(client, url: str) -> tuple[int, str]:
    seen = []
    db.session.expire_all()  # the tests share one session: load everything afresh each time

    def count(*_args):
        seen.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def _rows(page: str) -> list[str]:
    listing = page.split('id="list"')[1]
    return re.findall(r'<tr><th scope="row"><a href="/organise/registrations/(\d+)">', listing)


def test_list_pages_by_50_and_shows_the_total(client, login, organiser, make_event):
    event = make_event(mode="hybrid", venue_name="SELA")
    regs = _registrants(event, 60)
    login(organiser)
    url = f"/organise/events/{event.id}"
    first = client.get(url).get_data(as_text=True)
    assert "60 registrations" in first and "Page 1 of 2" in first
    shown = _rows(first)
    assert len(shown) == 50
    # Sorted by name: Person 000 .. Person 049 on the first page, the rest on the second.
    assert shown[0] == str(regs[0].id) and shown[-1] == str(regs[49].id)
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert _rows(second) == [str(r.id) for r in regs[50:]]
    # A filter counts its own total (the unfiltered one comes from the status counts).
    filtered = client.get(url + "?q=person%2000").get_data(as_text=True)
    assert "10 registrations" in filtered and len(_rows(filtered)) == 10


def test_list_runs_the_same_queries_for_2_or_60_registrants(client, login, organiser,
                                                            make_event):
    small, large = make_event(mode="hybrid", venue_name="A"), make_event(mode="hybrid",
                                                                         venue_name="B")
    _registrants(small, 2)
    _registrants(large, 60)
    login(organiser)
    n_small, page_small = _statements(client, f"/organise/events/{small.id}")
    n_large, page_large = _statements(client, f"/organise/events/{large.id}")
    assert len(_rows(page_small)) == 2 and len(_rows(page_large)) == 50
    assert n_small == n_large


def test_move_buttons_share_one_form_whose_token_is_accepted(app, client, login, organiser,
                                                             make_event, reload):
    event = make_event(mode="hybrid", venue_name="SELA")
    ana, bob = _registrants(event, 2, mode="in_person")
    bob.status = RegistrationStatus.CANCELLED
    event.seats_taken_in_person = 1
    db.session.commit()
    login(organiser)
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    forms = re.findall(r'<form id="move" method="post"[^>]*><input type="hidden" '
                       r'name="csrf_token" value="([^"]+)"></form>', page)
    assert len(forms) == 1
    assert page.count('id="csrf_token"') <= 1  # no repeated ids from per-row forms
    button = (f'<button type="submit" form="move" formaction="/organise/registrations/'
              f'{ana.id}/move" name="mode" value="online"')
    assert button in page
    assert f"/organise/registrations/{bob.id}/move" not in page  # cancelled: nothing to move

    # What the browser sends for that button, with CSRF checking on as in production.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post(f"/organise/registrations/{ana.id}/move", data={"mode": "online"})
        assert refused.status_code == 400
        moved = client.post(f"/organise/registrations/{ana.id}/move",
                            data={"mode": "online", "csrf_token": forms[0]})
        assert moved.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    event = reload(event)
    assert (event.seats_taken_in_person, event.seats_taken_online) == (0, 1)
    db.session.expire_all()
    assert db.session.get(Registration, ana.id).mode.value == "online"
