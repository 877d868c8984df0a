"""The JSON form of a badge carries its own proof: Data Integrity, eddsa-jcs-2022. Checked here
as a verifier would, with code of its own: RFC 8785 by the `rfc8785` package, the signature by
`cryptography`, the key resolved through the app's did:web document."""

import hashlib

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue
from elearn.extensions import db

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@pytest.fixture
def app_config(app_config, tmp_path):
    app_config.update(CREDENTIAL_KEYS_DIR=str(tmp_path / "keys"))
    return app_config


@pytest.fixture
def badge(client, login, make_user, make_event, register, attend, make_template):
    event = make_event(sessions=2)
    person = make_user(full_name="Zoë Ñúñez")
    register(event, person)
    attend(person, event.sessions)
    make_template()
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, person)
    db.session.commit()
    login(person)
    return client.get(f"/certificates/{certificate.code}/badge.json").get_json()


def from_base58(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + ALPHABET.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def resolve(client, verification_method: str) -> Ed25519PublicKey:
    did, _fragment = verification_method.split("#")
    assert did == "did:web:localhost"  # did:web:localhost -> /.well-known/did.json
    document = client.get("/.well-known/did.json").get_json()
    assert verification_method in document["assertionMethod"]
    method = next(m for m in document["verificationMethod"] if m["id"] == verification_method)
    assert method["type"] == "Multikey" and method["publicKeyMultibase"].startswith("z6Mk")
    raw = from_base58(method["publicKeyMultibase"][1:])
    assert raw[:2] == b"\xed\x01"
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def check(client, credential: dict, key: Ed25519PublicKey | None = None) -> None:
    proof = dict(credential["proof"])
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    proof_value = proof.pop("proofValue")
    assert proof_value.startswith("z")
    config = {**proof, "@context": credential["@context"]}
    document = {k: v for k, v in credential.items() if k != "proof"}
    hash_data = hashlib.sha256(rfc8785.dumps(config)).digest() + \
        hashlib.sha256(rfc8785.dumps(document)).digest()
    key = key or resolve(client, proof["verificationMethod"])
    key.verify(from_base58(proof_value[1:]), hash_data)  # raises InvalidSignature


def test_the_json_badge_verifies_on_its_own(client, badge):
    check(client, badge)
    assert badge["proof"]["created"] == badge["validFrom"]


def test_a_tampered_json_badge_fails(client, badge):
    renamed = {**badge, "name": "Diploma — something else"}
    with pytest.raises(InvalidSignature):
        check(client, renamed)
    subject = {**badge["credentialSubject"], "name": "Somebody Else"}
    with pytest.raises(InvalidSignature):
        check(client, {**badge, "credentialSubject": subject})
    value = badge["proof"]["proofValue"]
    forged = {**badge, "proof": {**badge["proof"],
                                 "proofValue": value[:-3] + ("2" if value[-3] != "2" else "3")
                                 + value[-2:]}}
    with pytest.raises((InvalidSignature, ValueError)):
        check(client, forged)
    with pytest.raises(InvalidSignature):
        check(client, badge, key=Ed25519PrivateKey.generate().public_key())


def test_did_web_follows_the_base_url(app):
    from elearn.certificates.credential_keys import did_web

    for base, did in [("https://sela.example", "did:web:sela.example"),
                      ("http://localhost:5000", "did:web:localhost%3A5000"),
                      ("https://sela.example/elearn/", "did:web:sela.example:elearn")]:
        app.config["BASE_URL"] = base.rstrip("/")
        assert did_web() == did
