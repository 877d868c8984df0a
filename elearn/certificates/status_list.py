"""Revocation of signed badges: a W3C Bitstring Status List (v1.0).

A signed badge cannot be unsigned: a holder who downloaded badge.jwt before the certificate was
revoked keeps a valid signature. So each credential names its bit in one status list
(`credentialStatus`, a BitstringStatusListEntry whose index is the certificate's id), and the
list, signed with the same keys, says which credentials were revoked. A reissued certificate's
old credential is revoked too: the new one carries the current facts.
"""

import base64
import gzip
from datetime import UTC, datetime

from sqlalchemy import select

from elearn.base_url import base_url
from elearn.extensions import db

from . import credential_keys
from .models import Certificate, CertificateStatus

MIN_BITS = 131072  # 16 KiB, the spec's minimum, so one list hides who among many was revoked
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
_SECONDS = "%Y-%m-%dT%H:%M:%SZ"


def list_url() -> str:
    return f"{base_url()}/certificates/status/revocation"


def entry(certificate: Certificate) -> dict:
    """The credential's `credentialStatus`."""
    return {
        "id": f"{list_url()}#{certificate.id}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.id),
        "statusListCredential": list_url(),
    }


def revoked_indexes() -> list[int]:
    return list(db.session.scalars(select(Certificate.id).where(Certificate.status.in_(
        [CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED]))))


def encoded_list(indexes: list[int]) -> str:
    """Multibase base64url (no padding) of the GZIP of the bitstring; index 0 is the
    left-most bit of the first byte."""
    size = max(MIN_BITS, ((max(indexes, default=0) // 8) + 1) * 8)
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def status_list_credential(issuer_id: str) -> dict:
    url = list_url()
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": datetime.now(UTC).strftime(_SECONDS),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_indexes()),
        },
    }


def signed_status_list(issuer_id: str) -> str:
    credential = status_list_credential(issuer_id)
    valid_from = datetime.strptime(credential["validFrom"], _SECONDS).replace(tzinfo=UTC)
    return credential_keys.sign({
        **credential, "iss": issuer_id, "jti": credential["id"],
        "nbf": int(valid_from.timestamp()), "sub": credential["credentialSubject"]["id"],
    })
