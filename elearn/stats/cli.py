"""`flask elearn stats-export-attendance OUT.xlsx`: anonymised attendance records (a job);
`flask elearn stats-rebuild`: derive the statistics roll-up again from the records."""

import click

from elearn.commands import elearn_cli


@elearn_cli.command("stats-export-attendance")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--event", "event_id", type=int, default=None, help="Only this event.")
def stats_export_attendance(out: str, event_id: int | None):
    """Write anonymised attendance records to an XLSX file (queued when REDIS_URL is set)."""
    from elearn.jobs import enqueue

    result = enqueue("elearn.stats.exports.export_attendance_xlsx", out, event_id)
    click.echo(f"{result} rows written to {out}" if isinstance(result, int)
               else f"Queued: job {getattr(result, 'id', result)}")


@elearn_cli.command("stats-rebuild")
def stats_rebuild():
    """Derive every statistics fact again (after loading records past the application)."""
    import time

    from elearn.extensions import db

    from . import rollup

    started = time.perf_counter()
    facts = rollup.rebuild()
    db.session.commit()
    click.echo(f"{facts} facts derived in {time.perf_counter() - started:.1f} s")
