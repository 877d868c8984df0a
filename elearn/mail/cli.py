import click

from elearn.commands import elearn_cli

from .services import deliver


@elearn_cli.command("send-mail")
def send_mail():
    """Send (or retry) every pending message in the outbox."""
    click.echo(f"{deliver()} message(s) handed to the mail server.")
