"""A person's certificates in their data download, and erasure (issue 11.6): revoked with the
reason "holder erased", nothing printed about them left in any certificate table, and the
public verification page says withdrawn, without the name."""

import json

import pytest
from sqlalchemy import select

from elearn.accounts.services import erase_user, erasure_hooks, export_data, export_providers
from elearn.certificates import privacy
from elearn.certificates.models import (
    HOLDER_ERASED,
    Certificate,
    CertificateKind,
    CertificateStatus,
)
from elearn.certificates.services import issue, reissue, revoke
from elearn.extensions import db

NAME, EMAIL = "Xiomara Quispe Huamán", "xiomara.quispe@example.org"
CERTIFICATE_TABLES = ("certificate", "certificate_issue_job", "certificate_template",
                      "certificate_signatory")


@pytest.fixture
def holder(world, make_user, register, attend):
    person = make_user(email=EMAIL, full_name=NAME)
    for event in (world.event_a, world.event_b):
        register(event, person)
        attend(person, event.sessions)
    first, _ = issue(CertificateKind.PARTICIPATION, world.event_a, person)
    second, _ = issue(CertificateKind.PARTICIPATION, world.event_b, person)
    db.session.commit()
    reissue(first, reason="typo")  # a superseded one and its replacement
    revoke(second, f"Duplicate for {NAME} <{EMAIL}>")  # staff wrote the name in the reason
    db.session.commit()
    return person


def test_the_hooks_are_registered_when_the_app_starts(app):
    assert privacy.export in export_providers and privacy.erase in erasure_hooks


def test_the_download_lists_the_persons_certificates(holder):
    data = export_data(holder)["certificates"]
    assert len(data) == 3
    assert {c["status"] for c in data} == {"valid", "revoked", "superseded"}
    first = data[0]
    assert first["kind"] == "participation" and first["subject"].startswith("event:")
    assert first["issued_at"] and "-" in first["verification_code"]
    json.dumps(data)  # it must be serialisable as it is


def _hits(needles: list[str]) -> list[str]:
    """Every (table.column) of the certificate tables whose value contains a needle, whatever
    its type: text, JSON or binary (PDFs included)."""
    found = []
    for table in CERTIFICATE_TABLES:
        for row in db.session.execute(db.text(f"SELECT * FROM {table}")).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                raw = value if isinstance(value, bytes) else json.dumps(
                    value, ensure_ascii=False, default=str).encode()
                for needle in needles:
                    for form in {needle, needle.lower()}:
                        if form.encode() in raw or form.encode("utf-16-be") in raw:
                            found.append(f"{table}.{column}")
    return found


def test_erasure_withdraws_the_certificates_and_leaves_no_name(client, holder):
    codes = list(db.session.scalars(select(Certificate.code).where(
        Certificate.holder_id == holder.id)))
    assert _hits([NAME, EMAIL])  # the search finds them before erasure
    erase_user(holder)
    db.session.commit()
    assert _hits([NAME, EMAIL, "Xiomara", "Quispe"]) == []
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.holder_id == holder.id)).all()
    assert len(certificates) == 3
    for certificate in certificates:
        assert certificate.status == CertificateStatus.REVOKED
        assert certificate.revoked_reason == HOLDER_ERASED and certificate.revoked_at
        assert certificate.pdf == b"" and certificate.printed == {}
    for code in codes:
        page = client.get(f"/verify/{code}").get_data(as_text=True)
        assert "WITHDRAWN" in page and "Xiomara" not in page
        assert "VALID" not in page
        data = client.get(f"/verify/{code}.json").get_json()
        assert data["withdrawn"] is True and "holder_name" not in data
        assert "Xiomara" not in json.dumps(data)


def test_a_withdrawn_certificate_cannot_be_downloaded_even_by_staff(client, login, world,
                                                                   holder):
    erase_user(holder)
    db.session.commit()
    code = db.session.scalars(select(Certificate.code).where(
        Certificate.holder_id == holder.id)).first()
    login(world.people["admin"])
    assert client.get(f"/certificates/{code}.pdf").status_code == 410
