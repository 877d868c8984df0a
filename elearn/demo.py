"""`flask elearn demo`: fill an empty database with a living system for newcomers.

Each domain contributes a `demo.populate(rng)` step, run in order (lower domains first). The
steps share one seeded random generator so the demo data is the same on every machine.
"""

import importlib
import random

import click

from elearn.commands import elearn_cli
from elearn.extensions import db

STEPS = [
    "elearn.programme.demo",
    "elearn.accounts.demo",
    "elearn.events.demo",
    "elearn.events.demo_questions",
    "elearn.courses.demo",
    "elearn.hackathons.demo",
    "elearn.outputs.demo",
    "elearn.attendance.demo",
    "elearn.certificates.demo",
    "elearn.stats.demo",
    "elearn.surveys.demo",
]


def populate(seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    lines: list[str] = []
    for module in STEPS:
        step = importlib.import_module(module)
        lines.extend(step.populate(rng) or [])
        db.session.commit()
    return lines


@elearn_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def demo_command(if_empty: bool):
    """Load demo data (programme, staff, participants, and each domain's examples)."""
    from elearn.accounts.models import count_users

    if count_users():
        if if_empty:
            from elearn.accounts.demo import login_lines
            from elearn.accounts.models import user_by_email

            click.echo("Database already has data; demo not loaded again.")
            if user_by_email("admin@elearn.demo") is not None:
                click.echo("\n".join(login_lines()))
            return
        raise click.ClickException("The database is not empty; demo data goes in an empty one.")
    for line in populate():
        click.echo(line)
