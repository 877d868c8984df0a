"""The words people read for the outputs' kinds, visibilities and statuses, and the short
description of a file ("PDF, 1.2 MB") shown before anyone spends their bandwidth on it."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from elearn import uploads

from .models import OutputKind, Visibility

KIND_LABELS = {
    OutputKind.PRESENTATION: _l("Presentation"),
    OutputKind.MINUTES: _l("Minutes"),
    OutputKind.REPORT: _l("Report"),
    OutputKind.RECORDING: _l("Recording"),
    OutputKind.DATASET: _l("Dataset"),
    OutputKind.BEST_PRACTICES: _l("Compilation of best practices"),
    OutputKind.OTHER: _l("Other"),
}
VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public"),
    Visibility.PARTICIPANTS: _l("Registered participants"),
    Visibility.ORGANISERS: _l("Organisers only"),
}
# The planned/in progress/delivered/not delivered status of an activity (services.progress).
STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "delivered": _l("Delivered"),
    "not_delivered": _l("Not delivered"),
}
# The language a document is written in (not the page's): endonyms, as people find their own.
LANGUAGE_LABELS = {"es": "Español", "en": "English", "pt": "Português", "fr": "Français"}

FILE_TYPE_LABELS = {
    uploads.CONTENT_TYPES[uploads.PDF]: "PDF",
    uploads.CONTENT_TYPES[uploads.DOCX]: "Word (DOCX)",
    uploads.CONTENT_TYPES[uploads.PPTX]: "PowerPoint (PPTX)",
    uploads.CONTENT_TYPES[uploads.XLSX]: "Excel (XLSX)",
    uploads.CONTENT_TYPES[uploads.ODT]: "OpenDocument (ODT)",
    uploads.CONTENT_TYPES[uploads.ODP]: "OpenDocument (ODP)",
    uploads.CONTENT_TYPES[uploads.PNG]: "PNG",
    uploads.CONTENT_TYPES[uploads.JPEG]: "JPEG",
    uploads.CONTENT_TYPES[uploads.CSV]: "CSV",
}


def file_size(size: int | None) -> str:
    """1.2 MB, 340 KB, 12 bytes: in the reader's number format."""
    size = size or 0
    if size >= 1024 * 1024:
        return _l("%(num)s MB", num=format_decimal(size / (1024 * 1024), format="#,##0.0"))
    if size >= 1024:
        return _l("%(num)s KB", num=format_decimal(round(size / 1024), format="#,##0"))
    return _l("%(num)s bytes", num=format_decimal(size, format="#,##0"))


def file_facts(output) -> str:
    """"PDF, 1.2 MB" for a file; "" for a link."""
    if not output.is_file:
        return ""
    kind = FILE_TYPE_LABELS.get(output.content_type or "", output.content_type or "")
    return f"{kind}, {file_size(output.size_bytes)}"
