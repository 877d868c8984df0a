"""What leaves the platform: Open Badges 3.0 credentials, the organisers' ZIP of PDFs, and the
check of an uploaded PDF against the stored one."""

import hashlib
import hmac
import re
import tempfile
import unicodedata
import zipfile

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import undefer

from elearn.base_url import base_url
from elearn.extensions import db

from .. import codes
from ..models import Certificate, CertificateKind, CertificateStatus

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
_ACHIEVEMENT_TYPE = {
    CertificateKind.DIPLOMA: "Diploma",
    CertificateKind.HACKATHON_AWARD: "Award",
    CertificateKind.PARTICIPATION: "Certificate",
    CertificateKind.HACKATHON_PARTICIPATION: "Certificate",
    CertificateKind.SPEAKER: "Certificate",
    CertificateKind.INSTRUCTOR: "Certificate",
}


def identity_salt(certificate: Certificate) -> str:
    """A salt per certificate, stable across downloads, that nobody can derive without the
    secret key (so the hash cannot be matched against a list of addresses)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"ob-salt:{certificate.code}".encode(), hashlib.sha256).hexdigest()[:32]


def hashed_email(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def open_badge(certificate: Certificate) -> dict:
    """An OpenBadgeCredential (Open Badges 3.0, W3C Verifiable Credential shape), unsigned:
    its proof is the verification URL it points to."""
    base = base_url()
    salt = identity_salt(certificate)
    printed = certificate.printed or {}
    achievement_id = (f"{base}/certificates/achievements/{certificate.kind}/"
                      f"{certificate.subject_type}/{certificate.subject_id}")
    return {
        "@context": OB_CONTEXT,
        "id": f"{base}/verify/{certificate.code}.json",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{printed.get('heading', '')} — {certificate.subject_title}",
        "issuer": {
            "id": base + "/",
            "type": ["Profile"],
            "name": certificate.organisation_name,
            "url": base + "/",
        },
        "validFrom": certificate.issued_at.isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": hashed_email(certificate.holder.email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": _ACHIEVEMENT_TYPE[certificate.kind],
                "name": certificate.subject_title,
                "description": " ".join(filter(None, [
                    printed.get("reason"), certificate.subject_title, printed.get("dates"),
                ])),
                "criteria": {"narrative": printed.get("reason", "")},
            },
            **({"creditsEarned": certificate.hours} if certificate.hours else {}),
        },
        "evidence": [{
            "id": f"{base}/verify/{certificate.code}",
            "type": ["Evidence"],
            "name": codes.display(certificate.code),
        }],
    }


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
