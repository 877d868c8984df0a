"""SMTP servers that misbehave on purpose (real aiosmtpd servers on local ports), and helpers
to queue outbox messages and read what each recipient received."""

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import queue


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingHandler:
    """Accepts everything and counts the copies each recipient received. Subclasses refuse,
    delay or drop on purpose."""

    def __init__(self):
        self.copies: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.answer_rcpt(address)
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    def answer_rcpt(self, address: str) -> str:
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            for address in envelope.rcpt_tos:
                self.copies[address] += 1
        self.received(parsed)
        return "250 OK"

    def received(self, parsed) -> None:
        pass


@pytest.fixture
def smtp_with():
    """smtp_with(handler) -> a running server's port; every server is stopped afterwards."""
    controllers = []

    def start(handler) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def outbox(app):
    """outbox(*addresses, subject=...) queues one message per address and commits."""

    def make(*addresses, subject="Your registration", text="Hello"):
        messages = [queue(address, subject, text) for address in addresses]
        db.session.commit()
        return [m.id for m in messages]

    return make


def row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def make_due(*ids: int) -> None:
    """Time passes: the back-off of these messages is over."""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                       .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def statuses() -> dict[str, str]:
    db.session.expire_all()
    return {m.to_address: str(m.status) for m in db.session.scalars(select(OutboxMessage))}


async def pause(seconds: float) -> None:
    await asyncio.sleep(seconds)
