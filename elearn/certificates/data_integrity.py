"""An embedded proof for the JSON form of a badge: a W3C Data Integrity proof with the
`eddsa-jcs-2022` cryptosuite (VC-DI-EDDSA), made with the same Ed25519 key as the VC-JWT.

The VC-JWT (badge.jwt) is the proof Open Badges verifiers are sure to read; this one lets the
JSON file stand on its own. Open Badges 3.0 (8.2) asks for an embedded proof to be made first,
so the JWT's payload carries it too.

JCS (RFC 8785) of this data is `json.dumps` with sorted keys and no spaces: every key is ASCII
and there are no floating-point numbers (refused below), where the two could differ.
"""

import hashlib
import json

from . import credential_keys


def _no_floats(value) -> None:
    if isinstance(value, float):
        raise ValueError("floating-point numbers would need RFC 8785 number formatting")
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list):
        for item in value:
            _no_floats(item)


def canonical(value) -> bytes:
    _no_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def verification_method(key: credential_keys.CredentialKey) -> str:
    return f"{credential_keys.did_web()}#{key.thumbprint}"


def add_proof(document: dict, created: str) -> dict:
    """The document with a DataIntegrityProof (eddsa-jcs-2022) by the newest key."""
    key = credential_keys.signing_key()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": created,
        "verificationMethod": verification_method(key),
        "proofPurpose": "assertionMethod",
    }
    config = {**options, "@context": document["@context"]}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    hash_data = hashlib.sha256(canonical(config)).digest() + \
        hashlib.sha256(canonical(unsecured)).digest()
    signature = key.private.private_key.sign(hash_data)
    proof_value = "z" + credential_keys.base58btc(signature)
    return {**unsecured, "proof": {**options, "proofValue": proof_value}}
