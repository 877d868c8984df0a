"""Two deliverers at once (the thread after a request and `flask elearn send-mail`, two RQ
workers) never both send one message: each message is claimed by one UPDATE before it is sent.
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

import asyncio
import threading
from datetime import timedelta

from sqlalchemy import update

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import deliver

from .conftest import RecordingHandler, row


class SlowServer(RecordingHandler):
    """Takes a moment per message, so two deliverers overlap for the whole batch."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def test_two_deliverers_running_at_once_send_each_message_once(app, smtp_with, outbox):
    handler = SlowServer()
    app.config["MAIL_PORT"] = smtp_with(handler)
    addresses = [f"person{n}@example.org" for n in range(30)]
    outbox(*addresses)
    counts, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            with app.app_context():
                start.wait()
                counts.append(deliver())
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors
    assert sum(counts) == len(addresses)
    assert handler.copies == {address: 1 for address in addresses}


def test_a_message_claimed_by_another_deliverer_is_left_to_it(app, mailbox, outbox):
    [claimed, free] = outbox("ana@example.org", "bruno@example.org")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == claimed)
                       .values(status=OutboxStatus.SENDING, claimed_at=utcnow()))
    db.session.commit()

    assert deliver() == 1
    assert [m["To"] for m in mailbox.messages] == ["bruno@example.org"]
    assert row(claimed).status == "sending"


def test_a_send_cut_short_by_a_crash_is_not_sent_again(app, mailbox, outbox):
    """The server may have accepted it before the process died: failed with the reason, and
    never repeated."""
    [message_id] = outbox("ana@example.org")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                       .values(status=OutboxStatus.SENDING, attempts=1,
                               claimed_at=utcnow() - timedelta(hours=2)))
    db.session.commit()

    assert deliver() == 0
    message = row(message_id)
    assert message.status == "failed" and "interrupted" in message.last_error
    assert not mailbox.messages


def test_cut_short_sends_are_looked_for_at_most_once_a_minute(app, mailbox, outbox,
                                                              monkeypatch):
    """A claim only becomes "interrupted" after an hour: the passes that follow one another
    under a crowd do not each look for them."""
    from elearn.mail import delivery

    clock = [1000.0]
    monkeypatch.setattr(delivery.time, "monotonic", lambda: clock[0])
    outbox("ana@example.org")
    assert deliver() == 1  # looked for cut-short sends: none
    [message_id] = outbox("bruno@example.org")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                       .values(status=OutboxStatus.SENDING, attempts=1,
                               claimed_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    clock[0] += 30
    deliver()
    assert row(message_id).status == "sending"
    clock[0] += 31
    deliver()
    assert row(message_id).status == "failed"
    assert [m["To"] for m in mailbox.messages] == ["ana@example.org"]


def test_without_an_smtp_server_messages_go_to_the_log_once(app, outbox, caplog):
    app.config["MAIL_SERVER"] = None
    [message_id] = outbox("ana@example.org", text="Your code is 1234")

    with caplog.at_level("INFO", logger="elearn.mail.delivery"):
        assert deliver() == 1
        assert deliver() == 0
    assert caplog.text.count("Your code is 1234") == 1
    assert row(message_id).status == "logged"
