"""`flask elearn ...`: the project's commands. Each domain adds its own in `<domain>/cli.py`."""

import importlib

from flask import Flask
from flask.cli import AppGroup

elearn_cli = AppGroup("elearn", help="elearn administration commands.")

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
]


@elearn_cli.result_callback()
def _deliver_mail(*args, **kwargs):
    from elearn.mail.services import deliver_committed

    deliver_committed()


def register_cli(app: Flask) -> None:
    for module in CLI_MODULES:
        importlib.import_module(module)
    if "elearn" not in app.cli.commands:
        app.cli.add_command(elearn_cli)
