"""Email never blocks a request (issue 11.4): a request only writes the outbox; delivery
happens after the response, in a background thread (the default) or an RQ job (with
REDIS_URL); `flask elearn send-mail` delivers whatever is due."""

import socket
import threading
import time

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.mail.delivery import delivery_mode
from elearn.mail.models import OutboxMessage
from elearn.mail.services import queue, wait_for_background_delivery

from .conftest import make_due

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def hanging_server():
    """Accepts TCP connections and never says a word (an SMTP server stuck on its side)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_hanging_mail_server_costs_the_request_nothing(app, client, make_user, mailbox,
                                                        hanging_server):
    make_user(email="ana@example.org")
    app.config.update(MAIL_DELIVERY="thread", MAIL_PORT=hanging_server, MAIL_TIMEOUT=5)

    started = time.monotonic()
    response = client.post("/password/forgot", data={"email": "ana@example.org"})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 2, f"the request waited {elapsed:.1f}s for the mail server"
    assert wait_for_background_delivery(timeout=30)
    message = db.session.scalar(select(OutboxMessage))
    assert (message.status, message.attempts) == ("pending", 1)  # kept for a later run
    assert "TimeoutError" in message.last_error or "timed out" in message.last_error

    app.config["MAIL_PORT"] = mailbox.port  # the server is back
    make_due(message.id)
    result = app.test_cli_runner().invoke(args=["elearn", "send-mail"])
    assert "1 message(s)" in result.output, result.output
    assert len(mailbox.to("ana@example.org")) == 1


def test_the_thread_delivers_after_the_response(app, client, make_user, mailbox):
    make_user(email="ana@example.org")
    app.config["MAIL_DELIVERY"] = "thread"

    assert client.post("/password/forgot", data={"email": "ana@example.org"}).status_code == 200
    assert wait_for_background_delivery(timeout=30)

    assert len(mailbox.to("ana@example.org")) == 1
    assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_send_mail_command_delivers_what_is_due(app, mailbox):
    queue("ana@example.org", "Reminder", "See you tomorrow")
    queue("bruno@example.org", "Reminder", "See you tomorrow")
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["elearn", "send-mail"])

    assert "2 message(s) handed to the mail server." in result.output
    assert sorted(m["To"] for m in mailbox.messages) == ["ana@example.org", "bruno@example.org"]


def test_the_default_is_a_thread_and_rq_with_redis():
    assert delivery_mode({}) == "thread"
    assert delivery_mode({"REDIS_URL": REDIS_URL}) == "rq"
    assert delivery_mode({"REDIS_URL": REDIS_URL, "MAIL_DELIVERY": "inline"}) == "inline"
    assert delivery_mode({"MAIL_DELIVERY": "rq"}) == "thread"  # no Redis to queue on
    with pytest.raises(ValueError):
        delivery_mode({"MAIL_DELIVERY": "pigeon"})


def test_with_redis_the_request_queues_a_job_a_worker_delivers(
        app, client, make_user, mailbox, rq_worker):
    make_user(email="ana@example.org")
    app.config["MAIL_DELIVERY"] = None

    assert client.post("/password/forgot", data={"email": "ana@example.org"}).status_code == 200

    assert not mailbox.messages and rq_worker.queue.count == 1
    [job] = rq_worker.queue.jobs
    assert (job.func_name, job.args) == ("elearn.worker.run", ("elearn.mail.delivery.deliver",))
    rq_worker.work()

    assert len(mailbox.to("ana@example.org")) == 1
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == "sent"
