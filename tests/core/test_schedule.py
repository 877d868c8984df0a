"""Periodic work (issue 15.3): `flask elearn scheduler` starts each task once per slot, however
many schedulers fire at once (a Redis lock per task and slot), and a worker runs the tasks."""

import threading
from datetime import UTC, datetime, timedelta

from rq.registry import FailedJobRegistry, FinishedJobRegistry

from elearn.extensions import db
from elearn.jobs import schedule

NOON = datetime(2026, 12, 7, 12, 0, 30, tzinfo=UTC)  # a minute every slot starts in


def _paths(queue):
    return sorted(job.args[0] for job in queue.jobs)


def test_two_schedulers_firing_at_once_enqueue_each_task_once(app, rq_worker):
    barrier, started = threading.Barrier(2), {}

    def scheduler(owner):
        with app.app_context():
            barrier.wait()
            started[owner] = schedule.tick(NOON, owner=owner)

    threads = [threading.Thread(target=scheduler, args=(name,)) for name in ("host-a", "host-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    names = started["host-a"] + started["host-b"]
    assert sorted(names) == sorted(task.name for task in schedule.TASKS)  # each once
    assert _paths(rq_worker.queue) == sorted(task.path for task in schedule.TASKS)


def test_a_task_runs_once_per_slot_and_again_in_the_next(app, rq_worker):
    assert len(schedule.tick(NOON, owner="a")) == len(schedule.TASKS)
    assert schedule.tick(NOON + timedelta(seconds=20), owner="b") == []  # same minute
    # A scheduler restarted later in the same 5-minute slot starts only the 1-minute tasks.
    assert schedule.tick(NOON + timedelta(minutes=2), owner="c") == [
        "send-mail", "warm-reports"]
    assert sorted(schedule.tick(NOON + timedelta(minutes=5), owner="a")) == [
        "certificate-jobs", "download-jobs", "poll-attendance", "send-mail", "warm-reports"]
    assert sorted(schedule.tick(NOON + timedelta(minutes=15), owner="b")) == [
        "certificate-jobs", "download-jobs", "expire-downloads", "poll-attendance",
        "send-mail", "send-reminders", "surveys", "warm-reports"]


def test_without_redis_the_scheduler_runs_each_task_itself_once_per_slot(app):
    ran, calls = {}, []
    assert not app.config["REDIS_URL"]
    schedule.tick(NOON, run_inline=calls.append, ran=ran)
    schedule.tick(NOON + timedelta(seconds=20), run_inline=calls.append, ran=ran)
    assert sorted(calls) == sorted(task.path for task in schedule.TASKS)


def test_a_failing_task_does_not_stop_the_others(app):
    def run(path):
        if "attendance" in path:
            raise RuntimeError("provider down")

    started = schedule.tick(NOON, run_inline=run, ran={})
    assert "poll-attendance" not in started and "send-reminders" in started


def test_the_scheduler_command_queues_and_a_worker_runs_every_task(app, rq_worker):
    result = app.test_cli_runner().invoke(args=["elearn", "scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "started:" in result.output and "send-mail" in result.output
    queued = _paths(rq_worker.queue)
    assert "elearn.mail.delivery.deliver" in queued

    rq_worker.work()

    assert rq_worker.queue.count == 0
    assert FailedJobRegistry(queue=rq_worker.queue).count == 0


def test_the_scheduler_command_without_redis_runs_the_tasks_inline(app):
    result = app.test_cli_runner().invoke(args=["elearn", "scheduler", "--once"])
    assert result.exit_code == 0, result.output
    assert "send-reminders" in result.output and "poll-attendance" in result.output


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["elearn", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_the_slot_locks_tell_a_readiness_check_a_scheduler_is_alive(app, rq_worker):
    connection = rq_worker.connection
    assert not schedule.scheduler_seen(connection, NOON)
    schedule.tick(NOON, owner="a")
    assert schedule.scheduler_seen(connection, NOON + timedelta(seconds=50))
    assert schedule.scheduler_seen(connection, NOON + timedelta(minutes=1))
    assert not schedule.scheduler_seen(connection, NOON + timedelta(minutes=2))


def test_the_worker_command_runs_what_the_scheduler_queued(app, rq_worker, mailbox):
    from elearn.mail.services import queue

    queue("ana@example.org", "Retry", "Sent by the worker")
    db.session.commit()  # MAIL_DELIVERY inline in tests, but nothing hands it over here
    schedule.tick(owner="a", tasks=[t for t in schedule.TASKS if t.name == "send-mail"])

    result = app.test_cli_runner().invoke(args=["elearn", "worker", "--burst"])

    assert result.exit_code == 0, result.output
    assert [m["Subject"] for m in mailbox.to("ana@example.org")] == ["Retry"]
    assert rq_worker.queue.count == 0
    assert FinishedJobRegistry(queue=rq_worker.queue).count == 1  # the worker sent it
