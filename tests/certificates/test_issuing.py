"""Issuing: snapshot, PDF (embedded font, name and code readable, QR with the URL), idempotence,
refusal with the reason, admin override, audit and the holder's email."""

import hashlib
import io
import shutil
import subprocess

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.certificates import codes
from elearn.certificates.errors import NotAllowed, NotQualified, TemplateProblem
from elearn.certificates.models import Certificate, CertificateKind
from elearn.certificates.services import issue
from elearn.extensions import db
from elearn.mail.services import deliver_committed

NAME = "María José Núñez Çelik"


@pytest.fixture
def qualified(make_user, make_event, register, attend, make_template):
    event = make_event(sessions=4)
    person = make_user(email="maria@example.org", full_name=NAME, preferred_language="es")
    register(event, person)
    attend(person, event.sessions)
    template = make_template(signatories=2)
    return event, person, template


def test_issue_snapshots_and_renders_the_pdf_once(qualified, pdf_text, mailbox):
    event, person, _template = qualified
    certificate, created = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    deliver_committed()
    assert created
    assert certificate.holder_name == NAME
    assert certificate.subject_title == "Taller regional de políticas PYME"
    assert certificate.hours == 12  # four 3-hour sessions
    assert certificate.language == "es"
    assert certificate.pdf_sha256 == hashlib.sha256(certificate.pdf).hexdigest()
    text = pdf_text(certificate.pdf)
    assert NAME in text
    assert codes.display(certificate.code) in text
    assert "Certificado de participación" in text
    assert "12 horas de formación" in text
    assert "del 2 de marzo de 2026 al 5 de marzo de 2026" in text
    assert "Clarissa Bórquez" in text and "Jean-Baptiste Désir" in text
    assert b"/FontFile2" in certificate.pdf  # the TrueType font is embedded
    message = mailbox.last("maria@example.org")
    body = mailbox.text_of(message)
    assert f"/certificates/{certificate.code}.pdf" in body
    assert codes.display(certificate.code) in body
    audit = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "certificate.issued"))
    assert audit.after["code"] == certificate.code


def test_later_profile_changes_do_not_alter_an_issued_certificate(qualified):
    event, person, _template = qualified
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    pdf_before = certificate.pdf
    person.full_name = "Someone Else"
    event.title = {"en": "Renamed", "es": "Renamed"}
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Certificate, certificate.id)
    assert again.holder_name == NAME and again.subject_title != "Renamed"
    assert again.pdf == pdf_before


def test_issuing_twice_returns_the_existing_certificate(qualified, mailbox):
    event, person, _template = qualified
    first, created = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    second, created_again = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    deliver_committed()
    assert created and not created_again and first.id == second.id
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    assert len(mailbox.to("maria@example.org")) == 1


def test_the_database_refuses_a_second_current_certificate(qualified):
    from sqlalchemy.exc import IntegrityError

    event, person, template = qualified
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    clone = Certificate(**{c.key: getattr(certificate, c.key) for c in Certificate.__table__.c
                           if c.key not in ("id", "code")}, code=codes.new_code())
    db.session.add(clone)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_someone_who_does_not_qualify_is_refused_with_the_reason(
        make_user, make_event, register, attend, make_template):
    event = make_event(sessions=4)
    person = make_user(full_name="Pedro Pérez")
    register(event, person)
    attend(person, event.sessions[:1])
    make_template()
    with pytest.raises(NotQualified) as refused:
        issue(CertificateKind.PARTICIPATION, event, person)
    assert "1 of 4" in refused.value.message and "Pedro Pérez" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_admin_override_needs_an_admin_and_records_the_justification(
        make_user, make_event, register, make_template):
    event = make_event(sessions=2)
    person = make_user(full_name="Pedro Pérez")
    register(event, person)
    make_template()
    organiser = make_user(roles=["organiser"])
    with pytest.raises(NotAllowed):
        issue(CertificateKind.PARTICIPATION, event, person, actor=organiser,
              override_justification="was there")
    db.session.rollback()
    admin = make_user(roles=["admin"])
    certificate, created = issue(CertificateKind.PARTICIPATION, event, person, actor=admin,
                                 override_justification="Attended remotely; roll call missed.")
    db.session.commit()
    assert created
    assert certificate.override_justification == "Attended remotely; roll call missed."
    assert certificate.issued_by_id == admin.id
    audit = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "certificate.issued"))
    assert audit.actor_id == admin.id
    assert audit.after["override_justification"] == "Attended remotely; roll call missed."


def test_a_template_without_signatories_is_a_clear_error(qualified, make_template):
    event, person, _template = qualified
    make_template(subject_id=event.id, signatories=0)
    with pytest.raises(TemplateProblem) as problem:
        issue(CertificateKind.PARTICIPATION, event, person)
    assert "no signatory" in problem.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_no_template_is_a_clear_error(make_user, make_event, register, attend):
    event = make_event(sessions=1)
    person = make_user()
    register(event, person)
    attend(person, event.sessions)
    with pytest.raises(TemplateProblem) as problem:
        issue(CertificateKind.PARTICIPATION, event, person)
    assert "no certificate template" in problem.value.message


@pytest.mark.parametrize("language,heading,reason", [
    ("en", "Certificate of participation", "for participating in"),
    ("pt", "Certificado de participação", "por sua participação em"),
    ("fr", "Certificat de participation", "pour sa participation à"),
])
def test_the_certificate_is_in_the_holders_language(
        language, heading, reason, make_user, make_event, register, attend, make_template,
        pdf_text):
    event = make_event(sessions=1)
    person = make_user(full_name="Zoë Łukasiewicz-Øberg Дмитрий", preferred_language=language)
    register(event, person)
    attend(person, event.sessions)
    make_template()
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    text = pdf_text(certificate.pdf)
    assert heading in text and reason in text
    assert "Zoë Łukasiewicz-Øberg Дмитрий" in text


def test_per_template_heading_overrides_the_standard_one(qualified, make_template, pdf_text):
    event, person, _template = qualified
    make_template(subject_id=event.id, texts={"es": {"heading": "Constancia de asistencia"}})
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    assert "Constancia de asistencia" in pdf_text(certificate.pdf)
    assert certificate.printed["heading"] == "Constancia de asistencia"


def _decode_qr(pdf: bytes, tmp_path) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    image = Image.open(io.BytesIO((tmp_path / "page.png").read_bytes()))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_the_qr_code_holds_the_verification_url(qualified, tmp_path):
    event, person, _template = qualified
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    assert _decode_qr(certificate.pdf, tmp_path) == [
        f"http://localhost/verify/{certificate.code}"]


def test_a_race_between_two_issuers_returns_the_winners_certificate(qualified, monkeypatch):
    """Both checked "none yet"; the database's unique index stops the second insert, and the
    loser hands back the winner's certificate instead of failing."""
    from elearn.certificates.services import issuing

    event, person, _template = qualified
    winner, _ = issue(CertificateKind.PARTICIPATION, event, person, notify=False)
    db.session.commit()
    real = issuing.current_certificate
    calls = {"n": 0}

    def stale_then_real(*args):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(*args)

    monkeypatch.setattr(issuing, "current_certificate", stale_then_real)
    loser, created = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    assert not created and loser.id == winner.id
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
