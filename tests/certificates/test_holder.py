"""The holder's side: /certificates/mine, the PDF download and the Open Badges 3.0 credential."""

import hashlib

import pytest

from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue
from elearn.certificates.services.exports import identity_salt
from elearn.extensions import db


@pytest.fixture
def certificate(make_user, make_event, register, attend, make_template):
    event = make_event(sessions=2)
    person = make_user(email="Maria@Example.org", full_name="María José Núñez Çelik")
    register(event, person)
    attend(person, event.sessions)
    make_template()
    found, _ = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    return found


def test_mine_lists_my_certificates_with_downloads(client, login, certificate):
    login(certificate.holder)
    page = client.get("/certificates/mine").get_data(as_text=True)
    assert "Taller regional de políticas PYME" in page
    assert f"/certificates/{certificate.code}.pdf" in page
    assert f"/certificates/{certificate.code}/badge.json" in page
    response = client.get(f"/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == certificate.pdf


def test_others_cannot_download_my_certificate(client, login, make_user, certificate):
    login(make_user(email="nosy@example.org"))
    assert client.get(f"/certificates/{certificate.code}.pdf").status_code == 403
    assert client.get(f"/certificates/{certificate.code}/badge.json").status_code == 403
    assert "María" not in client.get("/certificates/mine").get_data(as_text=True)


def test_open_badge_is_a_verifiable_credential_with_a_hashed_email(client, login, certificate):
    login(certificate.holder)
    response = client.get(f"/certificates/{certificate.code}/badge.json")
    badge = response.get_json()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert badge["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "purl.imsglobal.org/spec/ob/v3p0" in badge["@context"][1]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["type"] == ["Profile"]
    assert badge["issuer"]["name"] == certificate.organisation_name
    subject = badge["credentialSubject"]
    assert subject["achievement"]["name"] == "Participation — Taller regional de políticas PYME"
    assert subject["achievement"]["type"] == ["Achievement"]
    identifier = subject["identifier"][0]
    salt = identity_salt(certificate)
    assert identifier["salt"] == salt and identifier["hashed"] is True
    assert identifier["identityHash"] == "sha256$" + hashlib.sha256(
        ("maria@example.org" + salt).encode()).hexdigest()
    assert "maria@example.org" not in response.get_data(as_text=True).lower()
    assert badge["validFrom"].endswith("Z")
