"""A crowd of requests committing mail starts one delivery thread per process, not one each:
requests arriving while it works ask it for another pass, so nothing committed is left."""

import threading

from sqlalchemy import select

from elearn.extensions import db
from elearn.mail import delivery
from elearn.mail.models import OutboxMessage
from elearn.mail.services import queue, wait_for_background_delivery


def test_many_hand_overs_one_thread_and_every_message_delivered(app, mailbox):
    app.config["MAIL_DELIVERY"] = "thread"
    started = []
    real_start = threading.Thread.start

    def counting_start(thread):
        if thread.name == "elearn-mail":
            started.append(thread)
        real_start(thread)

    threading.Thread.start = counting_start
    try:
        for n in range(20):
            queue(f"person{n}@example.org", "Registration confirmed", "See you there")
            db.session.commit()
            delivery.hand_over([], "thread")
        assert wait_for_background_delivery(timeout=60)
    finally:
        threading.Thread.start = real_start

    assert len(started) == 1
    assert sorted(m["To"] for m in mailbox.messages) == sorted(
        f"person{n}@example.org" for n in range(20))
    assert set(db.session.scalars(select(OutboxMessage.status))) == {"sent"}


def test_without_a_mail_server_a_pass_logs_each_message_once(app, caplog):
    app.config["MAIL_SERVER"] = None
    for n in range(3):
        queue(f"person{n}@example.org", "Reminder", f"Your code is {n}{n}{n}")
    db.session.commit()

    with caplog.at_level("INFO", logger="elearn.mail.delivery"):
        assert delivery.deliver() == 3
        assert delivery.deliver() == 0
    assert all(caplog.text.count(f"Your code is {n}{n}{n}") == 1 for n in range(3))
    assert set(db.session.scalars(select(OutboxMessage.status))) == {"logged"}


def test_stopping_ends_the_idle_thread_and_lets_the_app_go(app, mailbox):
    """A test (or a shutdown) done with an app ends its thread at once instead of idling for
    IDLE_SECONDS while holding the app and its pooled database connection."""
    app.config["MAIL_DELIVERY"] = "thread"
    queue("someone@example.org", "Registration confirmed", "See you there")
    db.session.commit()
    delivery.hand_over([], "thread")
    assert wait_for_background_delivery(timeout=60)
    deliverer = delivery._deliverers[id(app)]
    assert deliverer.thread.is_alive()  # idle, waiting for another ask
    delivery.stop_background_delivery(app, timeout=10)
    assert not deliverer.thread.is_alive()
    assert id(app) not in delivery._deliverers
    assert len(mailbox.to("someone@example.org")) == 1
