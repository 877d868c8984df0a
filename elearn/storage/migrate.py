"""Copying the files of the local directory into the bucket, once, when a deployment moves to
shared storage (`flask elearn storage-migrate`). Safe to repeat: a file already in the bucket
with the same size and checksum is left alone. Nothing local is deleted."""

import hashlib
import mimetypes
from dataclasses import dataclass, field

from .base import AREAS


@dataclass
class MigrationReport:
    copied: int = 0
    skipped: int = 0  # already in the bucket, same size and checksum
    bytes_copied: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, why)


def md5_of(handle) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def already_there(source, target, key: str) -> bool:
    found = target.stat(key)
    if found is None:
        return False
    size = source.stat(key).size
    if found.size != size:
        return False
    if not found.etag or "-" in found.etag:
        return True  # a multipart ETag is not an MD5: the size has to do
    with source.open(key) as handle:
        return md5_of(handle) == found.etag


def migrate(source, target, *, dry_run: bool = False, areas=None) -> MigrationReport:
    """Copy every key of `areas` (all declared areas by default) from source to target."""
    report = MigrationReport()
    for name in sorted(areas or AREAS):
        for key in source.keys(name):
            try:
                if already_there(source, target, key):
                    report.skipped += 1
                    continue
                size = source.stat(key).size
                if not dry_run:
                    with source.open(key) as handle:
                        target.put(key, handle, mimetypes.guess_type(key)[0])
                report.copied += 1
                report.bytes_copied += size
            except Exception as error:  # noqa: BLE001 - one bad file must not stop the rest
                report.failed.append((key, f"{type(error).__name__}: {error}"))
    return report
