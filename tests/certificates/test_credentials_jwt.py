"""Open Badges 3.0 credentials signed as VC-JWT (Ed25519), checked the way an outside verifier
would: with PyJWT (not the library that signs), against the JWK set the app publishes."""

import base64
import gzip
import json
import os
import stat
from datetime import UTC, datetime

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from elearn.certificates import credential_keys
from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue, revoke
from elearn.extensions import db

REQUIRED = ["iss", "jti", "nbf", "sub"]


@pytest.fixture
def app_config(app_config, tmp_path):
    app_config.update(CREDENTIAL_KEYS_DIR=str(tmp_path / "keys"))
    return app_config


@pytest.fixture
def keys_cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["elearn", "credential-keys", *args])
        assert result.exit_code == 0, result.output
        return result.output

    return run


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


def _path(url: str) -> str:
    assert url.startswith("http://localhost/"), url
    return url[len("http://localhost"):]


def _jwt(client, login, certificate) -> str:
    login(certificate.holder)
    response = client.get(f"/certificates/{certificate.code}/badge.jwt")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/vc+jwt"
    return response.get_data(as_text=True)


def verify(client, token: str) -> dict:
    """What a verifier does: read the kid, fetch the published keys, check with PyJWT."""
    header = pyjwt.get_unverified_header(token)
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200 and jwks.headers["Access-Control-Allow-Origin"] == "*"
    key_set = pyjwt.PyJWKSet.from_dict(jwks.get_json())
    key = next(k for k in key_set.keys if k.key_id == header["kid"])
    return pyjwt.decode(token, key.key, algorithms=["EdDSA"],
                        options={"require": REQUIRED, "verify_aud": False})


def _segments(token):
    return token.split(".")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_cli_writes_a_private_key_file_only_its_owner_reads(app, keys_cli):
    output = keys_cli("generate")
    [key] = credential_keys.all_keys()
    assert key.thumbprint in output
    assert stat.S_IMODE(os.stat(key.path).st_mode) == 0o600
    with open(key.path, "rb") as handle:
        assert handle.read().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert "already" in keys_cli("generate", "--if-missing")
    assert len(credential_keys.all_keys()) == 1


def test_the_badge_verifies_with_an_independent_library(client, login, keys_cli, certificate):
    keys_cli("generate")
    token = _jwt(client, login, certificate)
    header = pyjwt.get_unverified_header(token)
    [key] = credential_keys.all_keys()
    assert header == {"alg": "EdDSA", "kid": key.kid, "typ": "JWT"}
    # The kid is a URL that answers the public JWK (Open Badges 3.0, 8.2.3).
    published = client.get(_path(header["kid"])).get_json()
    assert published["kid"] == header["kid"] and published["crv"] == "Ed25519"
    assert "d" not in published

    claims = verify(client, token)
    credential = client.get(f"/certificates/{certificate.code}/badge.json").get_json()
    assert {k: v for k, v in claims.items() if k not in REQUIRED} == credential
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"].lower()
    assert claims["sub"].startswith("urn:uuid:")
    assert datetime.fromtimestamp(claims["nbf"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ") == \
        credential["validFrom"]
    # The issuer's id resolves to its profile.
    profile = client.get(_path(claims["iss"])).get_json()
    assert profile["id"] == claims["iss"] and profile["type"] == ["Profile"]


def test_tampered_badges_are_rejected(client, login, keys_cli, certificate):
    keys_cli("generate")
    token = _jwt(client, login, certificate)
    head, body, signature = _segments(token)

    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["credentialSubject"]["name"] = "Somebody Else"
    forged_body = ".".join([head, _b64(json.dumps(claims).encode()), signature])
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify(client, forged_body)

    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify(client, ".".join([head, body, flipped]))

    # Signed by someone else's key, claiming the published kid.
    stranger = Ed25519PrivateKey.generate()
    original = verify(client, token)
    impostor = pyjwt.encode(original, stranger, algorithm="EdDSA",
                            headers={"kid": pyjwt.get_unverified_header(token)["kid"],
                                     "typ": "JWT"})
    with pytest.raises(pyjwt.InvalidSignatureError):
        verify(client, impostor)


def test_rotation_keeps_old_badges_verifiable(client, login, keys_cli, certificate):
    keys_cli("generate")
    old_token = _jwt(client, login, certificate)
    keys_cli("rotate")
    old_key, new_key = credential_keys.all_keys()
    new_token = client.get(f"/certificates/{certificate.code}/badge.jwt").get_data(as_text=True)
    assert pyjwt.get_unverified_header(old_token)["kid"] == old_key.kid
    assert pyjwt.get_unverified_header(new_token)["kid"] == new_key.kid != old_key.kid
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]]
    assert kids == [old_key.kid, new_key.kid]
    old_claims, new_claims = verify(client, old_token), verify(client, new_token)
    # The same credential; its embedded Data Integrity proof is made by the signing key too.
    assert old_claims.pop("proof")["verificationMethod"].endswith(old_key.thumbprint)
    assert new_claims.pop("proof")["verificationMethod"].endswith(new_key.thumbprint)
    assert old_claims == new_claims
    # The did:web document lists the same keys as the JWK set.
    did = client.get("/.well-known/did.json").get_json()
    assert did["id"] == "did:web:localhost"
    assert [m["id"] for m in did["verificationMethod"]] == did["assertionMethod"] == [
        f"did:web:localhost#{old_key.thumbprint}", f"did:web:localhost#{new_key.thumbprint}"]
    assert [m["publicKeyMultibase"] for m in did["verificationMethod"]] == [
        old_key.multibase, new_key.multibase]


def test_a_revoked_certificate_has_no_badge(client, login, keys_cli, certificate, make_user):
    keys_cli("generate")
    revoke(certificate, "Attendance was recorded by mistake.")
    db.session.commit()
    # The holder may no longer download it; the staff who may get 410: no signed claim.
    login(certificate.holder)
    assert client.get(f"/certificates/{certificate.code}/badge.jwt").status_code in (403, 410)
    admin = make_user(email="admin@example.org", roles=["admin"])
    login(admin)
    assert client.get(f"/certificates/{certificate.code}/badge.jwt").status_code == 410
    assert client.get(f"/certificates/{certificate.code}/badge.json").status_code == 410


def test_development_makes_its_first_key_with_a_warning(client, login, certificate, caplog):
    assert credential_keys.all_keys() == []
    token = _jwt(client, login, certificate)
    [key] = credential_keys.all_keys()
    assert pyjwt.get_unverified_header(token)["kid"] == key.kid
    assert "generating one for development" in caplog.text
    verify(client, token)


def test_production_refuses_to_sign_without_a_key(app, client, login, certificate, tmp_path):
    app.config["ENV_NAME"] = "production"
    problem = credential_keys.missing_key_problem(app.config)
    assert "credential-keys generate" in problem
    login(certificate.holder)
    response = client.get(f"/certificates/{certificate.code}/badge.jwt")
    assert response.status_code == 503
    assert client.get(f"/certificates/{certificate.code}/badge.json").status_code == 503
    assert client.get("/certificates/status/revocation").status_code == 503
    assert credential_keys.all_keys() == []
    credential_keys.generate()
    assert credential_keys.missing_key_problem(app.config) is None
    assert client.get(f"/certificates/{certificate.code}/badge.jwt").status_code == 200


def _revoked_in_list(client, claims) -> bool:
    """A verifier's status check: fetch the signed list the credential names, verify it with
    the published keys, read the credential's bit (W3C Bitstring Status List)."""
    status = claims["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    response = client.get(_path(status["statusListCredential"]))
    assert response.mimetype == "application/vc+jwt"
    status_list = verify(client, response.get_data(as_text=True))
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["iss"] == claims["iss"]
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase: base64url without padding
    raw = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    assert len(bits) >= 16384
    index = int(status["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_badge_downloaded_before_revocation_is_reported_revoked(client, login, keys_cli,
                                                                   certificate):
    keys_cli("generate")
    token = _jwt(client, login, certificate)
    claims = verify(client, token)
    assert not _revoked_in_list(client, claims)
    revoke(certificate, "Attendance was recorded by mistake.")
    db.session.commit()
    # The signature still holds (nothing can unsign it), but the status check now fails.
    assert verify(client, token) == claims
    assert _revoked_in_list(client, claims)


def test_my_certificates_offer_the_signed_badge(client, login, certificate):
    login(certificate.holder)
    page = client.get("/certificates/mine").get_data(as_text=True)
    assert f"/certificates/{certificate.code}/badge.jwt" in page
