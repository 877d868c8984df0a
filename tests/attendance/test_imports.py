import io

from sqlalchemy import func, select

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.audit.models import AuditRecord
from elearn.events.models import AttendanceMode, RegistrationStatus
from elearn.extensions import db


def _rows(session_id):
    return {a.user_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session_id))}


def _upload(client, session, content: bytes, min_share="50"):
    return client.post(f"/attendance/session/{session.id}/import",
                       data={"report": (io.BytesIO(content), "report.csv"),
                             "min_share": min_share},
                       content_type="multipart/form-data")


def _setup(make_user, make_event, register):
    organiser = make_user()
    event = make_event(organiser, minutes=120)
    people = {
        "ana": make_user(email="Ana@Example.org", full_name="Ana"),
        "jose": make_user(email="jose@example.org", full_name="José"),
        "li": make_user(email="li@example.org", full_name="Li"),
    }
    for person in people.values():
        register(event, person, mode=AttendanceMode.ONLINE)
    return organiser, event, event.sessions[0], people


def test_csv_import_latin1_duplicates_and_unknown_emails(client, login, make_user, make_event,
                                                         register):
    organiser, event, session, people = _setup(make_user, make_event, register)
    report = ("Name;E-mail;Duration (minutes)\n"
              "Ana;ANA@example.org;40\n"
              "Ana;ana@example.org;30\n"       # rejoined: 70 of 120 minutes
              "José Núñez;jose@example.org;20\n"
              "Zoë Unknown;zoe@example.org;90\n").encode("latin-1")
    login(organiser)
    r = _upload(client, session, report)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    rows = _rows(session.id)
    assert rows[people["ana"].id].status == AttendanceStatus.PRESENT
    assert rows[people["ana"].id].minutes_online == 70
    assert rows[people["ana"].id].source == AttendanceSource.CSV_IMPORT
    assert rows[people["jose"].id].status == AttendanceStatus.ABSENT
    assert rows[people["jose"].id].minutes_online == 20
    assert people["li"].id not in rows
    # Unmatched rows are listed for the organiser, with the accented name read correctly.
    assert "Zoë Unknown" in html and "zoe@example.org" in html
    assert "Repeated rows merged: 1" in html


def test_utf8_bom_and_configurable_share(client, login, make_user, make_event, register):
    organiser, event, session, people = _setup(make_user, make_event, register)
    report = "\ufeffNAME,EMAIL,MINUTES\nLi,li@example.org,30\n".encode()
    login(organiser)
    assert _upload(client, session, report, min_share="25").status_code == 200
    assert _rows(session.id)[people["li"].id].status == AttendanceStatus.PRESENT


def test_import_never_downgrades_someone_checked_in(app, make_user, make_event, register):
    from elearn.attendance.imports import import_attendance, parse_report
    from elearn.attendance.services import record_attendance

    organiser, event, session, people = _setup(make_user, make_event, register)
    record_attendance(session, people["ana"], status=AttendanceStatus.PRESENT,
                      mode=AttendanceMode.IN_PERSON, source=AttendanceSource.QR_CHECK_IN)
    result = import_attendance(session, parse_report(b"email,minutes\nana@example.org,5\n"),
                               actor=organiser)
    row = _rows(session.id)[people["ana"].id]
    assert result.kept == 1
    assert row.status == AttendanceStatus.PRESENT and row.minutes_online == 5


def test_wrong_columns_name_what_is_missing(client, login, make_user, make_event, register):
    organiser, event, session, people = _setup(make_user, make_event, register)
    login(organiser)
    r = _upload(client, session, b"Participant,Time\nAna,40\n")
    assert r.status_code == 400
    assert "no email, minutes column" in r.get_data(as_text=True)
    assert not _rows(session.id)


def test_bad_line_writes_nothing(client, login, make_user, make_event, register):
    organiser, event, session, people = _setup(make_user, make_event, register)
    login(organiser)
    audits = db.session.scalar(select(func.count()).select_from(AuditRecord))
    r = _upload(client, session, b"name,email,minutes\nAna,ana@example.org,50\n"
                                 b"Li,li@example.org,lots\n")
    assert r.status_code == 400 and "Line 3" in r.get_data(as_text=True)
    assert not _rows(session.id)
    assert db.session.scalar(select(func.count()).select_from(AuditRecord)) == audits


def test_failure_midway_rolls_everything_back(app, client, login, make_user, make_event,
                                              register, monkeypatch):
    from elearn.attendance import imports

    organiser, event, session, people = _setup(make_user, make_event, register)
    original = imports.record_many

    def explode(*args, **kwargs):
        original(*args, **kwargs)
        raise imports.AttendanceError("provider hiccup", 400)

    monkeypatch.setattr(imports, "record_many", explode)
    login(organiser)
    r = _upload(client, session, b"name,email,minutes\nAna,ana@example.org,90\n")
    assert r.status_code == 400
    db.session.expire_all()
    assert not _rows(session.id)


def test_only_confirmed_registrations_match(app, make_user, make_event, register):
    from elearn.attendance.imports import import_attendance, parse_report

    organiser = make_user()
    event = make_event(organiser)
    cancelled = make_user(email="gone@example.org")
    register(event, cancelled, status=RegistrationStatus.CANCELLED)
    result = import_attendance(event.sessions[0],
                               parse_report(b"email,minutes\ngone@example.org,100\n"),
                               actor=organiser)
    assert [r.email for r in result.unmatched] == ["gone@example.org"]
    assert not _rows(event.sessions[0].id)


def test_import_form_default_share_comes_from_the_setting(app, client, login, make_user,
                                                          make_event, register):
    organiser, event, session, people = _setup(make_user, make_event, register)
    login(organiser)
    app.config["ATTENDANCE_MIN_SHARE"] = 0.75
    html = client.get(f"/attendance/session/{session.id}/import").get_data(as_text=True)
    assert 'name="min_share"' in html and 'value="75"' in html
    app.config["ATTENDANCE_MIN_SHARE"] = 0.3
    html = client.get(f"/attendance/session/{session.id}/import").get_data(as_text=True)
    assert 'value="30"' in html and 'value="50"' not in html
