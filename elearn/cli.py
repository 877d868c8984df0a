"""`flask elearn ...`: the project's commands. Each domain adds its own to the group
(`elearn.commands.elearn_cli`) in `<domain>/cli.py`; this module loads them all and registers
the group on the app."""

import importlib
import logging
import os
import signal
import socket
import threading

import click
from flask import Flask, current_app

from elearn import jobs
from elearn.commands import elearn_cli
from elearn.extensions import db
from elearn.jobs import schedule
from elearn.mail.delivery import delivery_mode
from elearn.mail.services import deliver_committed

CLI_MODULES = [
    "elearn.accounts.cli",
    "elearn.programme.cli",
    "elearn.mail.cli",
    "elearn.demo",
    "elearn.events.cli",
    "elearn.courses.cli",
    "elearn.attendance.cli",
    "elearn.stats.cli",
    "elearn.hackathons.cli",
    "elearn.certificates.cli",
    "elearn.storage.cli",
]


@elearn_cli.result_callback()
def _deliver_mail(*args, **kwargs):
    # A command is not a request: it may wait for the server (a thread could die with it).
    queued = delivery_mode(current_app.config) == "rq"
    deliver_committed(mode=None if queued else "inline")


@elearn_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then exit.")
def worker(burst: bool):
    """Run queued jobs (RQ) until stopped; retries wait in RQ's scheduler, run here too."""
    if not jobs.queued():
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed.")
    from rq import Worker

    connection = jobs.redis_connection()
    Worker([jobs.rq_queue(connection)], connection=connection).work(
        with_scheduler=True, burst=burst)


@elearn_cli.command("scheduler")
@click.option("--once", is_flag=True, help="Start what is due now and exit (cron, a timer).")
def scheduler(once: bool):
    """Every minute, start the periodic tasks that are due (elearn/jobs/schedule.py): queued
    for the worker with REDIS_URL (once per slot however many schedulers run), else inline."""
    owner = f"{socket.gethostname()}:{os.getpid()}"
    ran: dict = {}
    stop = threading.Event()
    if not once:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        for task in schedule.TASKS:
            click.echo(f"every {task.minutes:>2} min  {task.name}: {task.what}")
    while True:
        try:
            started = schedule.tick(owner=owner, run_inline=_run_inline, ran=ran)
        except Exception:  # Redis away for a moment: try again next minute
            logging.getLogger(__name__).exception("the scheduler could not start its tasks")
        else:
            if started:
                click.echo(f"started: {', '.join(started)}")
        if once or stop.wait(schedule.seconds_to_next_minute()):
            return


def _run_inline(path: str) -> None:
    try:
        jobs.resolve(path)()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    deliver_committed(mode="inline")


def register_cli(app: Flask) -> None:
    for module in CLI_MODULES:
        importlib.import_module(module)
    if "elearn" not in app.cli.commands:
        app.cli.add_command(elearn_cli)
