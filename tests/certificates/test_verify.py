"""Public verification: the page and its JSON twin, typos and unknown codes, statuses, no
personal data beyond what is printed, noindex, PDF comparison and the rate limit."""

import io

import pytest

from elearn.certificates import codes
from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue, reissue, revoke
from elearn.extensions import db

NAME = "María José Núñez Çelik"


@pytest.fixture
def certificate(make_user, make_event, register, attend, make_template):
    event = make_event(sessions=2)
    person = make_user(email="maria@example.org", full_name=NAME)
    register(event, person)
    attend(person, event.sessions)
    make_template()
    found, _ = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    return found


def test_valid_certificate_page_shows_the_printed_content_and_no_email(client, certificate):
    response = client.get(f"/verify/{certificate.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "VALID" in page and NAME in page
    assert "Taller regional de políticas PYME" in page
    assert "Participation in an event" in page
    assert "maria@example.org" not in page
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in page


def test_the_form_normalises_what_people_type(client, certificate):
    typed = codes.display(certificate.code).lower().replace("-", " ")
    typed = typed.replace("0", "o").replace("1", "l")
    response = client.get("/verify", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.code}")
    # The dashed form in the address goes to the one canonical address.
    response = client.get(f"/verify/{codes.display(certificate.code)}")
    assert response.status_code == 301


def test_a_mistyped_code_says_so_with_help(client, certificate):
    code = certificate.code
    wrong = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    response = client.get(f"/verify/{wrong}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This code has a typo" in page and 'name="code"' in page
    assert client.get("/verify", query_string={"code": wrong}).status_code == 400


def test_a_well_formed_unknown_code_says_no_certificate(client, certificate):
    unknown = codes.new_code()
    response = client.get(f"/verify/{unknown}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "No certificate with this code" in page and codes.display(unknown) in page
    assert client.get(f"/verify/{unknown}.json").status_code == 404


def test_json_twin(client, certificate):
    response = client.get(f"/verify/{certificate.code}.json")
    data = response.get_json()
    assert response.status_code == 200
    assert data["status"] == "valid" and data["holder_name"] == NAME
    assert data["kind"] == "participation" and data["hours"] == 6
    assert data["starts_on"] == "2026-03-02"
    assert data["pdf_sha256"] == certificate.pdf_sha256
    assert "maria@example.org" not in response.get_data(as_text=True)
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert client.get("/verify/NOT-A-CODE.json").status_code == 400


def test_revoked_certificate_shows_the_date_not_the_reason(client, certificate, make_user):
    revoke(certificate, "Issued by mistake to the wrong person.", actor=make_user())
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "REVOKED" in page and "Revoked on" in page
    assert "Issued by mistake to the wrong person." not in page  # staff only (issue 11.10)
    data = client.get(f"/verify/{certificate.code}.json").get_json()
    assert data["status"] == "revoked" and data["revoked_at"]


def test_superseded_certificate_links_to_the_current_one(client, certificate):
    certificate.holder.full_name = "María José Núñez-Çelik"
    db.session.commit()
    current = reissue(certificate, reason="hyphen in the surname")
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "SUPERSEDED" in page and f"/verify/{current.code}" in page
    assert client.get(f"/verify/{certificate.code}.json").get_json()["superseded_by"] == \
        codes.display(current.code)
    new_page = client.get(f"/verify/{current.code}").get_data(as_text=True)
    assert "VALID" in new_page and "María José Núñez-Çelik" in new_page


def test_uploaded_pdf_is_compared_byte_for_byte(client, certificate):
    same = client.post(f"/verify/{certificate.code}", data={
        "pdf": (io.BytesIO(certificate.pdf), "mine.pdf")}, content_type="multipart/form-data")
    assert same.status_code == 200
    assert "byte-identical" in same.get_data(as_text=True)
    altered = certificate.pdf.replace(b"/Author", b"/Authos", 1)
    different = client.post(f"/verify/{certificate.code}", data={
        "pdf": (io.BytesIO(altered), "mine.pdf")}, content_type="multipart/form-data")
    assert "NOT identical" in different.get_data(as_text=True)
    missing = client.post(f"/verify/{certificate.code}", data={},
                          content_type="multipart/form-data")
    assert missing.status_code == 400


class TestRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "CERT_VERIFY_LIMIT": "5 per minute"}

    def test_lookups_are_limited_per_address_across_page_and_json(self, client, certificate):
        def get(path, address="10.1.1.1"):
            return client.get(path, environ_base={"REMOTE_ADDR": address})

        for _ in range(3):
            assert get(f"/verify/{codes.new_code()}").status_code == 404
        assert get(f"/verify/{certificate.code}.json").status_code == 200
        assert get(f"/verify/{certificate.code}").status_code == 200
        blocked = get(f"/verify/{certificate.code}.json")
        assert blocked.status_code == 429
        assert get(f"/verify/{certificate.code}", address="10.1.1.2").status_code == 200
