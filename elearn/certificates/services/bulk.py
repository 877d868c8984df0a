"""Bulk issue for everyone who qualifies, as a job with a progress record (IssueJob) that the
page and the CLI read. Runs inline by default, on RQ when REDIS_URL is set."""

import logging
from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db

from ..errors import CertificateError
from ..kinds import get_kind
from ..models import Certificate, CertificateTemplate, IssueJob, JobStatus
from ..subjects import load_subject
from .issuing import after_issue, build
from .templates import design_for, template_for

log = logging.getLogger(__name__)
BATCH = 25  # certificates per commit: progress is visible and a failure loses little


def start(kind, subject, *, actor=None, template=None) -> IssueJob:
    """Create the progress record, commit it, and run (or queue) the job."""
    from elearn.jobs import enqueue

    kind_rule = get_kind(kind)
    job = IssueJob(kind=kind_rule.key, subject_type=kind_rule.subject_type,
                   subject_id=subject.id, template_id=getattr(template, "id", None),
                   created_by_id=getattr(actor, "id", None))
    db.session.add(job)
    record("certificate.bulk_started", job, actor=actor,
           after={"kind": str(kind_rule.key), "subject_id": subject.id})
    db.session.commit()
    enqueue("elearn.certificates.services.bulk.run", job.id)
    return job


def run(job_id: int, progress: Callable[[IssueJob], None] | None = None) -> IssueJob:
    job = db.session.get(IssueJob, job_id)
    if job is None or job.status in (JobStatus.FINISHED, JobStatus.RUNNING):
        return job
    try:
        _run(job, progress)
    except CertificateError as exc:
        db.session.rollback()
        _fail(job_id, exc.message)
    except Exception as exc:  # the job must end in a state the page can show
        log.exception("certificate job %s failed", job_id)
        db.session.rollback()
        _fail(job_id, _("The job stopped on an unexpected error: %(error)s", error=str(exc)))
    from elearn.mail.services import deliver_committed

    deliver_committed()
    return db.session.get(IssueJob, job_id)


def _fail(job_id: int, message: str) -> None:
    job = db.session.get(IssueJob, job_id)
    job.status = JobStatus.FAILED
    job.error = message[:2000]
    job.finished_at = utcnow()
    db.session.commit()


def _run(job: IssueJob, progress) -> None:
    kind_rule = get_kind(job.kind)
    subject = load_subject(job.subject_type, job.subject_id)
    if subject is None:
        raise CertificateError(_("The activity no longer exists."))
    template = db.session.get(CertificateTemplate, job.template_id) if job.template_id else None
    if template is None:
        template = template_for(job.kind, job.subject_id)
    design = design_for(template)
    job.status = JobStatus.RUNNING
    qualifying = [v for v in kind_rule.evaluate(subject, template) if v.qualifies]
    have = set(db.session.scalars(select(Certificate.holder_id).where(
        Certificate.kind == job.kind, Certificate.subject_type == job.subject_type,
        Certificate.subject_id == job.subject_id, Certificate.superseded_at.is_(None))))
    job.total = len(qualifying)
    db.session.commit()
    if progress:
        progress(job)
    facts: dict = {}
    actor = None
    if job.created_by_id:
        from elearn.accounts.models import User

        actor = db.session.get(User, job.created_by_id)
    for verdict in qualifying:
        if verdict.person.id in have:
            job.already += 1
        elif not (verdict.person.full_name or "").strip():
            job.skipped += 1  # no name to print; shown on the verdict page
        else:
            certificate = build(job.kind, subject, verdict.person, template, design,
                                verdict.details, actor=actor, facts_cache=facts)
            db.session.add(certificate)
            after_issue(certificate, actor=actor)
            job.issued += 1
        job.done += 1
        if job.done % BATCH == 0:
            db.session.commit()
            if progress:
                progress(job)
    job.status = JobStatus.FINISHED
    job.finished_at = utcnow()
    db.session.commit()
    if progress:
        progress(job)
