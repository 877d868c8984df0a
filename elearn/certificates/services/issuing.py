"""Issuing: the rule's verdict per person, then one certificate per (kind, subject, holder).

Issuing is idempotent: when the holder already has a current certificate of that kind for that
subject, it is returned as it is (the database's partial unique index settles races). The
snapshot and the PDF are made once, here; nothing later re-renders them.
"""

import hashlib

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.audit.services import record
from elearn.base_url import base_url
from elearn.extensions import db

from .. import codes, pdf, signing, texts
from ..errors import NotAllowed, NotQualified, NotYet
from ..kinds import get_kind
from ..kinds_base import Verdict
from ..models import Certificate, CertificateKind, CertificateTemplate
from ..rules import may_override
from ..subjects import subject_adapter
from ..timing import refusal
from .templates import design_for, printed_for, template_for


def verify_url(code: str) -> str:
    return f"{base_url()}/verify/{code}"


def verdicts(kind: CertificateKind | str, subject,
             template: CertificateTemplate | None = None) -> list[Verdict]:
    """Everyone the kind's rule considers for this subject, with whether they qualify and why."""
    kind_rule = get_kind(kind)
    if template is None:
        template = _template_or_none(kind_rule.key, subject.id)
    return kind_rule.evaluate(subject, template)


def _template_or_none(kind, subject_id):
    from ..errors import TemplateProblem

    try:
        return template_for(kind, subject_id)
    except TemplateProblem:
        return None


def current_certificate(kind, subject_type, subject_id: int, holder_id: int):
    return db.session.scalar(select(Certificate).where(
        Certificate.kind == kind, Certificate.subject_type == subject_type,
        Certificate.subject_id == subject_id, Certificate.holder_id == holder_id,
        Certificate.superseded_at.is_(None)))


def issue(kind: CertificateKind | str, subject, person, *, actor=None,
          template: CertificateTemplate | None = None, override_justification: str | None = None,
          notify: bool = True, language: str | None = None,
          second_language: str | None = None) -> tuple[Certificate, bool]:
    """(certificate, created). Refuses with NotQualified (the rule's reason) unless an admin
    gives a justification. `language`: the certificate's (default the holder's preferred
    one); `second_language`: printed under it, for a bilingual certificate. The caller
    commits."""
    kind_rule = get_kind(kind)
    existing = current_certificate(kind_rule.key, kind_rule.subject_type, subject.id, person.id)
    if existing is not None:
        return existing, False
    justification = (override_justification or "").strip() or None
    # Before the end only an administrator's written justification issues (kept on the
    # certificate and in the audit log), as closing early needs a reason elsewhere.
    too_early = refusal(kind_rule.subject_type, subject)
    early = bool(too_early) and justification is not None and may_override(actor)
    if too_early and not early:
        raise NotYet(too_early)
    template = template or template_for(kind_rule.key, subject.id)
    design = design_for(template)
    found = kind_rule.evaluate(subject, template, only=[person.id])
    verdict = found[0] if found else Verdict(person, False, kind_rule.not_considered_reason(), {})
    if not verdict.qualifies:
        if justification is None:
            raise NotQualified(_("%(name)s does not qualify: %(reason)s",
                                 name=person.display_name, reason=verdict.reason))
        if not may_override(actor):
            raise NotAllowed(_("Only an administrator may issue a certificate to someone who "
                               "does not qualify."))
    elif justification is not None and not may_override(actor):
        justification = None  # a justification is only recorded for an admin override
    certificate = build(kind_rule.key, subject, person, template, design, verdict.details,
                        actor=actor, justification=justification
                        if early or not verdict.qualifies else None,
                        language=language, second_language=second_language)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        # Someone else issued it between our check and insert: theirs is the certificate.
        existing = current_certificate(kind_rule.key, kind_rule.subject_type, subject.id,
                                       person.id)
        if existing is None:
            raise
        return existing, False
    after_issue(certificate, actor=actor, notify=notify)
    return certificate, True


def build(kind: CertificateKind, subject, person, template: CertificateTemplate,
          design: pdf.Design, details: dict, *, actor=None, justification=None,
          facts_cache: dict | None = None, language: str | None = None,
          second_language: str | None = None) -> Certificate:
    """A new certificate with its snapshot and PDF (not yet added to the session), in
    `language` (default: the holder's), with `second_language` under it when given."""
    kind_rule = get_kind(kind)
    holder_name = (person.full_name or "").strip()
    if not holder_name:
        raise NotQualified(_("%(email)s has no full name in the profile, so there is no name "
                             "to print.", email=person.email))
    language, second_language = texts.languages_for(person, language, second_language)
    cache = facts_cache if facts_cache is not None else {}
    for needed in filter(None, (language, second_language)):
        if needed not in cache:
            cache[needed] = subject_adapter(kind_rule.subject_type).facts(subject, needed)
    facts = cache[language]
    hours = template.hours_override if template.hours_override is not None else facts.hours
    if kind in (CertificateKind.HACKATHON_AWARD, CertificateKind.HACKATHON_PARTICIPATION):
        hours = template.hours_override

    def lines_in(lang: str) -> dict:
        return printed_for(template, kind, lang, holder_name=holder_name,
                           title=cache[lang].title, starts_on=facts.starts_on,
                           ends_on=facts.ends_on, hours=hours, details=details)

    lines = lines_in(language)
    if second_language:
        lines = texts.bilingual(lines, lines_in(second_language), second_language)
    code = codes.new_code()
    data = pdf.render(design, lines, code=codes.display(code), url=verify_url(code),
                      title=f"{lines['heading']} — {facts.title}", language=language)
    data, signed = signing.sign(data, lines["heading"])
    return Certificate(
        code=code, kind=kind, subject_type=kind_rule.subject_type, subject_id=subject.id,
        holder_id=person.id, holder=person, template_id=template.id, language=language,
        second_language=second_language,
        holder_name=holder_name, organisation_name=lines["organisation"],
        subject_title=facts.title, hours=hours, starts_on=facts.starts_on,
        ends_on=facts.ends_on, details=details or None, printed=lines, pdf=data,
        pdf_sha256=hashlib.sha256(data).hexdigest(), signed=signed,
        issued_by_id=getattr(actor, "id", None), override_justification=justification,
    )


def after_issue(certificate: Certificate, *, actor=None, notify: bool = True) -> None:
    """Audit and tell the holder: inside the caller's transaction, so both happen only if the
    certificate is committed."""
    record("certificate.issued", certificate, actor=actor, after={
        "code": certificate.code, "kind": str(certificate.kind),
        "subject": f"{certificate.subject_type}:{certificate.subject_id}",
        "holder_id": certificate.holder_id,  # ids only: the log outlives an erasure
        "override_justification": certificate.override_justification,
    })
    if notify:
        notify_holder(certificate)


def notify_holder(certificate: Certificate) -> None:
    from elearn.mail.services import send_template

    base = base_url()
    send_template(
        certificate.holder, "email/certificates/issued",
        lambda: _l("Your certificate: %(title)s", title=certificate.subject_title),
        certificate=certificate, verify_url=verify_url(certificate.code),
        mine_url=f"{base}/certificates/mine",
        pdf_url=f"{base}/certificates/{certificate.code}.pdf",
    )
