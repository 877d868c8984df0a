"""The optional submission file: PDF or PPTX, recognised by its content (elearn.uploads),
size-limited, stored under a random name outside static/. Here only the hackathon's policy:
which kinds, which folder, which limit, and the words of a refusal."""

import os
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from elearn import uploads

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


def upload_dir() -> str:
    return current_app.config.get("HACKATHON_UPLOAD_DIR") or os.path.join(
        current_app.instance_path, "hackathon_uploads")


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
    return uploads.store(upload_dir(), checked.data, f".{checked.kind}")


def path_of(stored_name: str) -> str:
    return uploads.path_in(upload_dir(), stored_name)


def discard(stored_name: str | None) -> None:
    uploads.remove(upload_dir(), stored_name)
