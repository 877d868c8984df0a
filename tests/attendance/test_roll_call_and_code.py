from datetime import timedelta

from sqlalchemy import select

from elearn.attendance.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    SessionCode,
)
from elearn.events.models import AttendanceMode, RegistrationStatus
from elearn.extensions import db


def _statuses(session_id):
    return {a.user_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session_id))}


def test_roll_call_lists_confirmed_and_sets_status(client, login, make_user, make_event,
                                                   register):
    organiser = make_user()
    ana, ben, waiting = (make_user(full_name=n) for n in ("Ana", "Ben", "Waiting Person"))
    event = make_event(organiser)
    session = event.sessions[0]
    reg_ana = register(event, ana)
    register(event, ben, mode=AttendanceMode.ONLINE)
    register(event, waiting, status=RegistrationStatus.WAITLISTED)
    login(organiser)
    page = client.get(f"/attendance/session/{session.id}/roll-call").get_data(as_text=True)
    assert "Ana" in page and "Ben" in page and "Waiting Person" not in page
    r = client.post(f"/attendance/session/{session.id}/roll-call/{reg_ana.id}",
                    data={"status": "late"})
    assert r.status_code == 302
    # Many people at once: a confirmation page first, saying how many, writing nothing.
    r = client.post(f"/attendance/session/{session.id}/roll-call/absent")
    assert r.status_code == 200
    assert "1 person with no status yet will be marked absent." in r.get_data(as_text=True)
    assert "1 person already recorded keeps their status." in r.get_data(as_text=True)
    assert ben.id not in _statuses(session.id)
    r = client.post(f"/attendance/session/{session.id}/roll-call/absent",
                    data={"confirmed": "1"}, follow_redirects=True)
    assert "1 marked absent; 1 skipped because they already had a status." in r.get_data(
        as_text=True)
    rows = _statuses(session.id)
    assert rows[ana.id].status == AttendanceStatus.LATE
    assert rows[ana.id].source == AttendanceSource.ROLL_CALL
    assert rows[ben.id].status == AttendanceStatus.ABSENT
    assert rows[ben.id].mode == AttendanceMode.ONLINE
    assert waiting.id not in rows
    # Correcting a status updates the same row.
    client.post(f"/attendance/session/{session.id}/roll-call/{reg_ana.id}",
                data={"status": "present"})
    db.session.expire_all()
    assert _statuses(session.id)[ana.id].status == AttendanceStatus.PRESENT
    assert len(_statuses(session.id)) == 2


def test_roll_call_rejects_bad_status_and_foreign_registration(client, login, make_user,
                                                               make_event, register):
    organiser, person = make_user(), make_user()
    event, other = make_event(organiser), make_event(organiser)
    reg = register(event, person)
    foreign = register(other, make_user())
    login(organiser)
    base = f"/attendance/session/{event.sessions[0].id}/roll-call"
    assert client.post(f"{base}/{reg.id}", data={"status": "sleeping"}).status_code == 400
    assert client.post(f"{base}/{foreign.id}", data={"status": "present"}).status_code == 404
    assert not _statuses(event.sessions[0].id)


def test_self_check_in_with_the_session_code(app, client, login, make_user, make_event,
                                             register):
    organiser, person, stranger = make_user(), make_user(), make_user()
    event = make_event(organiser)
    session = event.sessions[0]
    register(event, person, mode=AttendanceMode.ONLINE)
    login(organiser)
    page = client.post(f"/attendance/session/{session.id}/code").get_data(as_text=True)
    stored = db.session.scalar(select(SessionCode))
    import re

    code = re.search(r'class="session-code"[^>]*>([A-Z0-9]{6})<', page).group(1)
    assert code not in stored.code_hash  # kept hashed

    login(person)
    url = f"/attendance/session/{session.id}/self-check-in"
    assert client.post(url, data={"code": "WRONG1"}).status_code == 400
    assert not _statuses(session.id)
    assert client.post(url, data={"code": code.lower()}).status_code == 302
    row = _statuses(session.id)[person.id]
    assert (row.status, row.mode, row.source) == (
        AttendanceStatus.PRESENT, AttendanceMode.ONLINE, AttendanceSource.SELF_CHECK_IN)

    login(stranger)
    assert client.post(url, data={"code": code}).status_code == 403


def test_expired_code_is_refused(app, client, login, make_user, make_event, register):
    from elearn.attendance.checkin import new_session_code

    organiser, person = make_user(), make_user()
    event = make_event(organiser)
    session = event.sessions[0]
    register(event, person)
    code, row = new_session_code(session, actor=organiser)
    row.expires_at = row.expires_at - timedelta(minutes=16)
    db.session.commit()
    login(person)
    r = client.post(f"/attendance/session/{session.id}/self-check-in", data={"code": code})
    assert r.status_code == 400 and "expired" in r.get_data(as_text=True)
    assert not _statuses(session.id)


def test_self_check_in_keeps_an_earlier_door_check_in(app, make_user, make_event, register):
    from elearn.attendance.checkin import check_in, new_session_code, self_check_in

    organiser, person = make_user(), make_user()
    event = make_event(organiser)
    session = event.sessions[0]
    reg = register(event, person)
    check_in(session, reg.ticket_token, actor=organiser)
    code, _row = new_session_code(session, actor=organiser)
    row = self_check_in(session, person, code)
    assert (row.mode, row.source) == (AttendanceMode.IN_PERSON, AttendanceSource.QR_CHECK_IN)
