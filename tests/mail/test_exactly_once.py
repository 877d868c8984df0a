"""Email goes out exactly once (issue 11.3), against real SMTP servers that refuse one
recipient, answer 451 once, or drop the connection in the middle of a batch: every other
recipient gets one copy, a refusal fails that message alone with the server's reason, a
temporary failure is retried later, and nothing is ever sent twice."""

from datetime import timedelta

from elearn.db_types import utcnow
from elearn.mail.delivery import FIRST_RETRY, MAX_ATTEMPTS
from elearn.mail.services import deliver

from .conftest import RecordingHandler, make_due, row, statuses

PEOPLE = ["ana@example.org", "bruno@example.org", "carla@example.org", "dario@example.org"]


class RefusesBruno(RecordingHandler):
    def answer_rcpt(self, address):
        return "550 5.1.1 No such user here" if address.startswith("bruno") else "250 OK"


class BusyOnceForBruno(RecordingHandler):
    def __init__(self):
        super().__init__()
        self.refused = 0

    def answer_rcpt(self, address):
        if address.startswith("bruno") and not self.refused:
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        return "250 OK"


class AlwaysBusy(RecordingHandler):
    def answer_rcpt(self, address):
        return "451 4.3.0 Try again later"


class DropsOnBrunoOnce(RecordingHandler):
    """Closes the connection when Bruno's message arrives, the first time, before accepting."""

    def __init__(self):
        super().__init__()
        self.dropped = False
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        if any(a.startswith("bruno") for a in envelope.rcpt_tos) and not self.dropped:
            self.dropped = True
            server.transport.close()
            return "421 closing"
        return await super().handle_DATA(server, session, envelope)


def test_a_refused_recipient_fails_alone_and_every_other_gets_one_copy(app, smtp_with, outbox):
    handler = RefusesBruno()
    app.config["MAIL_PORT"] = smtp_with(handler)
    ids = outbox(*PEOPLE)

    assert deliver() == 3
    assert deliver() == 0  # a second run sends nothing again

    assert handler.copies == {a: 1 for a in PEOPLE if a != "bruno@example.org"}
    refused = row(ids[1])
    assert refused.status == "failed" and refused.attempts == 1
    assert "550" in refused.last_error and "No such user" in refused.last_error
    assert {row(i).status for i in ids if i != ids[1]} == {"sent"}


def test_a_message_that_cannot_be_built_fails_alone(app, mailbox, outbox):
    good = outbox("ana@example.org", "carla@example.org")
    broken = outbox("bruno@example.org", subject="Your event\r\nBcc: everyone@example.org")

    assert deliver() == 2

    assert sorted(m["To"] for m in mailbox.messages) == ["ana@example.org", "carla@example.org"]
    message = row(broken[0])
    assert message.status == "failed"
    assert "could not be built" in message.last_error and "linefeed" in message.last_error
    assert {row(i).status for i in good} == {"sent"}
    assert not mailbox.to("everyone@example.org")


def test_a_temporary_refusal_is_retried_later_and_sent_once(app, smtp_with, outbox):
    handler = BusyOnceForBruno()
    app.config["MAIL_PORT"] = smtp_with(handler)
    ids = outbox(*PEOPLE)

    before = utcnow()
    assert deliver() == 3
    waiting = row(ids[1])
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert "451" in waiting.last_error
    assert waiting.next_attempt_at >= before + FIRST_RETRY - timedelta(seconds=1)

    assert deliver() == 0  # not before its back-off is over
    make_due(ids[1])
    assert deliver() == 1
    assert deliver() == 0

    assert handler.copies == {a: 1 for a in PEOPLE}
    assert set(statuses().values()) == {"sent"}


def test_after_a_dropped_connection_the_rest_still_go_and_the_dropped_one_later(
        app, smtp_with, outbox):
    handler = DropsOnBrunoOnce()
    app.config["MAIL_PORT"] = smtp_with(handler)
    ids = outbox(*PEOPLE)

    assert deliver() == 3  # reconnected for Carla and Dario
    assert handler.sessions == 2
    assert handler.copies == {a: 1 for a in PEOPLE if a != "bruno@example.org"}
    dropped = row(ids[1])
    assert dropped.status == "pending" and "connection lost" in dropped.last_error

    make_due(ids[1])
    assert deliver() == 1
    make_due(*ids)
    assert deliver() == 0
    assert handler.copies == {a: 1 for a in PEOPLE}


def test_back_off_doubles_and_gives_up_after_max_attempts(app, smtp_with, outbox):
    app.config["MAIL_PORT"] = smtp_with(AlwaysBusy())
    [message_id] = outbox("ana@example.org")

    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        start = utcnow()
        deliver()
        message = row(message_id)
        assert message.status == "pending"
        waits.append(round((message.next_attempt_at - start) / FIRST_RETRY))
        make_due(message_id)
    assert waits == [1, 2, 4, 8][:MAX_ATTEMPTS - 1]

    deliver()
    message = row(message_id)
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    assert message.last_error.startswith(f"gave up after {MAX_ATTEMPTS} attempts: ")
    make_due(message_id)
    assert deliver() == 0 and row(message_id).status == "failed"
