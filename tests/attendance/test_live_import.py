"""Live attendance from BigBlueButton's getMeetingInfo, through the organiser's import page,
against a stubbed BBB server (responses)."""

import pytest
import requests
import responses
from sqlalchemy import func, select

from elearn.attendance import imports
from elearn.attendance.models import (
    Attendance,
    AttendanceSource,
    AttendanceStatus,
)
from elearn.attendance.services import record_attendance
from elearn.audit.models import AuditRecord
from elearn.events.models import AttendanceMode, RegistrationStatus, VideoProvider
from elearn.extensions import db

BBB = "https://bbb.example.org/bigbluebutton/api/"


@pytest.fixture
def app_config(app_config):
    app_config.update(BBB_URL=BBB, BBB_SECRET="attendance-test-secret", BBB_TIMEOUT=2)
    return app_config


def meeting_info(*attendees):
    people = "".join(
        f"<attendee><userID>{uid}</userID><fullName>{name}</fullName><role>{role}</role>"
        "<isPresenter>false</isPresenter><isListeningOnly>false</isListeningOnly>"
        "<hasJoinedVoice>true</hasJoinedVoice><hasVideo>false</hasVideo>"
        "<clientType>HTML5</clientType></attendee>"
        for uid, name, role in attendees)
    return ("<response><returncode>SUCCESS</returncode><meetingName>Workshop</meetingName>"
            "<meetingID>elearn-1-abc</meetingID><internalMeetingID>int-1</internalMeetingID>"
            "<createTime>1767787200000</createTime><running>true</running>"
            "<startTime>1767787200000</startTime><endTime>0</endTime>"
            f"<participantCount>{len(attendees)}</participantCount>"
            f"<attendees>{people}</attendees><metadata/></response>")


@pytest.fixture
def live(make_user, make_event, register):
    organiser = make_user()
    event = make_event(organiser, video_provider=VideoProvider.BIGBLUEBUTTON,
                       video_meeting_id="elearn-1-abc")
    people = {
        "ana": make_user(email="ana@example.org", full_name="Ana"),
        "lukasz": make_user(email="lukasz@example.org", full_name="Łukasz Dąbrowski"),
        "pending": make_user(email="pending@example.org", full_name="Pending"),
    }
    register(event, people["ana"], mode=AttendanceMode.ONLINE)
    register(event, people["lukasz"], mode=AttendanceMode.ONLINE)
    register(event, people["pending"], status=RegistrationStatus.WAITLISTED)
    return organiser, event, event.sessions[0], people


def _poll(client, session):
    return client.post(f"/attendance/session/{session.id}/import", data={"provider-poll": "1"})


def _rows(session_id):
    return {a.user_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session_id))}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@responses.activate
def test_people_in_the_meeting_are_present_and_strangers_unmatched(client, login, live):
    organiser, event, session, people = live
    responses.get(f"{BBB}getMeetingInfo", body=meeting_info(
        (people["ana"].id, "Ana", "VIEWER"),
        (people["lukasz"].id, "Łukasz Dąbrowski", "VIEWER"),
        (people["lukasz"].id, "Łukasz Dąbrowski", "VIEWER"),  # a second device
        (999999, "Mallory", "VIEWER"),
        (people["pending"].id, "Pending", "VIEWER"),
        ("w_7xk2p", "Guest with a BBB id", "VIEWER")))
    login(organiser)
    form = client.get(f"/attendance/session/{session.id}/import").get_data(as_text=True)
    assert 'name="provider-poll"' in form and "Import from the video meeting" in form

    page = _poll(client, session)

    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:500]
    rows = _rows(session.id)
    assert set(rows) == {people["ana"].id, people["lukasz"].id}
    for row in rows.values():
        assert row.status == AttendanceStatus.PRESENT
        assert row.mode == AttendanceMode.ONLINE
        assert row.source == AttendanceSource.PROVIDER_IMPORT
        assert row.minutes_online is None
        assert row.checked_in_at is not None
    assert "Present: 2" in html and "In the meeting now: 6" in html
    assert "Not matched to a confirmed registration (3)" in html
    for name in ("Mallory", "Guest with a BBB id", "pending@example.org"):
        assert name in html
    (call,) = responses.calls
    assert "meetingID=elearn-1-abc" in call.request.url and "checksum=" in call.request.url


@responses.activate
def test_repeated_polls_neither_duplicate_nor_downgrade(client, login, live):
    organiser, event, session, people = live
    record_attendance(session, people["lukasz"], status=AttendanceStatus.LATE,
                      mode=AttendanceMode.IN_PERSON, source=AttendanceSource.QR_CHECK_IN)
    db.session.commit()
    responses.get(f"{BBB}getMeetingInfo", body=meeting_info(
        (people["ana"].id, "Ana", "VIEWER"), (people["lukasz"].id, "Łukasz", "VIEWER")))
    login(organiser)

    assert _poll(client, session).status_code == 200
    audits = _count(AuditRecord)
    second = _poll(client, session)

    assert second.status_code == 200
    assert "Already present, minutes updated: 2" in second.get_data(as_text=True)
    assert _count(Attendance) == 2
    assert _count(AuditRecord) == audits  # the second poll changed nothing
    rows = _rows(session.id)
    assert rows[people["ana"].id].status == AttendanceStatus.PRESENT
    assert rows[people["lukasz"].id].status == AttendanceStatus.LATE
    assert rows[people["lukasz"].id].source == AttendanceSource.QR_CHECK_IN


@responses.activate
def test_someone_marked_absent_then_seen_becomes_present(client, login, live):
    organiser, event, session, people = live
    record_attendance(session, people["ana"], status=AttendanceStatus.ABSENT,
                      mode=AttendanceMode.ONLINE, source=AttendanceSource.ROLL_CALL)
    db.session.commit()
    responses.get(f"{BBB}getMeetingInfo", body=meeting_info((people["ana"].id, "Ana", "VIEWER")))
    login(organiser)
    assert _poll(client, session).status_code == 200
    row = _rows(session.id)[people["ana"].id]
    assert (row.status, row.source) == (AttendanceStatus.PRESENT,
                                        AttendanceSource.PROVIDER_IMPORT)
    assert _count(Attendance) == 1


@pytest.mark.parametrize("failure", ["http500", "timeout"])
@responses.activate
def test_provider_failure_shows_a_message_and_writes_nothing(client, login, live, failure):
    organiser, event, session, people = live
    if failure == "http500":
        responses.get(f"{BBB}getMeetingInfo", status=500, body="Internal Server Error")
        expected = "returned an error (HTTP 500)"
    else:
        responses.get(f"{BBB}getMeetingInfo", body=requests.Timeout("slow"))
        expected = "did not answer in time"
    login(organiser)
    audits = _count(AuditRecord)

    page = _poll(client, session)

    assert page.status_code == 502
    html = page.get_data(as_text=True)
    assert expected in html and 'role="alert"' in html
    assert "Import online attendance" in html  # the import page again, not an error crash
    assert _count(Attendance) == 0 and _count(AuditRecord) == audits


def test_poll_outside_the_session_is_refused(client, login, make_user, make_event, register):
    organiser, person = make_user(), make_user()
    event = make_event(organiser, video_provider=VideoProvider.BIGBLUEBUTTON,
                       video_meeting_id="elearn-2-abc", sessions=2)
    register(event, person)
    login(organiser)
    with responses.RequestsMock() as stub:  # refused before the provider is asked
        page = _poll(client, event.sessions[1])  # tomorrow's session
        assert not stub.calls
    assert page.status_code == 409
    assert "only be read while the session is on" in page.get_data(as_text=True)
    assert _count(Attendance) == 0


def test_no_live_list_without_bigbluebutton(client, login, make_user, make_event):
    organiser = make_user()
    event = make_event(organiser, video_provider=VideoProvider.JITSI)
    login(organiser)
    page = _poll(client, event.sessions[0])
    assert page.status_code == 409
    assert "does not report attendance" in page.get_data(as_text=True)


def test_only_organisers_may_poll(client, login, live):
    organiser, event, session, people = live
    login(people["ana"])
    assert _poll(client, session).status_code == 403
    assert _count(Attendance) == 0


def test_unknown_ids_never_fall_back_to_names(app, live):
    organiser, event, session, people = live
    result = imports.import_live_attendance(
        session, [{"user_id": None, "full_name": "Ana", "role": "VIEWER", "seen_at": None}],
        actor=organiser)
    assert result.present == 0 and [r.name for r in result.unmatched] == ["Ana"]
    assert _count(Attendance) == 0
