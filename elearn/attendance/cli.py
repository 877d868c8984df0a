"""`flask elearn attendance-import SESSION_ID FILE`: import a provider's attendance report."""

import click

from elearn.commands import elearn_cli


@elearn_cli.command("attendance-import")
@click.argument("session_id", type=int)
@click.argument("report", type=click.File("rb"))
@click.option("--min-share", type=click.FloatRange(0, 100), default=50.0, show_default=True,
              help="Minimum percent of the session to count as present.")
def attendance_import(session_id: int, report, min_share: float):
    """Import online attendance for a session from a CSV report (name, email, minutes)."""
    from elearn.events.models import EventSession
    from elearn.extensions import db

    from .imports import import_attendance, parse_report
    from .services import AttendanceError

    session = db.session.get(EventSession, session_id)
    if session is None:
        raise click.ClickException(f"No session {session_id}.")
    try:
        result = import_attendance(session, parse_report(report.read()), actor=None,
                                   min_share=min_share / 100)
    except AttendanceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"present {result.present}, absent {result.absent}, kept {result.kept}, "
               f"merged rows {result.merged_rows}, unmatched {len(result.unmatched)}")
    for row in result.unmatched:
        click.echo(f"  unmatched: {row.email} ({row.name}) {row.minutes} min")


@elearn_cli.command("poll-attendance")
def poll_attendance():
    """Poll the live video meeting of every session on now for attendance (also run by the
    scheduler every 5 minutes); queued for the worker when REDIS_URL is set."""
    from .polling import poll_live_meetings

    click.echo(f"{poll_live_meetings()} live session(s) polled.")
