"""Optional PAdES signing with pyHanko, with a self-signed certificate made in the test."""

import datetime as dt
import io

import pytest

from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue
from elearn.extensions import db

pytest.importorskip("pyhanko")


def _self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SELA certificates"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SELA")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    key_path, cert_path = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path), cert


@pytest.fixture
def keys(tmp_path_factory):
    return _self_signed(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def app_config(app_config, keys):
    return {**app_config, "CERT_SIGNING_KEY": keys[0], "CERT_SIGNING_CERT": keys[1]}


def test_issued_pdf_carries_a_valid_pades_signature(keys, make_user, make_event, register,
                                                   attend, make_template, pdf_text):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    event = make_event(sessions=1)
    person = make_user(full_name="María José Núñez Çelik")
    register(event, person)
    attend(person, event.sessions)
    make_template()
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    assert certificate.signed
    reader = PdfFileReader(io.BytesIO(certificate.pdf))
    [signature] = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    status = validate_pdf_signature(signature, ValidationContext(
        trust_roots=[load_cert_from_pemder(keys[1])]))
    assert status.intact and status.valid and status.bottom_line
    assert "María José Núñez Çelik" in pdf_text(certificate.pdf)
