"""`flask elearn course-...`: completion reports and closing an edition from the shell."""

import click

from elearn.commands import elearn_cli
from elearn.extensions import db

from .models import Edition
from .services import completion


def _edition(edition_id: int) -> Edition:
    edition = db.session.get(Edition, edition_id)
    if edition is None:
        raise click.ClickException(f"No edition {edition_id}.")
    return edition


@elearn_cli.command("course-completion")
@click.argument("edition_id", type=int)
def completion_command(edition_id: int):
    """Show who has completed an edition and, for the others, why not."""
    edition = _edition(edition_id)
    enrolments = completion.participants(edition)
    verdicts = completion.evaluate_edition(edition, enrolments=enrolments)
    for enrolment in enrolments:
        verdict = verdicts[enrolment.id]
        grade = "—" if verdict.grade is None else f"{verdict.grade:.0f}%"
        state = "complete" if verdict.complete else "NOT complete"
        click.echo(f"{enrolment.user.email}\t{grade}\t{state}")
        for reason in verdict.reasons:
            click.echo(f"\t- {reason}")


@elearn_cli.command("course-close")
@click.argument("edition_id", type=int)
def close_command(edition_id: int):
    """Record completed / not completed for every participant and close the edition."""
    counts = completion.record_results(_edition(edition_id))
    db.session.commit()
    click.echo(f"{counts['completed']} completed, {counts['not_completed']} not completed.")
