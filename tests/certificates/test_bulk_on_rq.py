"""Bulk issuing with REDIS_URL set: the page queues an RQ job on the real local Redis, a worker
(run here in-process, in burst mode) issues the certificates and the holder's email is sent
through the same queue. Skipped where no Redis answers on 127.0.0.1:6379."""

import uuid

import pytest
from sqlalchemy import select

from elearn.certificates.models import Certificate, IssueJob
from elearn.extensions import db

redis = pytest.importorskip("redis")
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_queue():
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from rq import Queue

    queue = Queue("elearn", connection=connection)
    queue.empty()
    yield queue
    queue.empty()


@pytest.fixture
def app_config(app_config):
    return {**app_config, "REDIS_URL": REDIS_URL}


def test_bulk_issue_goes_through_an_rq_worker(client, login, make_user, make_event, register,
                                             attend, make_template, redis_queue, mailbox,
                                             monkeypatch, database_url, smtp_server):
    from rq import SimpleWorker

    # The worker builds its own app from the environment, as `rq worker` does in production.
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    monkeypatch.setenv("MAIL_SERVER", "127.0.0.1")
    monkeypatch.setenv("MAIL_PORT", str(smtp_server.port))
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
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
    assert job.status == "queued" and redis_queue.count == 1  # queued, not run inline

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    db.session.expire_all()
    job = db.session.get(IssueJob, job.id)
    assert (job.status, job.issued) == ("finished", 1)
    certificate = db.session.scalar(select(Certificate))
    assert certificate.holder_id == holder.id
    assert mailbox.last(holder.email)  # the email job went through the queue too
