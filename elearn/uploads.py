"""Uploaded files, judged by their CONTENT (never by the name or the browser's content type)
and kept under random names in a storage area the caller chooses (elearn.storage: a local
directory or a bucket).

Below every domain: no translations and no domain errors here. A refusal is an `UploadRefused`
with a reason code; each domain decides which kinds it accepts and words the refusal itself."""

import enum
import io
import os
import re
import secrets
import zipfile

from werkzeug.utils import secure_filename

from elearn import storage

PDF, PNG, JPEG, DOCX, XLSX, PPTX = "pdf", "png", "jpeg", "docx", "xlsx", "pptx"
ODT, ODP, CSV = "odt", "odp", "csv"

CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ODT: "application/vnd.oasis.opendocument.text",
    ODP: "application/vnd.oasis.opendocument.presentation",
    CSV: "text/csv",
}
EXTENSIONS = {kind: f".{kind}" for kind in CONTENT_TYPES} | {JPEG: ".jpg"}
# Other names people give the same kind; kept rather than "corrected".
ALSO_ACCEPTED_EXTENSIONS = {JPEG: {".jpeg"}}

_MAGIC = [(b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG)]
# Office files are zips: the folder of the main part tells Word, Excel and PowerPoint apart.
_OOXML_FOLDERS = [("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)]
# OpenDocument files are zips whose "mimetype" member names what they are.
_ODF_TYPES = {CONTENT_TYPES[ODT].encode(): ODT, CONTENT_TYPES[ODP].encode(): ODP}
# A CSV is plain text: refused when it holds anything a browser could take for markup.
_MARKUP = re.compile(rb"<\s*[a-zA-Z!?/]")
_STORED_NAME = re.compile(r"[0-9a-f]{8,64}(\.[a-z0-9]{1,8})?")


class Refusal(enum.StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    WRONG_KIND = "wrong_kind"


class UploadRefused(ValueError):
    def __init__(self, reason: Refusal, limit: int | None = None):
        super().__init__(reason.value)
        self.reason = reason
        self.limit = limit  # bytes, for TOO_LARGE

    @property
    def limit_mb(self) -> float:
        return round((self.limit or 0) / (1024 * 1024), 1)


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are (a key of CONTENT_TYPES), or None for anything else."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                # Read a few bytes only: a member may unpack to gigabytes.
                odf = b""
                if "mimetype" in names:
                    with archive.open("mimetype") as member:
                        odf = member.read(100)
        except (zipfile.BadZipFile, ValueError, KeyError, RuntimeError, OSError):
            return None
        if odf:
            return _ODF_TYPES.get(odf.strip())
        if "[Content_Types].xml" not in names:
            return None  # a plain zip (or anything else zipped) is not an Office file
        for folder, kind in _OOXML_FOLDERS:
            if any(n.startswith(folder) for n in names):
                return kind
    return None


def looks_like_csv(data: bytes) -> bool:
    """UTF-8 text with no control characters but line breaks and tabs, and no markup. Never
    found by `sniff` (any text would pass): only a caller that accepts CSV asks."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text) or _MARKUP.search(data):
        return False
    return True


def read_limited(stream, limit: int) -> bytes:
    """At most limit + 1 bytes: enough to tell "too large" without reading a huge upload."""
    return stream.read(limit + 1)


def check(data: bytes, allowed: set[str], limit: int) -> str:
    """The kind of `data`, or UploadRefused: empty, over `limit` bytes, or not in `allowed`."""
    if not data:
        raise UploadRefused(Refusal.EMPTY)
    if len(data) > limit:
        raise UploadRefused(Refusal.TOO_LARGE, limit)
    kind = sniff(data)
    if kind is None and CSV in allowed and looks_like_csv(data):
        kind = CSV
    if kind is None or kind not in allowed:
        raise UploadRefused(Refusal.WRONG_KIND)
    return kind


def safe_filename(filename: str | None, kind: str) -> str:
    """A name safe to offer on download, whose extension says what the content really is."""
    safe = secure_filename(filename or "") or "file"
    stem, ext = os.path.splitext(safe)
    if ext.lower() != EXTENSIONS[kind] and ext.lower() not in ALSO_ACCEPTED_EXTENSIONS.get(
            kind, set()):
        safe = f"{stem or 'file'}{EXTENSIONS[kind]}"
    return safe[:200]


def stored_key(area: storage.Area, stored_name: str | None) -> str:
    # Names are ours, but never trust a column to keep a key inside its area.
    if not stored_name or not _STORED_NAME.fullmatch(stored_name):
        raise FileNotFoundError(stored_name)
    return area.key(stored_name)


def store(area: storage.Area, data: bytes, suffix: str = "",
          content_type: str | None = None) -> str:
    """Keep `data` under a new random name in `area`; returns that name."""
    stored_name = secrets.token_hex(16) + suffix
    storage.put(stored_key(area, stored_name), data, content_type)
    return stored_name


def copy(area: storage.Area, stored_name: str) -> str:
    """A second stored copy (so either can be removed alone); returns the new name."""
    copied = secrets.token_hex(16) + os.path.splitext(stored_name)[1]
    storage.copy(stored_key(area, stored_name), stored_key(area, copied))
    return copied


def remove(area: storage.Area, stored_name: str | None) -> None:
    """Delete a stored file; already gone (or never stored) is fine."""
    if stored_name:
        try:
            storage.delete(stored_key(area, stored_name))
        except FileNotFoundError:
            pass


def exists(area: storage.Area, stored_name: str | None) -> bool:
    try:
        return storage.exists(stored_key(area, stored_name))
    except FileNotFoundError:
        return False


def send(area: storage.Area, stored_name: str | None, download_name: str, content_type: str):
    """A download response; FileNotFoundError when the name is odd or the file is gone. The
    caller has already decided the person may have it."""
    return storage.send(stored_key(area, stored_name), download_name=download_name,
                        mimetype=content_type)
