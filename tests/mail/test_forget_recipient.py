"""Erasure of a person deletes the outbox messages to their address, with attachments."""

from sqlalchemy import func, select

from elearn.extensions import db
from elearn.mail.models import OutboxAttachment, OutboxMessage
from elearn.mail.services import deliver, forget_recipient, queue


def test_forget_recipient_deletes_their_messages_and_attachments_only(app, mailbox):
    queue("ana@example.org", "Your certificate", "Attached",
          attachments=[("certificate.pdf", "application/pdf", b"%PDF-1.7 Ana Lopez")])
    queue("Ana@Example.org", "Welcome", "Hello Ana")
    queue("bruno@example.org", "Welcome", "Hello Bruno",
          attachments=[("certificate.pdf", "application/pdf", b"%PDF-1.7 Bruno")])
    db.session.commit()

    assert forget_recipient("ANA@example.org") == 2
    db.session.commit()

    left = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in left] == ["bruno@example.org"]
    attachments = db.session.scalars(select(OutboxAttachment)).all()
    assert [a.data for a in attachments] == [b"%PDF-1.7 Bruno"]
    assert forget_recipient("ana@example.org") == 0
    deliver()
    assert [m["To"] for m in mailbox.messages] == ["bruno@example.org"]


def test_forget_recipient_leaves_the_deletion_to_the_callers_transaction(app):
    queue("ana@example.org", "Welcome", "Hello Ana")
    db.session.commit()

    forget_recipient("ana@example.org")
    db.session.rollback()  # the erasure failed later on: nothing is lost

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
