"""The pages of prepared downloads: one download (the file when ready, else where it stands),
the person's list, asking again; and `prepared`, the helper every export URL answers with.
Only the owner sees a download (anyone else gets 404), and the domain's rule is asked again
before anything is shown (403 when the right was lost since)."""

from urllib.parse import urlsplit

from flask import abort, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from elearn import uploads

from . import services
from .forms import AgainForm
from .models import DownloadStatus

REFRESH_SECONDS = 3
STATUS_LABELS = {
    DownloadStatus.QUEUED.value: _l("Waiting to be prepared"),
    DownloadStatus.RUNNING.value: _l("Being prepared"),
    DownloadStatus.READY.value: _l("Ready"),
    DownloadStatus.FAILED.value: _l("Failed"),
    DownloadStatus.EXPIRED.value: _l("Deleted"),
}


def _came_from() -> str | None:
    """The page that holds the export link, when it is one of ours (the Referer)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or parts.scheme not in ("http", "https"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def prepared(kind: str, parameters: dict, filename: str):
    """The answer of an export URL (after its own permission check): the download is asked
    for and the person sent to its page, which is the file itself when it is ready."""
    row = services.request_download(current_user, kind, parameters, filename=filename,
                                    locale=str(get_locale()), timezone=str(get_timezone()),
                                    back_path=_came_from())
    return redirect(url_for("downloads.show", download_id=row.id), 303)


def _owned_or_404(download_id: int):
    row = services.owned(current_user, download_id)
    if row is None:
        abort(404)
    if not services.may_download(current_user, row):
        abort(403)
    return row


def _page(template: str, status: int = 200, **context):
    return render_template(template, **context), status, {"Cache-Control": "no-store"}


@login_required
def show(download_id: int):
    row = _owned_or_404(download_id)
    if row.status == DownloadStatus.READY:
        try:
            response = uploads.send(services.FILES, row.stored_name, row.filename,
                                    row.content_type or "application/octet-stream")
        except FileNotFoundError:
            return _page("downloads/show.html", 410, row=row, form=AgainForm(), gone=True)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    # ?auto=0 stops the refreshing (WCAG 2.2.1: the person may turn it off and reload by
    # hand; a screen reader otherwise starts reading the page again every few seconds).
    auto = request.args.get("auto") != "0"
    return _page("downloads/show.html", row=row, form=AgainForm(), gone=False, auto=auto,
                 refresh=REFRESH_SECONDS if row.status.in_progress and auto else None)


@login_required
def again(download_id: int):
    row = _owned_or_404(download_id)
    if not AgainForm().validate_on_submit():
        abort(400)
    if row.status.in_progress:  # still on its way: no second copy
        return redirect(url_for(".show", download_id=row.id), 303)
    fresh = services.again(row, current_user)
    return redirect(url_for(".show", download_id=fresh.id), 303)


@login_required
def mine():
    return _page("downloads/mine.html", rows=services.recent(current_user),
                 status_labels=STATUS_LABELS,
                 keep_hours=int(services.keep_for().total_seconds() // 3600))
