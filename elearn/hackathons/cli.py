"""`flask elearn hackathon-...`: judge assignment and results from the command line."""

import click

from elearn.commands import elearn_cli
from elearn.extensions import db


def _hackathon(hackathon_id: int):
    from .models import Hackathon

    found = db.session.get(Hackathon, hackathon_id)
    if found is None:
        raise click.ClickException(f"No hackathon with id {hackathon_id}.")
    return found


@elearn_cli.command("hackathon-assign-judges")
@click.argument("hackathon_id", type=int)
def assign_judges_command(hackathon_id: int):
    """Top up every submission of a hackathon to its number of judges."""
    from .services import assign_judges

    outcome = assign_judges(_hackathon(hackathon_id))
    db.session.commit()
    click.echo(f"{outcome['added']} assignments added.")
    if outcome["short"]:
        click.echo(f"Not enough judges without conflict for submissions: {outcome['short']}")


@elearn_cli.command("hackathon-ranking")
@click.argument("hackathon_id", type=int)
def ranking_command(hackathon_id: int):
    """Print the current ranking (weighted totals after normalisation)."""
    from .services import ranking

    for entry in ranking(_hackathon(hackathon_id)):
        total = "-" if entry.total is None else f"{entry.total:.3f}"
        click.echo(f"{entry.rank:>3}  {total:>7}  {entry.submission.team.name}: "
                   f"{entry.submission.title}")
