"""An output's file: recognised by its content (elearn.uploads), size-limited, kept under a
random name in the `outputs` storage area. Here only the outputs' policy: which kinds, which
limit, and the words of a refusal."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from elearn import storage, uploads

from .errors import OutputError

DEFAULT_MAX_BYTES = 15 * 1024 * 1024  # below MAX_CONTENT_LENGTH, so the form can say why
ACCEPTED = {uploads.PDF, uploads.DOCX, uploads.PPTX, uploads.XLSX, uploads.ODT, uploads.ODP,
            uploads.PNG, uploads.JPEG, uploads.CSV}

# Locally <STORAGE_LOCAL_DIR>/outputs/ (OUTPUTS_DIR: another directory); a key prefix in the
# bucket with STORAGE_BACKEND=s3.
FILES = storage.area("outputs", dir_setting="OUTPUTS_DIR")


@dataclass
class CheckedFile:
    data: bytes
    kind: str  # a key of uploads.CONTENT_TYPES
    file_name: str  # safe to offer on download, its extension true to the content

    @property
    def content_type(self) -> str:
        return uploads.CONTENT_TYPES[self.kind]


def max_bytes() -> int:
    return int(current_app.config.get("OUTPUTS_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_file(stream, filename: str | None) -> CheckedFile:
    limit = max_bytes()
    data = uploads.read_limited(stream, limit)
    try:
        kind = uploads.check(data, ACCEPTED, limit)
    except uploads.UploadRefused as refused:
        if refused.reason == uploads.Refusal.EMPTY:
            raise OutputError(_("The file is empty.")) from None
        if refused.reason == uploads.Refusal.TOO_LARGE:
            raise OutputError(_("The file is too large: the limit is %(mb)s MB.",
                                mb=refused.limit_mb), status=413) from None
        raise OutputError(_("This kind of file is not accepted. Accepted: PDF, Word (DOCX), "
                            "PowerPoint (PPTX), Excel (XLSX), OpenDocument (ODT, ODP), "
                            "PNG, JPEG and CSV.")) from None
    # secure_filename drops paths, markup and odd characters; the extension follows the content.
    return CheckedFile(data=data, kind=kind, file_name=uploads.safe_filename(filename, kind))


def store(checked: CheckedFile) -> str:
    return uploads.store(FILES, checked.data, uploads.EXTENSIONS[checked.kind],
                         checked.content_type)


def send(output):
    """The download (after the caller's permission check); FileNotFoundError when gone."""
    return uploads.send(FILES, output.stored_name, output.file_name or "file",
                        output.content_type or "application/octet-stream")


def exists(stored_name: str | None) -> bool:
    return uploads.exists(FILES, stored_name)


def discard(stored_name: str | None) -> None:
    uploads.remove(FILES, stored_name)
