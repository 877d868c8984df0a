from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.audit.models import AuditRecord
from elearn.events.models import RegistrationStatus
from elearn.extensions import db


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_ticket_shows_name_event_and_qr_but_never_gender(client, login, make_user, make_event,
                                                         register):
    person = make_user(full_name="Ana Pérez", gender="woman")
    event = make_event()
    reg = register(event, person)
    login(person)
    page = client.get(f"/attendance/ticket/{reg.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ana Pérez" in html and "Gender and SME policy workshop" in html
    assert 'src="data:image/svg+xml' in html
    assert "woman" not in html.lower() and "gender" not in html.lower().replace(
        "gender and sme", "")
    pdf = client.get(f"/attendance/ticket/{reg.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    from elearn.attendance.checkin import display_door_code, door_code

    code = display_door_code(door_code(reg))
    assert "Ana" in text and code in text  # the code read out at the door, printed
    assert code in html


def test_ticket_only_for_the_person_or_organisers(client, login, make_user, make_event, register):
    organiser, person, other = make_user(), make_user(), make_user()
    event = make_event(organiser)
    reg = register(event, person)
    login(other)
    assert client.get(f"/attendance/ticket/{reg.id}").status_code == 403
    login(organiser)
    assert client.get(f"/attendance/ticket/{reg.id}").status_code == 200


def test_no_ticket_for_a_waitlisted_registration(client, login, make_user, make_event, register):
    person = make_user()
    reg = register(make_event(), person, status=RegistrationStatus.WAITLISTED)
    login(person)
    assert client.get(f"/attendance/ticket/{reg.id}").status_code == 409


def test_scan_then_confirm_records_present_once(client, login, make_user, make_event, register):
    organiser, person = make_user(), make_user(full_name="Luis Gómez")
    event = make_event(organiser)
    session = event.sessions[0]
    reg = register(event, person)
    login(organiser)
    # The QR holds the ticket URL; pasting it works as well as the bare token.
    found = client.post(f"/attendance/session/{session.id}/check-in",
                        data={"code": f"http://localhost/attendance/t/{reg.ticket_token}"})
    assert found.status_code == 200
    assert "Luis Gómez" in found.get_data(as_text=True)
    assert _count(Attendance) == 0  # looking up writes nothing
    done = client.post(f"/attendance/session/{session.id}/check-in/confirm",
                       data={"code": reg.ticket_token})
    assert done.status_code == 302
    row = db.session.scalar(select(Attendance))
    assert row.status == AttendanceStatus.PRESENT and row.source == AttendanceSource.QR_CHECK_IN
    assert row.recorded_by_id == organiser.id
    audits = _count(AuditRecord)

    again = client.post(f"/attendance/session/{session.id}/check-in/confirm",
                        data={"code": reg.ticket_token})
    assert again.status_code == 409
    assert "already checked in at" in again.get_data(as_text=True)
    assert _count(Attendance) == 1 and _count(AuditRecord) == audits
    lookup = client.post(f"/attendance/session/{session.id}/check-in",
                         data={"code": reg.ticket_token})
    assert "Already checked in at" in lookup.get_data(as_text=True)
    assert "Confirm check-in" not in lookup.get_data(as_text=True)


def test_late_after_the_grace_period(app, make_user, make_event, register):
    from elearn.attendance.checkin import check_in

    organiser, person = make_user(), make_user()
    event = make_event(organiser, starts_at=datetime.now(UTC) - timedelta(minutes=40))
    reg = register(event, person)
    scan = check_in(event.sessions[0], reg.ticket_token, actor=organiser)
    assert scan.attendance.status == AttendanceStatus.LATE


def test_bad_scans_get_clear_4xx_and_write_nothing(client, login, make_user, make_event,
                                                   register):
    organiser, person, other_person = make_user(), make_user(), make_user()
    event = make_event(organiser)
    other_event = make_event(organiser, title_en="Another seminar")
    session = event.sessions[0]
    foreign = register(other_event, person)
    cancelled = register(event, other_person, status=RegistrationStatus.CANCELLED)
    login(organiser)
    url = f"/attendance/session/{session.id}/check-in/confirm"
    r = client.post(url, data={"code": foreign.ticket_token})
    assert r.status_code == 409 and "another event: Another seminar" in r.get_data(as_text=True)
    r = client.post(url, data={"code": cancelled.ticket_token})
    assert r.status_code == 409 and "cancelled" in r.get_data(as_text=True)
    r = client.post(url, data={"code": "not-a-real-token"})
    assert r.status_code == 404 and "No ticket has this code" in r.get_data(as_text=True)
    r = client.post(url, data={"code": ""})
    assert r.status_code == 400
    assert _count(Attendance) == 0


def test_check_in_is_for_organisers_only(client, login, make_user, make_event, register):
    person = make_user()
    event = make_event(make_user())
    reg = register(event, person)
    login(person)
    r = client.post(f"/attendance/session/{event.sessions[0].id}/check-in/confirm",
                    data={"code": reg.ticket_token})
    assert r.status_code == 403
    assert client.get(f"/attendance/t/{reg.ticket_token}").status_code == 403


def test_qr_url_leads_organiser_to_check_in(client, login, make_user, make_event, register):
    organiser, person = make_user(), make_user()
    event = make_event(organiser)
    reg = register(event, person)
    login(organiser)
    r = client.get(f"/attendance/t/{reg.ticket_token}")
    assert r.status_code == 302
    assert f"/attendance/session/{event.sessions[0].id}/check-in" in r.headers["Location"]
    page = client.get(r.headers["Location"])
    assert page.status_code == 200 and "Confirm check-in" in page.get_data(as_text=True)
    assert "js/checkin.js" in page.get_data(as_text=True)


def test_scan_uses_the_ticket_token_index(app):
    from sqlalchemy import inspect

    indexes = inspect(db.engine).get_indexes("registration")
    uniques = inspect(db.engine).get_unique_constraints("registration")
    columns = [i["column_names"] for i in indexes if i.get("unique")] + \
        [u["column_names"] for u in uniques]
    assert ["ticket_token"] in columns


def test_ticket_pdf_prints_names_beyond_latin1(client, login, make_user, make_event, register):
    import io

    from pypdf import PdfReader

    event = make_event()
    for name in ("Łukasz Dąbrowski", "Дмитрий Иванов"):
        person = make_user(full_name=name)
        reg = register(event, person)
        login(person)
        pdf = client.get(f"/attendance/ticket/{reg.id}.pdf")
        assert pdf.status_code == 200
        reader = PdfReader(io.BytesIO(pdf.data))
        assert name in reader.pages[0].extract_text()
        fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
        assert any("DejaVuSans" in f for f in fonts)  # embedded, not the Latin-1 Helvetica
        client.post("/logout")
