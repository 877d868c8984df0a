"""`flask elearn send-reminders`: run it every hour or so (cron); it is idempotent."""

import click

from elearn.commands import elearn_cli
from elearn.extensions import db


@elearn_cli.command("send-reminders")
def send_reminders_command():
    """Email confirmed participants whose event's next session starts within 24 hours."""
    from .services import send_reminders

    n = send_reminders()
    db.session.commit()
    click.echo(f"{n} reminder(s) queued.")
