"""Rights over an event come from the event: its organisers manage it, the organiser of another
event manages nothing of it, programme managers and admins manage every event. Each request is
replayed for each kind of person, and a refused one must leave the event untouched."""

import pytest
from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventOrganiser,
    EventStatus,
    Registration,
)
from elearn.extensions import db
from tests.conftest import PASSWORD

EDIT = {"kind": "workshop", "title_en": "Taken over", "timezone": "America/Caracas",
        "mode": "hybrid", "language": "es", "venue_name": "Elsewhere", "activity_id": "",
        "venue_country": ""}
# The same, as the services take it.
EVENT = dict(EDIT, activity_id=None, venue_country=None)


def _client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (302, 303)
    return client


@pytest.fixture
def setting(make_event, make_user):
    """Olga's hybrid event with Ana registered in person; Otto organises another event."""
    event = make_event(mode="hybrid", venue_name="SELA", title_en="Olga's workshop")
    ana = make_user(email="ana@example.org", full_name="Ana Pérez")
    reg = services.register(event, ana, AttendanceMode.IN_PERSON)
    db.session.commit()
    otto = make_user(email="otto@example.org", roles=["organiser"], full_name="Otto Other")
    others = services.create_event(dict(EVENT, title_en="Otto's meeting"), otto)
    db.session.commit()
    return {"event": event, "reg": reg, "otto": otto, "others": others,
            "session": event.sessions[0]}


def _requests(s):
    e, r, sess = s["event"].id, s["reg"].id, s["session"].id
    return [
        ("GET", f"/organise/events/{e}", None),
        ("GET", f"/organise/events/{e}/edit", None),
        ("POST", f"/organise/events/{e}/edit", EDIT),
        ("GET", f"/organise/events/{e}/sessions", None),
        ("GET", f"/organise/sessions/{sess}/edit", None),
        ("POST", f"/organise/sessions/{sess}/remove", {}),
        ("POST", f"/organise/events/{e}/complete", {}),
        ("POST", f"/organise/events/{e}/cancel", {}),
        ("GET", f"/organise/registrations/{r}", None),
        ("POST", f"/organise/registrations/{r}/move", {"mode": "online"}),
        ("POST", f"/organise/registrations/{r}/role", {"role": "speaker"}),
        ("POST", f"/organise/registrations/{r}/cancel", {"reason": "Gone"}),
        ("POST", f"/organise/registrations/{r}/approve", {}),
        ("GET", f"/organise/registrations/{r}/reject", None),
        ("POST", f"/organise/events/{e}/speakers", {"email": "otto@example.org",
                                                    "role": "speaker"}),
        ("POST", f"/organise/events/{e}/organisers", {"email": "otto@example.org"}),
        ("GET", f"/organise/events/{e}/registrations.csv", None),
        ("GET", f"/organise/events/{e}/registrations.xlsx", None),
        ("GET", f"/organise/events/{e}/email", None),
        ("POST", f"/organise/events/{e}/email", {"subject_es": "Hi", "body_es": "Hello"}),
        ("GET", f"/organise/events/{e}/video", None),
    ]


def _snapshot(s):
    db.session.expire_all()
    event = db.session.get(Event, s["event"].id)
    reg = db.session.get(Registration, s["reg"].id)
    return (event.status, event.title["en"], event.venue_name, len(event.sessions),
            sorted(o.user_id for o in event.organisers), reg.mode, reg.status, reg.role,
            db.session.scalar(select(func.count(Registration.id))))


def test_the_organiser_of_another_event_is_refused_everything(app, setting):
    client = _client(app, setting["otto"])
    before = _snapshot(setting)
    for method, url, data in _requests(setting):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (method, url, response.status_code)
    assert _snapshot(setting) == before
    assert db.session.scalar(select(func.count()).select_from(EventOrganiser).where(
        EventOrganiser.user_id == setting["otto"].id)) == 1  # still only his own event


def test_organiser_of_another_event_cannot_change_it_through_the_services(setting):
    with pytest.raises(services.EventError) as refused:
        services.cancel_event(setting["event"], setting["otto"])
    assert refused.value.status == 403
    db.session.rollback()
    assert db.session.get(Event, setting["event"].id).status == EventStatus.PUBLISHED


@pytest.mark.parametrize("role", ["programme_manager", "admin"])
def test_programme_managers_and_admins_manage_every_event(app, setting, make_user, role):
    boss = make_user(email=f"{role}@example.org", roles=[role])
    client = _client(app, boss)
    e, r = setting["event"].id, setting["reg"].id
    for method, url, _data in _requests(setting):
        if method == "GET":  # an export answers with its prepared file, after a redirect
            assert client.get(url, follow_redirects=True).status_code == 200, url
    assert client.post(f"/organise/registrations/{r}/move",
                       data={"mode": "online"}).status_code == 303
    assert client.post(f"/organise/events/{e}/cancel",
                       data={"confirmed": "1"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, r).mode == AttendanceMode.ONLINE
    assert db.session.get(Event, e).status == EventStatus.CANCELLED
    # Managing every event does not make them its organiser.
    assert boss.id not in {o.user_id for o in db.session.get(Event, e).organisers}


def test_my_events_lists_what_the_person_organises_and_every_event_for_managers(
        app, setting, make_user, organiser):
    otto_page = _client(app, setting["otto"]).get("/organise/events").get_data(as_text=True)
    assert f"/organise/events/{setting['others'].id}" in otto_page
    assert f"/organise/events/{setting['event'].id}\"" not in otto_page
    olga_page = _client(app, organiser).get("/organise/events").get_data(as_text=True)
    assert f"/organise/events/{setting['event'].id}\"" in olga_page
    assert f"/organise/events/{setting['others'].id}\"" not in olga_page
    manager = make_user(email="pm@example.org", roles=["programme_manager"])
    pm_page = _client(app, manager).get("/organise/events").get_data(as_text=True)
    assert f"/organise/events/{setting['event'].id}\"" in pm_page
    assert f"/organise/events/{setting['others'].id}\"" in pm_page
    participant = _client(app, make_user())
    assert participant.get("/organise/events").status_code == 403
    assert participant.post("/organise/events/new", data=EDIT).status_code == 403
    assert db.session.scalar(select(func.count(Event.id))) == 2


def test_a_draft_shows_to_its_organisers_and_managers_only(app, setting, organiser,
                                                         make_user):
    draft = services.create_event(dict(EVENT, title_en="Secret draft"), setting["otto"])
    db.session.commit()
    url = f"/events/{draft.id}"
    assert _client(app, setting["otto"]).get(url).status_code == 200
    manager = make_user(email="pm@example.org", roles=["programme_manager"])
    assert _client(app, manager).get(url).status_code == 200
    assert _client(app, organiser).get(url).status_code == 404  # organises another event
    assert _client(app, setting["reg"].user).get(url).status_code == 404
