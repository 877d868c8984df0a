"""Attendance follows the server's clock (issue 13.9) and the ticket carries a code a person
can read out at the door (13.3): tested with frozen time."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select

from elearn.attendance.checkin import display_door_code, door_code
from elearn.attendance.models import Attendance, AttendanceStatus
from elearn.audit.models import AuditRecord
from elearn.extensions import db

START = datetime(2026, 12, 10, 14, 0, tzinfo=UTC)  # a two-hour session, 14:00–16:00 UTC


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _event(make_event, make_user, register):
    organiser, person = make_user(), make_user(full_name="Marisol Chávez")
    event = make_event(organiser, starts_at=START, minutes=120)
    return organiser, person, event, event.sessions[0], register(event, person)


def test_check_in_only_within_the_window(client, login, make_user, make_event, register):
    organiser, _person, _event_, session, reg = _event(make_event, make_user, register)
    login(organiser)
    url = f"/attendance/session/{session.id}/check-in/confirm"
    with time_machine.travel(START - timedelta(minutes=61), tick=False):
        early = client.post(url, data={"code": reg.ticket_token})
        assert early.status_code == 409
        # Caracas is UTC-4: the page says when it opens in the event's time zone.
        assert "opens at" in early.get_data(as_text=True)
        assert "9:00" in early.get_data(as_text=True)
        page = client.get(f"/attendance/session/{session.id}/check-in")
        assert page.status_code == 200 and "opens at" in page.get_data(as_text=True)
    with time_machine.travel(START + timedelta(hours=4, minutes=1), tick=False):
        late = client.post(url, data={"code": reg.ticket_token})
        assert late.status_code == 409 and "closed at" in late.get_data(as_text=True)
    assert _count(Attendance) == 0
    with time_machine.travel(START - timedelta(minutes=59), tick=False):
        assert client.post(url, data={"code": reg.ticket_token}).status_code == 302
    assert db.session.scalar(select(Attendance)).status == AttendanceStatus.PRESENT


def test_the_window_is_configurable(app, client, login, make_user, make_event, register):
    organiser, _person, _event_, session, reg = _event(make_event, make_user, register)
    app.config["ATTENDANCE_OPENS_BEFORE_MINUTES"] = 10
    login(organiser)
    with time_machine.travel(START - timedelta(minutes=30), tick=False):
        r = client.post(f"/attendance/session/{session.id}/check-in/confirm",
                        data={"code": reg.ticket_token})
        assert r.status_code == 409


def test_session_codes_and_self_check_in_follow_the_clock(client, login, make_user, make_event,
                                                          register):
    organiser, person, _event_, session, _reg = _event(make_event, make_user, register)
    login(organiser)
    with time_machine.travel(START - timedelta(hours=3), tick=False):
        r = client.post(f"/attendance/session/{session.id}/code")
        assert r.status_code == 409 and "opens at" in r.get_data(as_text=True)
        login(person)
        r = client.post(f"/attendance/session/{session.id}/self-check-in", data={"code": "ABCDEF"})
        assert r.status_code == 409
    assert _count(Attendance) == 0


def test_roll_call_after_the_window_needs_a_reason_which_is_audited(client, login, make_user,
                                                                    make_event, register):
    organiser, person, _event_, session, reg = _event(make_event, make_user, register)
    login(organiser)
    base = f"/attendance/session/{session.id}/roll-call"
    with time_machine.travel(START + timedelta(days=2), tick=False):
        refused = client.post(f"{base}/{reg.id}", data={"status": "present"})
        assert refused.status_code == 409 and "give a reason" in refused.get_data(as_text=True)
        assert _count(Attendance) == 0
        page = client.get(base).get_data(as_text=True)
        assert "closed at" in page and "Record attendance later" in page
        assert client.post(f"{base}/late", data={"reason": ""}).status_code == 400
        assert client.post(f"{base}/late",
                           data={"reason": "Typed in from the signed paper list"}
                           ).status_code == 302
        assert client.post(f"{base}/{reg.id}", data={"status": "present"}).status_code == 302
    row = db.session.scalar(select(Attendance))
    assert row.user_id == person.id and row.status == AttendanceStatus.PRESENT
    audits = {a.action: a for a in db.session.scalars(select(AuditRecord))}
    assert audits["attendance.late_recording"].after == {
        "reason": "Typed in from the signed paper list"}
    assert audits["attendance.recorded"].after["late_reason"] == \
        "Typed in from the signed paper list"


def test_roll_call_before_the_window_is_refused_even_with_a_reason(client, login, make_user,
                                                                   make_event, register):
    organiser, _person, _event_, session, reg = _event(make_event, make_user, register)
    login(organiser)
    base = f"/attendance/session/{session.id}/roll-call"
    with time_machine.travel(START - timedelta(days=1), tick=False):
        assert client.post(f"{base}/late", data={"reason": "why not"}).status_code == 409
        assert client.post(f"{base}/{reg.id}", data={"status": "present"}).status_code == 409
        assert client.post(f"{base}/absent", data={"confirmed": "1"}).status_code == 409
    assert _count(Attendance) == 0


def test_the_door_code_typed_in_any_case_checks_in(client, login, make_user, make_event,
                                                   register):
    organiser, person, _event_, session, reg = _event(make_event, make_user, register)
    code = display_door_code(door_code(reg))
    assert len(code) == 9 and code[4] == "-"
    assert not set(code) & set("ILOU")
    login(person)
    with time_machine.travel(START, tick=False):
        ticket = client.get(f"/attendance/ticket/{reg.id}").get_data(as_text=True)
        assert code in ticket
        login(organiser)
        typed = code.lower().replace("-", " ")  # read out, typed in lower case with a space
        found = client.post(f"/attendance/session/{session.id}/check-in", data={"code": typed})
        assert found.status_code == 200 and "Marisol Chávez" in found.get_data(as_text=True)
        done = client.post(f"/attendance/session/{session.id}/check-in/confirm",
                           data={"code": reg.ticket_token})
        assert done.status_code == 302
        wrong = client.post(f"/attendance/session/{session.id}/check-in",
                            data={"code": "ZZZZ-ZZZZ" if code != "ZZZZ-ZZZZ" else "YYYY-YYYY"})
        assert wrong.status_code == 404
    assert db.session.scalar(select(Attendance)).user_id == person.id


def test_roll_call_shows_statuses_as_labels_in_spanish(client, login, make_user, make_event,
                                                       register):
    organiser, _person, _event_, session, reg = _event(make_event, make_user, register)
    login(organiser)
    client.post("/language", data={"language": "es"})
    with time_machine.travel(START, tick=False):
        client.post(f"/attendance/session/{session.id}/roll-call/{reg.id}",
                    data={"status": "excused"})
        page = client.get(f"/attendance/session/{session.id}/roll-call").get_data(as_text=True)
    assert "Justificado" in page or "Excusado" in page
    assert ">excused<" not in page


def test_the_sessions_page_says_when_attendance_opens(client, login, make_user, make_event,
                                                      register):
    organiser, _person, event, _session, _reg = _event(make_event, make_user, register)
    login(organiser)
    with time_machine.travel(START - timedelta(days=1), tick=False):
        page = client.get(f"/attendance/event/{event.id}").get_data(as_text=True)
        assert "Opens" in page and "Open now" not in page
    with time_machine.travel(START + timedelta(minutes=5), tick=False):
        assert "Open now" in client.get(f"/attendance/event/{event.id}").get_data(as_text=True)
