"""The optional submission file: PDF or PPTX, recognised by its CONTENT (never by the name or
the browser's content type), size-limited, stored under a random name outside static/."""

import io
import os
import secrets
import zipfile
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from .common import HackathonError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class CheckedFile:
    data: bytes
    kind: str  # "pdf" | "pptx"
    original_name: str


def max_bytes() -> int:
    return int(current_app.config.get("HACKATHON_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_dir() -> str:
    path = current_app.config.get("HACKATHON_UPLOAD_DIR") or os.path.join(
        current_app.instance_path, "hackathon_uploads")
    os.makedirs(path, exist_ok=True)
    return path


def sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        # A Word or Excel file is a zip too; a presentation has its main part here.
        if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
            return "pptx"
    return None


def check_file(stream, filename: str | None) -> CheckedFile:
    limit = max_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise HackathonError(_("The file is empty."))
    if len(data) > limit:
        raise HackathonError(_("The file is too large: the limit is %(mb)s MB.",
                               mb=round(limit / (1024 * 1024), 1)), status=413)
    kind = sniff(data)
    if kind is None:
        raise HackathonError(_("Only PDF or PowerPoint (PPTX) files are accepted."),
                             status=400)
    name = os.path.basename((filename or "").replace("\\", "/"))[:200] or f"file.{kind}"
    return CheckedFile(data=data, kind=kind, original_name=name)


def store(checked: CheckedFile) -> str:
    stored = f"{secrets.token_hex(16)}.{checked.kind}"
    with open(os.path.join(upload_dir(), stored), "wb") as handle:
        handle.write(checked.data)
    return stored


def path_of(stored_name: str) -> str:
    return os.path.join(upload_dir(), os.path.basename(stored_name))


def discard(stored_name: str | None) -> None:
    if stored_name:
        try:
            os.remove(path_of(stored_name))
        except OSError:
            pass


MIME = {"pdf": "application/pdf",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
