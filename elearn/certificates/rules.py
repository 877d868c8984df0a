"""Who may do what with certificates. Registered with accounts.permissions, asked through can().

Issuing for a subject follows the subject's own rights: the organisers of an event or
hackathon ("manage"), the teaching staff of an edition ("teach"); admins pass in can().
"""

from elearn.accounts.models import Role
from elearn.accounts.permissions import can, has_role, object_rule

from .models import Certificate, CertificateTemplate
from .subjects import load_subject, subject_adapter


def may_issue_for(user, subject_type, subject) -> bool:
    if user is None or not user.is_authenticated or subject is None:
        return False
    return has_role(user, Role.ADMIN) or subject_adapter(subject_type).may_issue(user, subject)


@object_rule("manage", Certificate)
def may_manage_certificate(user, certificate: Certificate) -> bool:
    """Revoke, reissue, download: whoever may issue for its subject."""
    subject = load_subject(certificate.subject_type, certificate.subject_id)
    return may_issue_for(user, certificate.subject_type, subject)


@object_rule("view", Certificate)
def may_view_certificate(user, certificate: Certificate) -> bool:
    return certificate.holder_id == user.id or may_manage_certificate(user, certificate)


@object_rule("edit", CertificateTemplate)
def may_edit_template(user, template: CertificateTemplate) -> bool:
    return has_role(user, Role.ORGANISER)


def may_override(user) -> bool:
    """Issuing to someone the rule does not qualify is an admin decision."""
    return has_role(user, Role.ADMIN) and Role.ADMIN in user.role_set


__all__ = ["can", "may_issue_for", "may_override"]
