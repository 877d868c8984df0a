"""A certificate's life in a real browser: the organiser issues it from the event's page of
certificates, the participant finds it under "My certificates", downloads the PDF and checks
it on the public verification page; the organiser revokes it and the same page says so."""

import io
import re
from datetime import UTC, datetime, timedelta

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
    Signatory,
)
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from tests.conftest import PASSWORD


def log_in(page, base, user):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 90), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(5, 85), (150, 5), (295, 45)], fill=(10, 20, 90, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def attended_workshop(organiser, participant) -> Event:
    """A completed two-session workshop the participant attended in full."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=7)
    event = Event(kind=EventKind.WORKSHOP, timezone="America/Caracas", mode=EventMode.HYBRID,
                  title_en="Regional SME policy workshop",
                  title_es="Taller regional de políticas PYME", venue_name="SELA",
                  status=EventStatus.COMPLETED, starts_at=start,
                  ends_at=start + timedelta(days=1, hours=3))
    for n in range(2):
        event.sessions.append(EventSession(title_en=f"Day {n + 1}",
                                           starts_at=start + timedelta(days=n),
                                           ends_at=start + timedelta(days=n, hours=3)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    db.session.add(Registration(event_id=event.id, user_id=participant.id,
                                mode=AttendanceMode.IN_PERSON,
                                status=RegistrationStatus.CONFIRMED))
    for session in event.sessions:
        db.session.add(Attendance(session_id=session.id, user_id=participant.id,
                                  status=AttendanceStatus.PRESENT,
                                  mode=AttendanceMode.IN_PERSON,
                                  source=AttendanceSource.ROLL_CALL))
    template = CertificateTemplate(
        kind=CertificateKind.PARTICIPATION, name="Participation",
        organisation_name="Sistema Económico Latinoamericano y del Caribe",
        min_attendance_percent=75)
    template.signatories.append(Signatory(position=0, name="Clarissa Bórquez",
                                          title="Secretaria Permanente",
                                          signature_png=signature_png()))
    db.session.add(template)
    db.session.commit()
    return event


def test_issue_download_verify_revoke(page, browser, live_server, app, make_user, mailbox):
    base = live_server.url
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos")
    ana = make_user(email="ana@mincomercio.example", full_name="Ana Pérez Núñez")
    event = attended_workshop(olga, ana)

    # The organiser reaches the certificates page from the event's dashboard and issues.
    log_in(page, base, olga)
    page.goto(f"{base}/organise/events/{event.id}")
    page.get_by_role("link", name="Certificates").click()
    page.wait_for_url(re.compile(rf"/certificates/manage/event/{event.id}"))
    row = page.locator("tr", has_text="Ana Pérez Núñez")
    row.get_by_role("button", name="Issue").click()
    page.wait_for_load_state()
    assert "Certificate issued to Ana Pérez Núñez" in page.locator("main").inner_text()
    with app.app_context():
        certificate = db.session.query(Certificate).one()
        code = certificate.code
        assert certificate.holder_id == ana.id
        assert certificate.status == CertificateStatus.VALID

    # The participant finds it, downloads the PDF and checks it.
    context = browser.new_context(locale="en-GB")
    mine = context.new_page()
    mine.set_default_timeout(10_000)
    log_in(mine, base, ana)
    mine.goto(base + "/certificates/mine")
    assert "Regional SME policy workshop" in mine.locator("main").inner_text()
    href = mine.get_by_role("link", name="PDF").get_attribute("href")
    response = context.request.get(base + href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF-")
    mine.get_by_role("link", name="Verification page").click()
    mine.wait_for_url(re.compile(r"/verify/"))
    assert "VALID" in mine.locator("main").inner_text()
    assert "Ana Pérez Núñez" in mine.locator("main").inner_text()

    # The organiser revokes it: the public page says so with the date, the reason stays with
    # the staff, and the holder can no longer download it (issue 11.10).
    page.goto(f"{base}/certificates/{code}/manage")
    page.get_by_label("Reason for revoking").fill("Issued to the wrong person.")
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    # Revoking cannot be undone: a confirmation says whose and what verifiers will see.
    assert "Revoke the certificate of Ana Pérez Núñez?" in page.locator("main").inner_text()
    page.get_by_role("button", name="Revoke the certificate").click()
    page.wait_for_load_state()
    with app.app_context():
        assert db.session.query(Certificate).one().status == CertificateStatus.REVOKED
    mine.reload()
    text = mine.locator("main").inner_text()
    assert "REVOKED" in text and "Revoked on" in text
    assert "Issued to the wrong person." not in text
    assert "VALID" not in text.replace("REVOKED", "")
    page.goto(f"{base}/verify/{code}")
    assert "Issued to the wrong person." in page.locator("main").inner_text()
    assert context.request.get(base + href).status == 403
    mine.goto(base + "/certificates/mine")
    listed = mine.locator("main").inner_text()
    assert "Revoked certificates" in listed and "Revoked on" in listed
    assert mine.get_by_role("link", name="PDF").count() == 0
    context.close()
