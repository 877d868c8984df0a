"""Course material that comes from people: Markdown (rendered, then sanitised so nothing
stored can run script), video links (https, allow-listed hosts) and uploaded files (type
decided by their content, not their name; stored under a random name)."""

import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
import nh3
from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

VIDEO_HOSTS = {"youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com",
               "m.youtube.com"}
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024


class ContentError(ValueError):
    """Refused material; the message is translated and shown to the person."""


def render_markdown(text: str) -> str:
    """Markdown to HTML with only harmless tags, attributes and URL schemes left."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"])
    return nh3.clean(
        html,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def clean_video_url(url: str | None) -> str | None:
    """Blank stays None; otherwise an https link to an allowed video host, or ContentError.
    Shown as a plain link, never embedded (the CSP allows no frames)."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "").lower() not in VIDEO_HOSTS:
        raise ContentError(_("Video links must be https links to YouTube or Vimeo."))
    if len(url) > 500:
        raise ContentError(_("The video link is too long."))
    return url


# --- files ----------------------------------------------------------------------------------

OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
DOCUMENT_KINDS = {"pdf", "docx", "xlsx", "pptx", "png", "jpeg"}
PDF_ONLY = {"pdf"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}


def sniff(data: bytes) -> tuple[str, str] | None:
    """(kind, content type) judged from the bytes, or None for anything not allowed."""
    if data.startswith(b"%PDF-"):
        return "pdf", CONTENT_TYPES["pdf"]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", CONTENT_TYPES["png"]
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg", CONTENT_TYPES["jpeg"]
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, found in OOXML.items():
            if any(n.startswith(prefix) for n in names):
                return found
    return None


@dataclass
class StoredFile:
    filename: str  # safe name offered on download
    stored_name: str  # random name in the instance folder
    content_type: str
    size: int


def file_folder() -> str:
    # COURSE_FILES_DIR lets a deployment put uploads on a volume (and tests in a temp dir).
    folder = current_app.config.get("COURSE_FILES_DIR") or os.path.join(
        current_app.instance_path, "course_files")
    os.makedirs(folder, exist_ok=True)
    return folder


def check_upload(filename: str | None, data: bytes, allowed: set[str] = DOCUMENT_KINDS,
                 max_bytes: int | None = None) -> tuple[str, str]:
    """Validate without writing anything: returns (safe filename, content type)."""
    limit = max_bytes or current_app.config.get("COURSE_FILE_MAX_BYTES", DEFAULT_MAX_FILE_BYTES)
    if not data:
        raise ContentError(_("The file is empty."))
    if len(data) > limit:
        raise ContentError(_("The file is too large (the limit is %(mb)s MB).",
                             mb=round(limit / 1024 / 1024, 1)))
    found = sniff(data)
    if found is None or found[0] not in allowed:
        names = ", ".join(sorted(k.upper() for k in allowed))
        raise ContentError(_("This type of file is not accepted. Accepted types: %(types)s.",
                             types=names))
    kind, content_type = found
    safe = secure_filename(filename or "") or "file"
    stem, ext = os.path.splitext(safe)
    wanted = ".jpg" if kind == "jpeg" else f".{kind}"
    if ext.lower() not in (wanted, ".jpeg" if kind == "jpeg" else wanted):
        safe = f"{stem or 'file'}{wanted}"
    return safe[:200], content_type


def store_upload(filename: str | None, data: bytes, allowed: set[str] = DOCUMENT_KINDS,
                 max_bytes: int | None = None) -> StoredFile:
    safe, content_type = check_upload(filename, data, allowed, max_bytes)
    stored_name = secrets.token_hex(16)
    with open(os.path.join(file_folder(), stored_name), "wb") as out:
        out.write(data)
    return StoredFile(safe, stored_name, content_type, len(data))


def stored_path(stored_name: str) -> str:
    # Names are ours (hex), but never trust a column to stay inside the folder.
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise FileNotFoundError(stored_name)
    return os.path.join(file_folder(), stored_name)


def copy_stored(stored_name: str) -> str:
    new_name = secrets.token_hex(16)
    with open(stored_path(stored_name), "rb") as src, \
            open(os.path.join(file_folder(), new_name), "wb") as dst:
        dst.write(src.read())
    return new_name


def remove_stored(stored_name: str | None) -> None:
    if stored_name:
        try:
            os.remove(stored_path(stored_name))
        except FileNotFoundError:
            pass
