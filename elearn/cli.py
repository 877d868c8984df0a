"""`flask elearn ...`: the project's commands. Each domain adds its own to the group
(`elearn.commands.elearn_cli`) in `<domain>/cli.py`; this module loads them all and registers
the group on the app."""

import importlib

from flask import Flask, current_app

from elearn.commands import elearn_cli
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


def register_cli(app: Flask) -> None:
    for module in CLI_MODULES:
        importlib.import_module(module)
    if "elearn" not in app.cli.commands:
        app.cli.add_command(elearn_cli)
