"""Background work on a real Redis and RQ (issue 15.3): a scheduled task run twice at once
sends each reminder once; bulk emails to registrants are written by the worker once the
organiser's request has committed; a job queued by a transaction that rolls back never runs."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from elearn import worker
from elearn.db_types import utcnow
from elearn.events.models import Registration
from elearn.extensions import db
from elearn.jobs import enqueue_after_commit
from elearn.mail.models import OutboxMessage

REMINDERS = "elearn.events.services.notifications.send_reminders"


def test_the_reminder_task_run_twice_at_once_sends_each_reminder_once(
        app, make_user, make_event, register, mailbox, rq_worker, monkeypatch):
    event = make_event(starts_at=utcnow() + timedelta(hours=20))
    people = [make_user(email=f"p{n}@example.org") for n in range(12)]
    for person in people:
        register(event, person)
    barrier, counts, errors = threading.Barrier(2), [], []
    # Each worker process builds its app alone; two threads building apps at once can trip
    # CPython 3.11's ast module, which werkzeug uses to compile URL rules ("AST constructor
    # recursion depth mismatch"). So the two apps are built first, one after the other, and
    # only the task runs at once.
    build = worker.create_app
    apps = [build(), build()]
    monkeypatch.setattr(worker, "create_app", lambda: apps.pop() if apps else build())

    def one_worker():  # two workers each took a copy of the task
        try:
            barrier.wait()
            counts.append(worker.run(REMINDERS))
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert sum(counts) == 12  # split between the two runs, never doubled

    rq_worker.work()  # the delivery jobs the two runs queued

    reminders = [m["To"] for m in mailbox.messages if m["Subject"].startswith("Reminder")]
    assert sorted(reminders) == sorted(person.email for person in people)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Registration.id))
                             .where(Registration.reminder_sent_at.is_(None))) == 0
    assert worker.run(REMINDERS) == 0  # and the next slot finds nothing left to send


def test_bulk_email_to_registrants_is_written_by_the_worker(
        app, client, login, make_user, make_event, register, mailbox, rq_worker):
    organiser = make_user(roles=["organiser"])
    event = make_event(organiser)
    people = [make_user(email=f"r{n}@example.org") for n in range(3)]
    for person in people:
        register(event, person)
    login(organiser)

    response = client.post(f"/organise/events/{event.id}/email", data={
        "subject_es": "Visa information", "body_es": "Bring your passport.", "status": "confirmed"})

    assert response.status_code == 303
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0  # not in the request
    [job] = rq_worker.queue.jobs
    assert job.args[0] == "elearn.events.services.notifications.write_registrant_emails"
    rq_worker.work()
    for person in people:
        [message] = mailbox.to(person.email)
        assert message["Subject"] == "Visa information"
        assert "Bring your passport." in type(mailbox).text_of(message)


def test_a_job_queued_in_a_transaction_that_rolls_back_never_runs(app, rq_worker):
    enqueue_after_commit("elearn.mail.delivery.deliver")
    db.session.rollback()
    db.session.commit()
    assert rq_worker.queue.count == 0

    enqueue_after_commit("elearn.mail.delivery.deliver")
    assert rq_worker.queue.count == 0  # not before the commit
    db.session.commit()
    assert rq_worker.queue.count == 1


def test_without_redis_bulk_email_is_written_in_the_request(
        app, client, login, make_user, make_event, register, mailbox):
    organiser = make_user(roles=["organiser"])
    event = make_event(organiser)
    person = make_user(email="solo@example.org")
    register(event, person)
    login(organiser)
    client.post(f"/organise/events/{event.id}/email",
                data={"subject_es": "Agenda", "body_es": "See you.", "status": ""})
    assert [m["Subject"] for m in mailbox.to(person.email)] == ["Agenda"]
