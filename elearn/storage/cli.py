"""`flask elearn storage-migrate`: move a deployment's files from the directory to the bucket."""

import click
from flask import current_app

from elearn.commands import elearn_cli

from . import S3, StorageConfigError, backend, check_settings, local_backend
from .migrate import migrate


@elearn_cli.command("storage-migrate")
@click.option("--dry-run", is_flag=True, help="Count what would be copied; write nothing.")
def storage_migrate(dry_run: bool):
    """Copy every stored file (course files, hackathon uploads...) from the local directory to
    the S3 bucket set by STORAGE_BACKEND=s3 and STORAGE_S3_*. Files already in the bucket with
    the same size and checksum are skipped, so it can be run again; nothing local is deleted."""
    config = current_app.config
    if config.get("STORAGE_BACKEND") != S3:
        raise click.ClickException(
            "storage-migrate copies into the bucket: set STORAGE_BACKEND=s3 and "
            "STORAGE_S3_BUCKET (plus STORAGE_S3_ENDPOINT_URL for a non-AWS server) first.")
    problems = check_settings(config)
    if problems:
        raise click.ClickException(" ".join(problems))
    source = local_backend()
    try:
        target = backend()
        target.ping()
    except StorageConfigError as error:
        raise click.ClickException(str(error)) from error
    except Exception as error:  # noqa: BLE001 - any client error: say it, do not trace back
        raise click.ClickException(f"The bucket cannot be reached: {error}") from error
    report = migrate(source, target, dry_run=dry_run)
    for key, why in report.failed:
        click.echo(f"failed\t{key}\t{why}", err=True)
    verb = "would copy" if dry_run else "copied"
    click.echo(f"{verb} {report.copied} file(s) ({report.bytes_copied} bytes), "
               f"{report.skipped} already in the bucket, {len(report.failed)} failed"
               f"{' (dry run: nothing written)' if dry_run else ''}.")
    if report.failed:
        raise SystemExit(1)
