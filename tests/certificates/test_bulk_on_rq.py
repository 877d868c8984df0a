"""Bulk issuing with REDIS_URL set: the page queues an RQ job on the real local Redis, a worker
(run here in-process, in burst mode) issues the certificates and the holder's email is sent
through the same queue. Skipped where no Redis answers on 127.0.0.1:6379."""

import uuid

from sqlalchemy import select

from elearn.certificates.models import Certificate, IssueJob
from elearn.extensions import db


def test_bulk_issue_goes_through_an_rq_worker(client, login, make_user, make_event, register,
                                             attend, make_template, rq_worker, mailbox):
    organiser = make_user(email="org@example.org", roles=["organiser"])
    event = make_event(sessions=2, organiser=organiser)
    holder = make_user(email=f"holder-{uuid.uuid4().hex[:6]}@example.org", full_name="Zoë Núñez")
    register(event, holder)
    attend(holder, event.sessions)
    make_template()
    login(organiser)

    response = client.post(f"/certificates/manage/event/{event.id}/bulk",
                           data={"kind": "participation", "confirmed": "1"})
    assert response.status_code == 302
    job = db.session.scalar(select(IssueJob))
    assert job.status == "queued" and rq_worker.queue.count == 1  # queued, not run inline

    rq_worker.work()

    db.session.expire_all()
    job = db.session.get(IssueJob, job.id)
    assert (job.status, job.issued) == ("finished", 1)
    certificate = db.session.scalar(select(Certificate))
    assert certificate.holder_id == holder.id
    assert mailbox.last(holder.email)  # the email job went through the queue too
