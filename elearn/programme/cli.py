"""`flask elearn load-programme`: import or refresh the work programme and the SDGs."""

import click

from elearn.commands import elearn_cli
from elearn.extensions import db


@elearn_cli.command("load-programme")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False),
              help="Work programme YAML (default: the one shipped with elearn).")
@click.option("--sdgs", "sdg_path", type=click.Path(exists=True, dir_okay=False),
              help="SDG YAML (default: the one shipped with elearn).")
def load_programme_command(path: str | None, sdg_path: str | None):
    """Insert new programme items and update changed text in place; safe to run again."""
    from .services import ProgrammeDataError, load_programme

    try:
        counts = load_programme(path, sdg_path)
    except ProgrammeDataError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Work programme: {counts}.")
    if counts.not_in_file:
        click.echo("Kept, but no longer in the file: " + ", ".join(counts.not_in_file))
