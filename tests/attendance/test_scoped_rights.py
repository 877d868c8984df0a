"""Taking attendance is for the people who manage the event: the organiser of another event is
refused every attendance page and action of it (nothing recorded), programme managers and
admins may use them all. The self check-in page shows nothing of an event the viewer may not
see."""

import io

import pytest
from sqlalchemy import func, select

from elearn.attendance.models import Attendance, SessionCode
from elearn.events.models import EventStatus
from elearn.extensions import db
from tests.conftest import PASSWORD

REPORT = b"name,email,minutes\nAna,ana@example.org,120\n"


def _client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (302, 303)
    return client


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setting(make_user, make_event, register):
    olga = make_user(email="olga@example.org", roles=["organiser"])
    otto = make_user(email="otto@example.org", roles=["organiser"])
    event = make_event(olga)
    make_event(otto, title_en="Otto's own event")
    ana = make_user(email="ana@example.org", full_name="Ana Pérez")
    reg = register(event, ana)
    return {"event": event, "session": event.sessions[0], "reg": reg, "otto": otto,
            "olga": olga}


def _requests(s):
    e, sess, r = s["event"].id, s["session"].id, s["reg"]
    return [
        ("GET", f"/attendance/event/{e}", None),
        ("GET", f"/attendance/session/{sess}/check-in", None),
        ("GET", f"/attendance/session/{sess}/check-in?code={r.ticket_token}", None),
        ("POST", f"/attendance/session/{sess}/check-in/confirm", {"code": r.ticket_token}),
        ("GET", f"/attendance/session/{sess}/roll-call", None),
        ("POST", f"/attendance/session/{sess}/roll-call/{r.id}", {"status": "present"}),
        ("POST", f"/attendance/session/{sess}/roll-call/absent", {}),
        ("GET", f"/attendance/session/{sess}/code", None),
        ("POST", f"/attendance/session/{sess}/code", {}),
        ("GET", f"/attendance/session/{sess}/import", None),
        ("POST", f"/attendance/session/{sess}/import", "report"),
    ]


def _send(client, method, url, data):
    if data == "report":
        data = {"report": (io.BytesIO(REPORT), "report.csv"), "min_share": "50"}
    return client.open(url, method=method, data=data)


def test_organiser_of_another_event_takes_no_attendance(app, setting):
    client = _client(app, setting["otto"])
    for method, url, data in _requests(setting):
        assert _send(client, method, url, data).status_code == 403, (method, url)
    # Where the ticket's QR code leads: a refusal, not the event's check-in page.
    assert client.get(f"/attendance/t/{setting['reg'].ticket_token}").status_code == 403
    assert _count(Attendance) == 0 and _count(SessionCode) == 0


@pytest.mark.parametrize("role", ["programme_manager", "admin"])
def test_programme_managers_and_admins_take_attendance_of_every_event(app, setting,
                                                                      make_user, role):
    client = _client(app, make_user(email=f"{role}@example.org", roles=[role]))
    for method, url, data in _requests(setting):
        if method == "GET":
            assert _send(client, method, url, data).status_code == 200, url
    sess, reg = setting["session"].id, setting["reg"]
    assert client.post(f"/attendance/session/{sess}/roll-call/{reg.id}",
                       data={"status": "late"}).status_code == 302
    assert client.post(f"/attendance/session/{sess}/code").status_code == 200
    assert _count(Attendance) == 1 and _count(SessionCode) == 1


def test_self_check_in_page_hides_a_draft_event(app, make_user, make_event, register):
    olga = make_user(roles=["organiser"])
    draft = make_event(olga, title_en="Unannounced ministerial meeting",
                       status=EventStatus.DRAFT)
    url = f"/attendance/session/{draft.sessions[0].id}/self-check-in"
    stranger = _client(app, make_user())
    page = stranger.get(url)
    assert page.status_code == 404
    assert "Unannounced" not in page.get_data(as_text=True)
    assert stranger.post(url, data={"code": "ABCDEF"}).status_code == 404
    # Someone registered to the draft (added by hand) does not see it either until published.
    insider = make_user()
    register(draft, insider)
    assert _client(app, insider).get(url).status_code == 404
    assert _client(app, olga).get(url).status_code == 200
    manager = _client(app, make_user(roles=["programme_manager"]))
    assert "Unannounced" in manager.get(url).get_data(as_text=True)
    draft.status = EventStatus.PUBLISHED
    db.session.commit()
    assert "Unannounced" in stranger.get(url).get_data(as_text=True)
    assert _count(Attendance) == 0
