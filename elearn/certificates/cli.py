"""`flask elearn issue-certificates`: bulk issue from the command line, with a progress bar.
It goes through the same service and progress record (IssueJob) as the organisers' page."""

import click

from elearn.commands import elearn_cli
from elearn.extensions import db


@elearn_cli.command("issue-certificates")
@click.option("--event", "event_id", type=int, help="Event id (participation, speaker).")
@click.option("--edition", "edition_id", type=int, help="Course edition id (diploma, instructor).")
@click.option("--hackathon", "hackathon_id", type=int, help="Hackathon id.")
@click.option("--kind", help="participation, speaker, diploma, instructor, "
                             "hackathon_participation or hackathon_award "
                             "(default: the first kind of the activity).")
def issue_certificates_command(event_id, edition_id, hackathon_id, kind):
    """Issue certificates to everyone who qualifies (idempotent: holders keep theirs)."""
    from .errors import CertificateError
    from .kinds import get_kind, kinds_for
    from .models import IssueJob, SubjectType
    from .services import bulk
    from .subjects import load_subject
    from .timing import refusal

    chosen = [(SubjectType.EVENT, event_id), (SubjectType.EDITION, edition_id),
              (SubjectType.HACKATHON, hackathon_id)]
    chosen = [(t, i) for t, i in chosen if i is not None]
    if len(chosen) != 1:
        raise click.UsageError("Give exactly one of --event, --edition or --hackathon.")
    subject_type, subject_id = chosen[0]
    subject = load_subject(subject_type, subject_id)
    if subject is None:
        raise click.ClickException(f"No {subject_type} with id {subject_id}.")
    try:
        rule = get_kind(kind) if kind else kinds_for(subject_type)[0]
    except (ValueError, IndexError):
        raise click.UsageError(f"Unknown kind {kind!r}.") from None
    if rule.subject_type != subject_type:
        raise click.UsageError(f"{rule.key} certificates are not for a {subject_type}.")
    too_early = refusal(subject_type, subject)
    if too_early:
        raise click.ClickException(too_early)  # before any job is recorded

    job = IssueJob(kind=rule.key, subject_type=subject_type, subject_id=subject.id)
    db.session.add(job)
    db.session.commit()
    bar_state = {"bar": None, "shown": 0}

    def progress(current: IssueJob) -> None:
        if bar_state["bar"] is None:
            bar_state["bar"] = click.progressbar(length=max(current.total, 1),
                                                 label="Issuing certificates")
            bar_state["bar"].__enter__()
        bar_state["bar"].update(current.done - bar_state["shown"])
        bar_state["shown"] = current.done

    try:
        finished = bulk.run(job.id, progress=progress)
    except CertificateError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        if bar_state["bar"] is not None:
            bar_state["bar"].__exit__(None, None, None)
    if finished.status != "finished":
        raise click.ClickException(finished.error or "The job did not finish.")
    click.echo(f"{finished.issued} issued, {finished.already} already had one, "
               f"{finished.skipped} skipped (no name in the profile) "
               f"out of {finished.total} who qualify.")


@elearn_cli.command("resume-certificate-job")
@click.argument("job_id", type=int)
def resume_certificate_job_command(job_id):
    """Resume a bulk issue whose worker died (or that failed): holders keep theirs."""
    from .models import IssueJob
    from .services import bulk

    job = db.session.get(IssueJob, job_id)
    if job is None:
        raise click.ClickException(f"No certificate job with id {job_id}.")
    if not bulk.resume(job):
        raise click.ClickException(f"Job {job_id} is {job.status} and still moving, or "
                                   "finished: nothing to resume.")
    db.session.refresh(job)
    click.echo(f"Job {job_id}: {job.status}, {job.issued} issued, {job.already} already had "
               f"one, {job.skipped} skipped, out of {job.total} who qualify.")


@elearn_cli.group("credential-keys")
def credential_keys_group():
    """The Ed25519 keys that sign Open Badges (PEM files in CREDENTIAL_KEYS_DIR)."""


def _describe(key) -> str:
    return f"{key.created}  {key.thumbprint}  {key.path}"


@credential_keys_group.command("generate")
@click.option("--if-missing", is_flag=True,
              help="Do nothing when a key exists already (for deployment scripts).")
def generate_key_command(if_missing):
    """Create a signing key (the first one, or a new one that signs from now on)."""
    from . import credential_keys

    existing = credential_keys.all_keys()
    if existing and if_missing:
        click.echo(f"A key exists already: {_describe(existing[-1])}")
        return
    key = credential_keys.generate()
    click.echo(f"New signing key (mode 0600): {_describe(key)}")
    if existing:
        click.echo(f"{len(existing)} older key(s) stay published, so what they signed still "
                   "verifies.")


@credential_keys_group.command("rotate")
def rotate_key_command():
    """A new key signs from now on; the old ones stay published at /.well-known/jwks.json."""
    from . import credential_keys

    old = credential_keys.all_keys()
    key = credential_keys.generate()
    click.echo(f"Now signing with: {_describe(key)}")
    click.echo(f"Still published for verification: {len(old)} older key(s). Delete a key's "
               "file only when nothing it signed must verify any more.")


@credential_keys_group.command("list")
def list_keys_command():
    """The keys, oldest first; the last one signs."""
    from . import credential_keys

    keys = credential_keys.all_keys()
    if not keys:
        click.echo(f"No key in {credential_keys.keys_dir()}: run `flask elearn credential-keys "
                   "generate`.")
        return
    for key in keys:
        click.echo(_describe(key))
