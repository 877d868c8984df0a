"""Who may do what with certificates. Registered with accounts.permissions, asked through can().

Every right follows the subject the certificate or template is about: the organisers of an
event or hackathon, the instructors of an edition ("certify"); programme managers and admins
pass. A default template (no subject) prints on every activity's certificates, so only admins
(who pass every rule in can()) may change it.
"""

from elearn.accounts.permissions import can, is_admin, is_programme_manager, object_rule
from elearn.courses.models import Edition
from elearn.events.models import Event
from elearn.hackathons.models import Hackathon

from .kinds import get_kind
from .models import Certificate, CertificateKind, CertificateStatus, CertificateTemplate
from .subjects import SUBJECTS, load_subject


@object_rule("certify", Event, programme_manager=True)
def may_certify_event(user, event: Event) -> bool:
    return can(user, "manage", event)


@object_rule("certify", Edition, programme_manager=True)
def may_certify_edition(user, edition: Edition) -> bool:
    """The instructors named on this edition (a global role teaches nothing by itself)."""
    return any(i.user_id == user.id for i in edition.instructors)


@object_rule("certify", Hackathon, programme_manager=True)
def may_certify_hackathon(user, hackathon: Hackathon) -> bool:
    return can(user, "manage", hackathon)


def may_issue_for(user, subject) -> bool:
    """Issue, bulk issue, download the ZIP: whoever may certify the subject."""
    return subject is not None and can(user, "certify", subject)


def looks_after_any(user) -> bool:
    """Organises, teaches or manages at least one activity: may see the templates page."""
    if user is None or not user.is_authenticated:
        return False
    return is_programme_manager(user) or any(s.looked_after(user) for s in SUBJECTS.values())


def template_subject(kind: CertificateKind | str, subject_id: int | None):
    """The activity a template (or a template about to be saved) is tied to; None for a
    default template or an unknown id."""
    if subject_id is None:
        return None
    return load_subject(get_kind(kind).subject_type, subject_id)


def may_save_template(user, kind: CertificateKind | str, subject_id: int | None) -> bool:
    """May this person make a template of this kind for this subject (None: the default)?"""
    if subject_id is None:
        return is_admin(user)
    return may_issue_for(user, template_subject(kind, subject_id))


@object_rule("edit", CertificateTemplate)
def may_edit_template(user, template: CertificateTemplate) -> bool:
    return may_save_template(user, template.kind, template.subject_id)


@object_rule("view", CertificateTemplate)
def may_view_template(user, template: CertificateTemplate) -> bool:
    """Defaults are read by every staff member who certifies something (they print on their
    certificates); a subject's template only by those who may certify that subject."""
    if template.subject_id is None:
        return looks_after_any(user)
    return may_edit_template(user, template)


@object_rule("manage", Certificate, programme_manager=True)
def may_manage_certificate(user, certificate: Certificate) -> bool:
    """Revoke, reissue, see the revocation reason, download a revoked one."""
    return may_issue_for(user, load_subject(certificate.subject_type, certificate.subject_id))


@object_rule("view", Certificate)
def may_view_certificate(user, certificate: Certificate) -> bool:
    return certificate.holder_id == user.id or can(user, "manage", certificate)


@object_rule("download", Certificate)
def may_download_certificate(user, certificate: Certificate) -> bool:
    """A revoked certificate is no longer the holder's to show; staff keep access to it."""
    if certificate.holder_id == user.id and certificate.status != CertificateStatus.REVOKED:
        return True
    return can(user, "manage", certificate)


def may_override(user) -> bool:
    """Issuing to someone the rule does not qualify is an admin decision."""
    return is_admin(user)


__all__ = ["can", "may_issue_for", "may_override", "may_save_template", "looks_after_any"]
