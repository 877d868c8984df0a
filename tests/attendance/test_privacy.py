"""The data download lists a person's attendance and tickets; after erasure no column of the
events or attendance tables holds their name or email (imports included), their attendance
statuses still count, and their old ticket no longer checks anyone in."""

import io
from datetime import timedelta

import time_machine
from sqlalchemy import select

from elearn.accounts.services import erase_user, export_data
from elearn.attendance import checkin
from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.events.models import AttendanceMode
from elearn.extensions import db

NAME, EMAIL = "Rosa Quispe Mamani", "rosa.quispe@produccion.example"
TABLES = ("event", "event_session", "event_organiser", "registration", "join_click",
          "calendar_feed", "attendance", "attendance_session_code")


def test_export_erase_and_search_every_column(client, login, make_user, make_event, register):
    organiser = make_user(roles=["organiser"])
    rosa = make_user(email=EMAIL, full_name=NAME)
    event = make_event(organiser, title_en="Hybrid meeting on migration data", sessions=2)
    first, second = event.sessions
    reg = register(event, rosa, mode=AttendanceMode.ONLINE)
    login(organiser)
    # The provider's report carries the name and email as the provider shows them.
    report = f"Name,Email,Minutes\n{NAME},{EMAIL.upper()},110\n".encode()
    response = client.post(f"/attendance/session/{first.id}/import",
                           data={"report": (io.BytesIO(report), "r.csv"), "min_share": "50"},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    with time_machine.travel(second.starts_at + timedelta(minutes=20), tick=False):
        # Day 2's attendance is taken on day 2 (window.py).
        assert client.post(f"/attendance/session/{second.id}/code").status_code == 200
        client.post(f"/attendance/session/{second.id}/roll-call/{reg.id}",
                    data={"status": "late"})
    old_token = reg.ticket_token

    data = export_data(rosa)
    by_session = {a["session"]: a for a in data["attendance"]}
    assert by_session["Day 1"]["status"] == "present"
    assert by_session["Day 1"]["source"] == "csv_import"
    assert by_session["Day 1"]["minutes_online"] == 110
    assert by_session["Day 2"]["status"] == "late"
    assert data["event_tickets"] == [{"event": "Hybrid meeting on migration data",
                                      "ticket": checkin.ticket_url(reg)}]

    erase_user(rosa)
    db.session.commit()
    db.session.expire_all()
    for table in TABLES:
        for row in db.session.execute(db.metadata.tables[table].select()):
            text = " ".join(str(v) for v in row if v is not None).lower()
            assert NAME.lower() not in text and EMAIL not in text, (table, row)
    statuses = {a.session_id: (a.status, a.source) for a in db.session.scalars(
        select(Attendance).where(Attendance.user_id == rosa.id))}
    assert statuses == {first.id: (AttendanceStatus.PRESENT, AttendanceSource.CSV_IMPORT),
                        second.id: (AttendanceStatus.LATE, AttendanceSource.ROLL_CALL)}
    assert checkin.registration_for_token(old_token) is None
