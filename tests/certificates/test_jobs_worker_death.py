"""A worker killed in the middle of a bulk issue (issue 15.3): its RQ job is retried, not left
"started"; the IssueJob's heartbeat goes stale, the scheduled check reports it failed with the
reason, and resuming it issues the rest, each person's certificate once. The worker is a real
separate process (slowed down so it can be killed mid-run), killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.certificates.models import Certificate, CertificateKind, IssueJob, JobStatus
from elearn.certificates.services import bulk
from elearn.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SLOW_WORKER = textwrap.dedent("""
    import sys, time
    from elearn.certificates.services import bulk
    bulk.BATCH = 1  # commit (and beat) after every certificate
    build = bulk.build
    def slow_build(*args, **kwargs):
        time.sleep(0.4)
        return build(*args, **kwargs)
    bulk.build = slow_build
    from redis import Redis
    from rq import Queue, SimpleWorker
    connection = Redis.from_url(sys.argv[1])
    SimpleWorker([Queue("elearn", connection=connection)], connection=connection).work(burst=True)
""")


def _job(job_id) -> IssueJob:
    db.session.expire_all()
    return db.session.get(IssueJob, job_id)


def _wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_job_whose_worker_died_is_retried_reported_failed_and_resumed(
        app, client, login, make_user, make_event, register, attend, make_template,
        rq_worker, mailbox):
    organiser = make_user(email="org@example.org", roles=["organiser"])
    event = make_event(sessions=1, organiser=organiser)
    people = [make_user(email=f"h{n}@example.org", full_name=f"Holder {n}") for n in range(8)]
    for person in people:
        register(event, person)
        attend(person, event.sessions)
    make_template()
    job = bulk.start(CertificateKind.PARTICIPATION, event, actor=organiser)
    [rq_job] = rq_worker.queue.jobs

    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WORKER, rq_worker.url], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _job(job.id).issued >= 2), "the worker never got going"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    killed_at = _job(job.id)
    assert killed_at.status == JobStatus.RUNNING and killed_at.issued < len(people)

    # RQ: the job of a dead worker is abandoned and retried (after RETRY_INTERVALS), never
    # left "started". Its maintenance notices the lost worker; here we run it at once.
    StartedJobRegistry(queue=rq_worker.queue).cleanup(timestamp=time.time() + 10**6)
    assert Job.fetch(rq_job.id, connection=rq_worker.connection).get_status() == "scheduled"
    assert FailedJobRegistry(queue=rq_worker.queue).count == 0

    # The IssueJob: once its heartbeat is stale, the page says it stalled, and the scheduled
    # check (certificate-jobs) records it failed, with why, for staff to resume.
    app.config["CERT_JOB_STALE_SECONDS"] = 1
    time.sleep(1.5)
    assert bulk.is_stalled(_job(job.id))
    assert bulk.fail_stalled() == 1
    failed = _job(job.id)
    assert failed.status == JobStatus.FAILED and "stopped" in failed.error
    assert bulk.fail_stalled() == 0
    assert db.session.scalar(select(func.count(AuditRecord.id)).where(
        AuditRecord.action == "certificate.bulk_interrupted")) == 1
    login(organiser)
    page = client.get(f"/certificates/jobs/{job.id}").get_data(as_text=True)
    assert f'action="/certificates/jobs/{job.id}/resume"' in page

    assert client.post(f"/certificates/jobs/{job.id}/resume").status_code in (302, 303)
    rq_worker.work()

    done = _job(job.id)
    assert (done.status, done.issued) == (JobStatus.FINISHED, len(people))
    holders = db.session.scalars(select(Certificate.holder_id)).all()
    assert sorted(holders) == sorted(person.id for person in people)  # each once


def test_the_check_leaves_a_job_still_queued_behind_another(app, make_user, make_event):
    organiser = make_user(roles=["organiser"])
    event = make_event(sessions=1, organiser=organiser)
    waiting = IssueJob(kind=CertificateKind.PARTICIPATION, subject_type="event",
                       subject_id=event.id, status=JobStatus.QUEUED,
                       heartbeat_at=bulk.utcnow() - timedelta(hours=1))
    db.session.add(waiting)
    db.session.commit()
    assert bulk.fail_stalled() == 0
    assert _job(waiting.id).status == JobStatus.QUEUED
