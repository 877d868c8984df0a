"""Bulk issue for everyone who qualifies, as a job with a progress record (IssueJob) that the
page and the CLI read. Runs inline by default, on RQ when REDIS_URL is set.

A running job touches its heartbeat at every batch. A worker killed mid-run leaves the job
`running` with a heartbeat that grows old: such a job is stalled and staff may resume it. Each
certificate remembers the job that issued it, so a resumed run counts those again as issued by
this job and never issues a second one (the partial unique index would refuse it anyway).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db

from ..errors import CertificateError, NotYet
from ..kinds import get_kind
from ..models import Certificate, CertificateTemplate, IssueJob, JobStatus
from ..subjects import load_subject
from ..timing import refusal
from .issuing import after_issue, build
from .templates import design_for, template_for

log = logging.getLogger(__name__)
BATCH = 25  # certificates per commit: progress is visible and a failure loses little
STALE_AFTER_SECONDS = 300  # default for CERT_JOB_STALE_SECONDS: no heartbeat for this long


def start(kind, subject, *, actor=None, template=None, language: str | None = None,
          second_language: str | None = None) -> IssueJob:
    """Create the progress record, commit it, and run (or queue) the job. `language`: every
    certificate's (None: each holder's preferred one); `second_language`: bilingual."""
    kind_rule = get_kind(kind)
    too_early = refusal(kind_rule.subject_type, subject)
    if too_early:
        raise NotYet(too_early)
    job = IssueJob(kind=kind_rule.key, subject_type=kind_rule.subject_type,
                   subject_id=subject.id, template_id=getattr(template, "id", None),
                   created_by_id=getattr(actor, "id", None), heartbeat_at=utcnow(),
                   language=language or None, second_language=second_language or None)
    db.session.add(job)
    record("certificate.bulk_started", job, actor=actor,
           after={"kind": str(kind_rule.key), "subject_id": subject.id,
                  "language": job.language, "second_language": job.second_language})
    db.session.commit()
    _enqueue(job)
    return job


@dataclass
class Plan:
    """What a bulk issue would do now, counted as `_run` counts: for the confirmation page."""

    new: int = 0
    already: int = 0
    no_name: list[str] = field(default_factory=list)  # emails: there is no name to show
    not_qualifying: int = 0


def plan(kind, subject) -> Plan:
    from .issuing import verdicts

    kind_rule = get_kind(kind)
    have = set(db.session.scalars(select(Certificate.holder_id).where(
        Certificate.kind == kind_rule.key, Certificate.subject_type == kind_rule.subject_type,
        Certificate.subject_id == subject.id, Certificate.superseded_at.is_(None))))
    found = Plan()
    for verdict in verdicts(kind_rule.key, subject):
        if verdict.person.id in have:
            found.already += verdict.qualifies
        elif not verdict.qualifies:
            found.not_qualifying += 1
        elif not (verdict.person.full_name or "").strip():
            found.no_name.append(verdict.person.email)
        else:
            found.new += 1
    return found


def _enqueue(job: IssueJob) -> None:
    from elearn.jobs import enqueue

    enqueue("elearn.certificates.services.bulk.run", job.id)


def _stale_before():
    seconds = current_app.config.get("CERT_JOB_STALE_SECONDS", STALE_AFTER_SECONDS)
    return utcnow() - timedelta(seconds=seconds)


def _stalled():
    return (IssueJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])
            & (db.func.coalesce(IssueJob.heartbeat_at, IssueJob.created_at) < _stale_before()))


def fail_stalled() -> int:
    """Scheduled task: a running job whose worker died (stalled) is reported failed, with why,
    so the page and the list say so rather than "running"; staff resume it from there. A job
    still queued may be waiting behind a long one: it is left queued (its page says when it
    has waited too long). Returns how many."""
    dead = _stalled() & (IssueJob.status == JobStatus.RUNNING)
    ids = list(db.session.scalars(select(IssueJob.id).where(dead)))
    for job_id in ids:
        if db.session.execute(
                update(IssueJob).where(IssueJob.id == job_id, dead)
                .values(status=JobStatus.FAILED, finished_at=utcnow(),
                        error=_("No worker has moved this job for several minutes: it "
                                "stopped. Resume it; the certificates already issued are "
                                "kept."))
                .execution_options(synchronize_session=False)).rowcount == 1:
            record("certificate.bulk_interrupted", db.session.get(IssueJob, job_id),
                   after={"status": "failed"})
    db.session.commit()
    return len(ids)


def is_stalled(job: IssueJob) -> bool:
    """Queued or running, but nothing has moved for longer than a batch could take."""
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    last = job.heartbeat_at or job.created_at
    return last < _stale_before()


def may_resume(job: IssueJob) -> bool:
    return is_stalled(job) or job.status == JobStatus.FAILED


def resume(job: IssueJob, *, actor=None) -> bool:
    """Queue a stalled or failed job again. The claim is one conditional UPDATE, so two people
    pressing the button start one run; False when the job is not (or no longer) resumable."""
    before = {"status": str(job.status), "done": job.done, "issued": job.issued}
    claimed = db.session.execute(
        update(IssueJob).where(IssueJob.id == job.id,
                               _stalled() | (IssueJob.status == JobStatus.FAILED))
        .values(status=JobStatus.QUEUED, heartbeat_at=utcnow(), error=None, finished_at=None)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        return False
    record("certificate.bulk_resumed", job, actor=actor, before=before,
           after={"status": "queued"})
    db.session.commit()
    db.session.refresh(job)
    _enqueue(job)
    return True


def run(job_id: int, progress: Callable[[IssueJob], None] | None = None) -> IssueJob:
    # Only one worker takes a queued job: the claim is a conditional UPDATE. (RQ runs a job
    # again when its worker died; this one then stays stalled, and fail_stalled reports it.)
    claimed = db.session.execute(
        update(IssueJob).where(IssueJob.id == job_id, IssueJob.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    job = db.session.get(IssueJob, job_id)
    if job is None or claimed != 1:
        return job
    db.session.refresh(job)
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


def _holders(job: IssueJob) -> dict[int, int | None]:
    """Holder id -> the job that issued their current certificate (None: issued otherwise)."""
    return dict(db.session.execute(select(Certificate.holder_id, Certificate.issue_job_id).where(
        Certificate.kind == job.kind, Certificate.subject_type == job.subject_type,
        Certificate.subject_id == job.subject_id, Certificate.superseded_at.is_(None))).all())


def _actor(job: IssueJob):
    from elearn.accounts.models import User

    return db.session.get(User, job.created_by_id) if job.created_by_id else None


def _run(job: IssueJob, progress) -> None:
    kind_rule = get_kind(job.kind)
    subject = load_subject(job.subject_type, job.subject_id)
    if subject is None:
        raise CertificateError(_("The activity no longer exists."))
    too_early = refusal(kind_rule.subject_type, subject)
    if too_early:
        raise NotYet(too_early)
    template = db.session.get(CertificateTemplate, job.template_id) if job.template_id else None
    if template is None:
        template = template_for(job.kind, job.subject_id)
    design = design_for(template)
    qualifying = [v for v in kind_rule.evaluate(subject, template) if v.qualifies]
    have = _holders(job)
    # Counted from scratch on every run, so a resumed job's figures are those of one run.
    job.total, job.done, job.issued, job.already, job.skipped = len(qualifying), 0, 0, 0, 0
    job.heartbeat_at = utcnow()
    db.session.commit()
    if progress:
        progress(job)
    facts: dict = {}
    actor = _actor(job)
    for verdict in qualifying:
        if verdict.person.id in have:
            if have[verdict.person.id] == job.id:
                job.issued += 1  # issued by this job before it was interrupted
            else:
                job.already += 1
        elif not (verdict.person.full_name or "").strip():
            job.skipped += 1  # no name to print; shown on the verdict page
        else:
            certificate = build(job.kind, subject, verdict.person, template, design,
                                verdict.details, actor=actor, facts_cache=facts,
                                language=job.language,
                                second_language=job.second_language)
            certificate.issue_job_id = job.id
            db.session.add(certificate)
            after_issue(certificate, actor=actor)
            job.issued += 1
        job.done += 1
        if job.done % BATCH == 0:
            job.heartbeat_at = utcnow()
            db.session.commit()
            if progress:
                progress(job)
    job.status = JobStatus.FINISHED
    job.finished_at = job.heartbeat_at = utcnow()
    db.session.commit()
    if progress:
        progress(job)
