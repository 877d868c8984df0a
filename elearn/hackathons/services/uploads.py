"""The optional submission file: PDF or PPTX, recognised by its content (elearn.uploads),
size-limited, stored under a random name outside static/ (elearn.storage). Here only the
hackathon's policy: which kinds, which storage area, which limit, and the words of a refusal."""

import os
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from elearn import storage, uploads

from .common import HackathonError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ACCEPTED = {uploads.PDF, uploads.PPTX}
MIME = {kind: uploads.CONTENT_TYPES[kind] for kind in ACCEPTED}


@dataclass
class CheckedFile:
    data: bytes
    kind: str  # "pdf" | "pptx"
    original_name: str


def max_bytes() -> int:
    return int(current_app.config.get("HACKATHON_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


# Locally instance/hackathon_uploads/ (HACKATHON_UPLOAD_DIR: another directory); a key prefix
# in the bucket with STORAGE_BACKEND=s3.
FILES = storage.area("hackathon_uploads", dir_setting="HACKATHON_UPLOAD_DIR")


def check_file(stream, filename: str | None) -> CheckedFile:
    limit = max_bytes()
    data = uploads.read_limited(stream, limit)
    try:
        kind = uploads.check(data, ACCEPTED, limit)
    except uploads.UploadRefused as refused:
        if refused.reason == uploads.Refusal.EMPTY:
            raise HackathonError(_("The file is empty.")) from None
        if refused.reason == uploads.Refusal.TOO_LARGE:
            raise HackathonError(_("The file is too large: the limit is %(mb)s MB.",
                                   mb=refused.limit_mb), status=413) from None
        raise HackathonError(_("Only PDF or PowerPoint (PPTX) files are accepted."),
                             status=400) from None
    # The team's own file name is offered on download (send_file quotes it); only the path
    # part is dropped.
    name = os.path.basename((filename or "").replace("\\", "/"))[:200] or f"file.{kind}"
    return CheckedFile(data=data, kind=kind, original_name=name)


def store(checked: CheckedFile) -> str:
    return uploads.store(FILES, checked.data, f".{checked.kind}", MIME[checked.kind])


def send(stored_name: str | None, kind: str, download_name: str):
    """The download (after the caller's permission check); FileNotFoundError when gone."""
    return uploads.send(FILES, stored_name, download_name, MIME[kind])


def discard(stored_name: str | None) -> None:
    uploads.remove(FILES, stored_name)
