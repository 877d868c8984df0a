"""Course material that comes from people: Markdown (rendered, then sanitised so nothing
stored can run script), video links (https, allow-listed hosts) and uploaded files (type
decided by their content, not their name; stored under a random name)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
import nh3
from flask import current_app
from flask_babel import gettext as _

from elearn import storage, uploads

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
# Sniffing, safe names and storage are elearn.uploads; here only the courses' policy: which
# kinds, which storage area, which limit, and the words of a refusal.

DOCUMENT_KINDS = {uploads.PDF, uploads.DOCX, uploads.XLSX, uploads.PPTX, uploads.PNG,
                  uploads.JPEG}
PDF_ONLY = {uploads.PDF}


@dataclass
class StoredFile:
    filename: str  # safe name offered on download
    stored_name: str  # random name in the course files' storage area
    content_type: str
    size: int


# Locally instance/course_files/ (COURSE_FILES_DIR: another directory, as tests use); a key
# prefix in the bucket with STORAGE_BACKEND=s3.
FILES = storage.area("course_files", dir_setting="COURSE_FILES_DIR")


def _refusal_message(refused: uploads.UploadRefused, allowed: set[str]) -> str:
    if refused.reason == uploads.Refusal.EMPTY:
        return _("The file is empty.")
    if refused.reason == uploads.Refusal.TOO_LARGE:
        return _("The file is too large (the limit is %(mb)s MB).", mb=refused.limit_mb)
    names = ", ".join(sorted(k.upper() for k in allowed))
    return _("This type of file is not accepted. Accepted types: %(types)s.", types=names)


def check_upload(filename: str | None, data: bytes, allowed: set[str] = DOCUMENT_KINDS,
                 max_bytes: int | None = None) -> tuple[str, str]:
    """Validate without writing anything: returns (safe filename, content type)."""
    limit = max_bytes or current_app.config.get("COURSE_FILE_MAX_BYTES", DEFAULT_MAX_FILE_BYTES)
    try:
        kind = uploads.check(data, allowed, limit)
    except uploads.UploadRefused as refused:
        raise ContentError(_refusal_message(refused, allowed)) from None
    return uploads.safe_filename(filename, kind), uploads.CONTENT_TYPES[kind]


def store_upload(filename: str | None, data: bytes, allowed: set[str] = DOCUMENT_KINDS,
                 max_bytes: int | None = None) -> StoredFile:
    safe, content_type = check_upload(filename, data, allowed, max_bytes)
    stored_name = uploads.store(FILES, data, content_type=content_type)
    return StoredFile(safe, stored_name, content_type, len(data))


def send_stored(stored_name: str | None, filename: str, content_type: str):
    """The download (after the caller's permission check); FileNotFoundError when gone."""
    return uploads.send(FILES, stored_name, filename, content_type)


def stored_exists(stored_name: str | None) -> bool:
    return uploads.exists(FILES, stored_name)


def copy_stored(stored_name: str) -> str:
    return uploads.copy(FILES, stored_name)


def remove_stored(stored_name: str | None) -> None:
    uploads.remove(FILES, stored_name)
