"""What the certificates domain holds about a person, for the accounts data download and
erasure.

Erasure revokes the person's certificates with the reason "holder erased" and removes from the
rows everything printed about them: the name, the printed lines, the PDF and its hash, staff
notes that may name them. Nothing is rendered again with the name; the public verification page
then says the certificate was withdrawn, without the name. The row itself stays (ids only) so
the code keeps answering and statistics keep their counts.
"""

from sqlalchemy import select

from elearn.accounts.services import erasure_hooks, export_providers
from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db

from .codes import display
from .models import HOLDER_ERASED, Certificate, CertificateStatus


def export(user) -> dict:
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.holder_id == user.id)
        .order_by(Certificate.issued_at)).all()
    return {"certificates": [
        {"kind": str(c.kind), "subject": f"{c.subject_type}:{c.subject_id}",
         "subject_title": c.subject_title, "issued_at": c.issued_at.isoformat(),
         "status": str(c.status), "verification_code": display(c.code),
         "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None}
        for c in certificates]}


def erase(user) -> None:
    for certificate in db.session.scalars(
            select(Certificate).where(Certificate.holder_id == user.id)):
        before = {"status": str(certificate.status)}
        if certificate.status != CertificateStatus.REVOKED:
            certificate.revoked_at = utcnow()
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_reason = HOLDER_ERASED
        certificate.holder_name = ""
        certificate.printed = {}
        certificate.details = None
        certificate.pdf = b""
        certificate.pdf_sha256 = ""
        certificate.signed = False
        certificate.override_justification = None
        record("certificate.revoked", certificate, before=before,
               after={"status": "revoked", "reason": HOLDER_ERASED})


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
