"""What leaves the platform: Open Badges 3.0 credentials, the organisers' ZIP of PDFs, and the
check of an uploaded PDF against the stored one."""

import hashlib
import hmac
import re
import tempfile
import unicodedata
import uuid
import zipfile
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import undefer

from elearn.base_url import base_url
from elearn.extensions import db

from .. import achievements, codes, credential_keys, data_integrity, status_list
from ..achievements import OB_CONTEXT
from ..models import Certificate, CertificateKind, CertificateStatus

_NO_SECONDS_FRACTION = "%Y-%m-%dT%H:%M:%SZ"


def identity_salt(certificate: Certificate) -> str:
    """A salt per certificate, stable across downloads, that nobody can derive without the
    secret key (so the hash cannot be matched against a list of addresses)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"ob-salt:{certificate.code}".encode(), hashlib.sha256).hexdigest()[:32]


def hashed_email(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def subject_id(certificate: Certificate) -> str:
    """The credential subject's id (the JWT's `sub`, which Open Badges 3.0 requires): a UUID
    per certificate that no one can link to the person or to their other credentials; who the
    holder is, the hashed email says."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"ob-subject:{certificate.code}".encode(), hashlib.sha256).digest()
    return uuid.UUID(bytes=digest[:16], version=4).urn


def issuer_id() -> str:
    return f"{base_url()}/certificates/issuer"


def issuer_profile(name: str | None = None) -> dict:
    """The issuing organisation's Profile; its id answers this JSON."""
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": name or current_app.config.get("ORGANISATION_NAME", ""),
        "url": base_url() + "/",
    }


def open_badge(certificate: Certificate) -> dict:
    """The OpenBadgeCredential (Open Badges 3.0, W3C Verifiable Credential 2.0 shape) with an
    embedded Data Integrity proof; `open_badge_jwt` signs exactly this object again as a VC-JWT
    (8.2, JSON Web Token Proof Format), the proof every Open Badges verifier reads."""
    credential = _unsigned_badge(certificate)
    return data_integrity.add_proof(credential, created=credential["validFrom"])


def _unsigned_badge(certificate: Certificate) -> dict:
    base = base_url()
    salt = identity_salt(certificate)
    printed = certificate.printed or {}
    key = achievements.key_of(certificate)
    achievement = achievements.achievement(key, achievements.edition_for(certificate.language))
    subject = {
        "id": subject_id(certificate),
        "type": ["AchievementSubject"],
        "name": certificate.holder_name,
        "identifier": [{
            "type": "IdentityObject",
            "identityHash": hashed_email(certificate.holder.email, salt),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": salt,
        }],
        "achievement": achievement,
    }
    return {
        "@context": OB_CONTEXT,
        "id": f"{base}/verify/{certificate.code}.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{printed.get('heading', '')} — {certificate.subject_title}",
        "issuer": issuer_profile(certificate.organisation_name),
        # Whole seconds: the JWT's nbf must equal validFrom.
        "validFrom": certificate.issued_at.astimezone(UTC).strftime(_NO_SECONDS_FRACTION),
        "credentialSubject": subject,
        "credentialStatus": status_list.entry(certificate),
        "evidence": [{
            "id": f"{base}/verify/{certificate.code}",
            "type": ["Evidence"],
            "name": codes.display(certificate.code),
        }],
    }


def open_badge_jwt(certificate: Certificate) -> str:
    """The credential signed as a VC-JWT: the payload is the credential itself plus the
    registered claims Open Badges 3.0 (8.2.4) requires (iss, jti, nbf, sub)."""
    credential = open_badge(certificate)
    valid_from = datetime.strptime(credential["validFrom"], _NO_SECONDS_FRACTION)
    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(valid_from.replace(tzinfo=UTC).timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    return credential_keys.sign(claims)


def matches_pdf(certificate: Certificate, data: bytes) -> bool:
    return hmac.compare_digest(hashlib.sha256(data).hexdigest(), certificate.pdf_sha256)


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:60] or "certificate"


def zip_of(subject_type, subject_id: int, kind: CertificateKind | None = None):
    """A temporary file with every valid current certificate of the subject, one PDF each;
    (file, count). Read in chunks so thousands of PDFs are not all held in memory."""
    query = (select(Certificate).options(undefer(Certificate.pdf))
             .where(Certificate.subject_type == subject_type,
                    Certificate.subject_id == subject_id,
                    Certificate.status == CertificateStatus.VALID)
             .order_by(Certificate.holder_name, Certificate.id)
             .execution_options(yield_per=100))
    if kind is not None:
        query = query.where(Certificate.kind == kind)
    handle = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    count = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
        for certificate in db.session.scalars(query):
            name = f"{certificate.kind}-{_slug(certificate.holder_name)}-{certificate.code}.pdf"
            archive.writestr(name, certificate.pdf)
            count += 1
    handle.seek(0)
    return handle, count
