"""Organiser pages: the rule's verdict per person, issuing (one, override, bulk), job progress
and resuming a stalled job, revoke and reissue, and the ZIP of an activity's certificates. URLs
are listed in blueprint.py; every page asks can() on the activity (see rules.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.accounts.permissions import require
from elearn.downloads.views import prepared
from elearn.extensions import db

from . import downloads
from .errors import CertificateError
from .forms import (
    JOB_STATUS_LABELS,
    KIND_LABELS,
    LANGUAGE_NAMES,
    STATUS_LABELS,
    SUBJECT_LABELS,
    BulkForm,
    IssueForm,
    ReissueForm,
    ResumeForm,
    RevokeForm,
)
from .models import Certificate, CertificateKind, IssueJob
from .rules import may_issue_for, may_override
from .services import bulk as bulk_service
from .services import design_for, issue, reissue, revoke, template_for, verdicts
from .subjects import load_subject, subject_adapter
from .timing import refusal
from .view_helpers import (
    certificate_or_404,
    certified_subject_or_404,
    kind_for,
    subjects_looked_after,
)

PAGE_SIZE = 200


def _page_number() -> int:
    value = request.args.get("page", "1")
    return min(max(int(value), 1), 10_000) if value.isdecimal() and len(value) < 6 else 1


def _template_problem(kind, subject) -> str | None:
    try:
        design_for(template_for(kind.key, subject.id))
    except CertificateError as exc:
        return exc.message
    return None


def _manage_page(subject_type, subject, kind, kinds, status=200, issue_form=None, error=None):
    facts = subject_adapter(subject_type).facts(subject, str(get_locale()))
    template_problem = _template_problem(kind, subject)
    all_verdicts = verdicts(kind.key, subject)
    issued = db.session.scalars(
        select(Certificate).where(Certificate.subject_type == subject_type,
                                  Certificate.subject_id == subject.id,
                                  Certificate.kind == kind.key)
        .order_by(Certificate.holder_name, Certificate.issued_at)).all()
    current = {c.holder_id: c for c in issued if c.superseded_at is None}
    jobs = db.session.scalars(
        select(IssueJob).where(IssueJob.subject_type == subject_type,
                               IssueJob.subject_id == subject.id)
        .order_by(IssueJob.id.desc()).limit(5)).all()
    page = _page_number()
    window = slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    pages = max((max(len(all_verdicts), len(issued)) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    not_yet = refusal(subject_type, subject)
    # Too early, an administrator's written justification may issue to anyone (issuing.py).
    override_people = [v for v in all_verdicts if v.person.id not in current
                       and (not_yet or not v.qualifies)]
    return render_template(
        "certificates/manage.html", subject_type=subject_type, subject=subject, facts=facts,
        kind=kind, kinds=kinds, kind_labels=KIND_LABELS, verdicts=all_verdicts[window],
        qualifying=sum(1 for v in all_verdicts if v.qualifies), total=len(all_verdicts),
        override_people=override_people,
        issued=issued[window], current=current, jobs=jobs, page=page, pages=pages,
        can_override=may_override(current_user), not_yet=not_yet,
        status_labels=STATUS_LABELS, job_status_labels=JOB_STATUS_LABELS,
        issue_form=issue_form or IssueForm(formdata=None),
        bulk_form=BulkForm(formdata=None, data={"kind": kind.key.value}),
        error=error, template_problem=template_problem), status


@login_required
def choose_subject():
    """The activities whose certificates this person issues, each a link; with a type and
    number (the jump form on the templates page), straight to that activity."""
    if "subject_id" not in request.args:
        return render_template("certificates/choose.html", subject_labels=SUBJECT_LABELS,
                               groups=subjects_looked_after(current_user, str(get_locale())))
    subject_id = request.args.get("subject_id", "")
    if not subject_id.isdigit():
        abort(400)
    return redirect(url_for(".manage", subject_type=request.args.get("subject_type", "event"),
                            subject_id=int(subject_id)))


@login_required
def manage(subject_type: str, subject_id: int):
    kind_type, subject = certified_subject_or_404(subject_type, subject_id)
    kind, kinds = kind_for(kind_type, request.args.get("kind"))
    return _manage_page(kind_type, subject, kind, kinds)


@login_required
def issue_one(subject_type: str, subject_id: int):
    kind_type, subject = certified_subject_or_404(subject_type, subject_id)
    kind, kinds = kind_for(kind_type, request.args.get("kind"))
    form = IssueForm()
    person = None
    if form.validate_on_submit() and form.person_id.data.isdigit():
        person = db.session.get(User, int(form.person_id.data))
    if person is None:
        return _manage_page(kind_type, subject, kind, kinds, 400, form,
                            _("Choose a person to issue the certificate to."))
    try:
        certificate, created = issue(kind.key, subject, person, actor=current_user,
                                     override_justification=form.justification.data,
                                     language=form.language.data or None,
                                     second_language=form.second_language.data or None)
    except CertificateError as exc:
        db.session.rollback()
        return _manage_page(kind_type, subject, kind, kinds, exc.status, form, exc.message)
    db.session.commit()
    flash(_("Certificate issued to %(name)s.", name=certificate.holder_name) if created
          else _("%(name)s already has this certificate.", name=certificate.holder_name),
          "success" if created else "info")
    return redirect(url_for(".manage", subject_type=kind_type.value, subject_id=subject.id,
                            kind=kind.key.value))


@login_required
def issue_bulk(subject_type: str, subject_id: int):
    """First a confirmation saying how many people get one and who is skipped and why; the
    job starts only when that page is confirmed."""
    kind_type, subject = certified_subject_or_404(subject_type, subject_id)
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400)
    kind, kinds = kind_for(kind_type, form.kind.data)
    back = url_for(".manage", subject_type=kind_type.value, subject_id=subject.id,
                   kind=kind.key.value)
    refusals = [m for m in (refusal(kind_type, subject), _template_problem(kind, subject)) if m]
    if request.form.get("confirmed") != "1" or refusals:
        facts = subject_adapter(kind_type).facts(subject, str(get_locale()))
        return render_template(
            "core/confirm.html",
            title=_("Issue certificates for %(title)s?", title=facts.title),
            consequences=bulk_consequences(kind, subject) + [language_consequence(form)],
            refusals=refusals,
            action=url_for(".issue_bulk", subject_type=kind_type.value,
                           subject_id=subject.id),
            hidden={"kind": kind.key.value, "language": form.language.data or "",
                    "second_language": form.second_language.data or ""},
            confirm_label=_("Issue the certificates"),
            cancel_url=back), 409 if refusals else 200
    try:
        job = bulk_service.start(kind.key, subject, actor=current_user,
                                 language=form.language.data or None,
                                 second_language=form.second_language.data or None)
    except CertificateError as exc:
        db.session.rollback()
        return _manage_page(kind_type, subject, kind, kinds, exc.status, error=exc.message)
    return redirect(url_for(".job", job_id=job.id))


def language_consequence(form) -> str:
    """The language(s) the certificates will be printed in, in words."""
    first = LANGUAGE_NAMES.get(form.language.data or "")
    second = LANGUAGE_NAMES.get(form.second_language.data or "")
    if second and form.second_language.data != form.language.data:
        if first:
            return _("Each certificate is printed in %(first)s, with %(second)s under it.",
                     first=first, second=second)
        return _("Each certificate is printed in its holder's preferred language, with "
                 "%(second)s under it.", second=second)
    if first:
        return _("Each certificate is printed in %(language)s.", language=first)
    return _("Each certificate is printed in its holder's preferred language.")


def bulk_consequences(kind, subject) -> list[str]:
    """What a bulk issue will do, counted as the job will count it (services/bulk.py)."""
    plan = bulk_service.plan(kind.key, subject)
    lines = [
        str(KIND_LABELS[kind.key]),
        ngettext("%(num)d person will receive a certificate and an email.",
                 "%(num)d people will receive a certificate and an email.", plan.new),
    ]
    if plan.already:
        lines.append(ngettext("%(num)d person already has one and keeps it.",
                              "%(num)d people already have one and keep it.", plan.already))
    if plan.no_name:
        lines.append(ngettext(
            "%(num)d person is skipped because their profile has no full name to print: %(names)s.",
            "%(num)d people are skipped because their profiles have no full name to print: "
            "%(names)s.", len(plan.no_name), names=", ".join(plan.no_name[:20])))
    if plan.not_qualifying:
        lines.append(ngettext(
            "%(num)d person does not qualify and gets none (the reason for each is on the "
            "certificates page).",
            "%(num)d people do not qualify and get none (the reason for each is on the "
            "certificates page).", plan.not_qualifying))
    return lines


@login_required
def job(job_id: int):
    found = _job_or_404(job_id)
    return render_template("certificates/job.html", job=found,
                           kind_label=KIND_LABELS[CertificateKind(found.kind)],
                           status_labels=JOB_STATUS_LABELS,
                           stalled=bulk_service.is_stalled(found),
                           may_resume=bulk_service.may_resume(found),
                           resume_form=ResumeForm(formdata=None))


def _job_or_404(job_id: int) -> IssueJob:
    found = db.session.get(IssueJob, job_id) or abort(404)
    if not may_issue_for(current_user, load_subject(found.subject_type, found.subject_id)):
        abort(403)
    return found


@login_required
def resume_job(job_id: int):
    """Start a stalled (or failed) bulk issue again where it stopped."""
    found = _job_or_404(job_id)
    if not ResumeForm().validate_on_submit():
        abort(400)
    if not bulk_service.resume(found, actor=current_user):
        flash(_("This job is still running or already finished: it cannot be resumed."),
              "error")
        return render_template("certificates/job.html", job=found,
                               kind_label=KIND_LABELS[CertificateKind(found.kind)],
                               status_labels=JOB_STATUS_LABELS, stalled=False, may_resume=False,
                               resume_form=ResumeForm(formdata=None)), 409
    flash(_("Job resumed: people who already received their certificate are not issued a "
            "second one."), "success")
    return redirect(url_for(".job", job_id=found.id))


@login_required
def download_zip(subject_type: str, subject_id: int):
    """Prepared by a job (elearn.downloads): thousands of PDFs take a while to gather."""
    kind_type, subject = certified_subject_or_404(subject_type, subject_id)
    return prepared(downloads.KIND,
                    downloads.parameters(kind_type, subject.id, request.args.get("kind")),
                    downloads.filename(kind_type, subject.id))


def _managed(code: str) -> Certificate:
    certificate = certificate_or_404(code)
    require("manage", certificate)
    return certificate


def _back(certificate: Certificate):
    return redirect(url_for(".manage", subject_type=certificate.subject_type.value,
                            subject_id=certificate.subject_id, kind=certificate.kind.value))


def _refuse(certificate: Certificate, message: str, status: int):
    return render_template("certificates/refused.html", certificate=certificate,
                           message=message), status


@login_required
def manage_certificate(code: str):
    certificate = _managed(code)
    return render_template("certificates/manage_certificate.html", certificate=certificate,
                           kind_label=KIND_LABELS[certificate.kind],
                           status_label=STATUS_LABELS[certificate.status],
                           revoke_form=RevokeForm(formdata=None),
                           reissue_form=ReissueForm(formdata=None))


@login_required
def revoke_certificate(code: str):
    certificate = _managed(code)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _refuse(certificate, _("Say why the certificate is revoked."), 400)
    if request.form.get("confirmed") != "1":
        return _confirm_revoke(certificate, form.reason.data)
    try:
        revoke(certificate, form.reason.data, actor=current_user)
    except CertificateError as exc:
        db.session.rollback()
        return _refuse(certificate, exc.message, exc.status)
    db.session.commit()
    flash(_("Certificate %(code)s revoked.", code=certificate.display_code), "success")
    return _back(certificate)


def _confirm_revoke(certificate: Certificate, reason: str):
    """Revoking cannot be undone: say whose certificate it is and what verifiers will see."""
    lines = [
        _("The certificate of %(name)s for “%(title)s” (%(kind)s) will be revoked.",
          name=certificate.holder_name, title=certificate.subject_title,
          kind=KIND_LABELS[certificate.kind]),
        _("From now on, anyone who verifies the code %(code)s will see that it was revoked, "
          "and when.", code=certificate.display_code),
        _("%(name)s will no longer be able to download it.", name=certificate.holder_name),
        _("Reason, shown to the activity's staff only: %(reason)s", reason=reason.strip()),
    ]
    return render_template(
        "core/confirm.html",
        title=_("Revoke the certificate of %(name)s?", name=certificate.holder_name),
        consequences=lines, hidden={"reason": reason},
        action=url_for(".revoke_certificate", code=certificate.code),
        confirm_label=_("Revoke the certificate"),
        cancel_url=url_for(".manage_certificate", code=certificate.code))


@login_required
def reissue_certificate(code: str):
    certificate = _managed(code)
    form = ReissueForm()
    if not form.validate_on_submit():
        return _refuse(certificate, _("The form could not be read."), 400)
    try:
        replacement = reissue(certificate, actor=current_user, reason=form.reason.data or "")
    except CertificateError as exc:
        db.session.rollback()
        return _refuse(certificate, exc.message, exc.status)
    db.session.commit()
    flash(_("Corrected certificate %(code)s issued; %(old)s now shows as superseded.",
            code=replacement.display_code, old=certificate.display_code), "success")
    return _back(certificate)
