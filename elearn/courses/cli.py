"""`flask elearn course-...`: completion reports and closing an edition from the shell."""

import click

from elearn.commands import elearn_cli
from elearn.extensions import db

from .errors import CourseError
from .models import Edition
from .services import closing, completion


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
@click.option("--early-reason", default="",
              help="Close before the last live class and the due dates, for this reason "
                   "(kept in the audit log).")
def close_command(edition_id: int, early_reason: str):
    """Record completed / not completed for every participant and close the edition. The
    same rule as the web page: refused before its time unless closed early with a reason."""
    edition = _edition(edition_id)
    problems = closing.too_early(edition)
    try:
        counts = closing.close(edition, actor=None, early=bool(early_reason),
                               reason=early_reason)
    except CourseError as exc:
        db.session.rollback()
        raise click.ClickException(" ".join([exc.message, *problems])) from exc
    db.session.commit()
    click.echo(f"{counts['completed']} completed, {counts['not_completed']} not completed.")
