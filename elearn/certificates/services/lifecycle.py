"""After issue: finding a certificate by its code, revoking it, and reissuing a corrected one
that supersedes it."""

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db

from .. import codes
from ..errors import AlreadyRevoked, BadInput, CertificateError
from ..models import Certificate, CertificateStatus
from ..subjects import load_subject
from .issuing import after_issue, build
from .templates import design_for, template_for


def find_by_code(code: str) -> Certificate | None:
    """By canonical code (see codes.parse for what people type)."""
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def current_version(certificate: Certificate) -> Certificate:
    """Follow the chain of reissues to the certificate in force."""
    seen = {certificate.id}
    while certificate.superseded_by is not None and certificate.superseded_by.id not in seen:
        certificate = certificate.superseded_by
        seen.add(certificate.id)
    return certificate


def revoke(certificate: Certificate, reason: str, *, actor=None) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("Say why the certificate is revoked: the reason is kept for the "
                         "staff of the activity."))
    if certificate.status == CertificateStatus.REVOKED:
        raise AlreadyRevoked(_("This certificate was already revoked on %(date)s.",
                               date=format_date(certificate.revoked_at)))
    if certificate.status == CertificateStatus.SUPERSEDED:
        raise CertificateError(_("This certificate was replaced by a corrected one; revoke "
                                 "that one instead."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason[:2000]
    certificate.revoked_by_id = getattr(actor, "id", None)
    record("certificate.revoked", certificate, actor=actor,
           before={"status": "valid"}, after={"status": "revoked", "reason": reason})
    return certificate


def reissue(certificate: Certificate, *, actor=None, reason: str = "",
            notify: bool = True) -> Certificate:
    """A corrected certificate (today's profile name, the subject's current title, the current
    template) that supersedes this one. The rule is not asked again: a correction is about the
    printed facts, not about whether the person qualified. It keeps the certificate's
    language(s), chosen when it was issued."""
    if certificate.status == CertificateStatus.SUPERSEDED:
        raise CertificateError(_("This certificate was already replaced by a corrected one."))
    subject = load_subject(certificate.subject_type, certificate.subject_id)
    if subject is None:
        raise CertificateError(_("The activity of this certificate no longer exists."))
    template = template_for(certificate.kind, certificate.subject_id)
    design = design_for(template)
    replacement = build(certificate.kind, subject, certificate.holder, template, design,
                        dict(certificate.details or {}), actor=actor,
                        justification=certificate.override_justification,
                        language=certificate.language,
                        second_language=certificate.second_language)
    old_status = str(certificate.status)
    # The partial unique index allows one current certificate: retire the old one first.
    certificate.superseded_at = utcnow()
    certificate.status = CertificateStatus.SUPERSEDED
    db.session.flush()
    db.session.add(replacement)
    db.session.flush()
    certificate.superseded_by_id = replacement.id
    certificate.superseded_by = replacement
    record("certificate.superseded", certificate, actor=actor,
           before={"status": old_status},
           after={"status": "superseded", "by": replacement.code, "reason": reason or None})
    after_issue(replacement, actor=actor, notify=notify)
    return replacement


def public_view(certificate: Certificate) -> dict:
    """What anyone holding the code may see: the printed content and the status, nothing else
    about the person (no email, no profile). The reason of a revocation is for staff only; a
    certificate withdrawn because its holder was erased shows no name and no printed content."""
    current = current_version(certificate)
    revoked_at = certificate.revoked_at.isoformat() if certificate.revoked_at else None
    if certificate.withdrawn:
        return {"code": codes.display(certificate.code), "status": str(certificate.status),
                "withdrawn": True, "kind": str(certificate.kind),
                "issued_at": certificate.issued_at.isoformat(), "revoked_at": revoked_at}
    return {
        "code": codes.display(certificate.code),
        "status": str(certificate.status),
        "withdrawn": False,
        "kind": str(certificate.kind),
        "holder_name": certificate.holder_name,
        "organisation": certificate.organisation_name,
        "subject_title": certificate.subject_title,
        "starts_on": certificate.starts_on.isoformat() if certificate.starts_on else None,
        "ends_on": certificate.ends_on.isoformat() if certificate.ends_on else None,
        "hours": certificate.hours,
        "issued_at": certificate.issued_at.isoformat(),
        "language": certificate.language, "second_language": certificate.second_language,
        "printed": {k: v for k, v in certificate.printed.items()},
        "pdf_sha256": certificate.pdf_sha256,
        "signed": certificate.signed,
        "revoked_at": revoked_at,
        "superseded_by": codes.display(current.code) if current is not certificate else None,
    }
