"""Helpers shared by the courses view modules: finding objects (404 rather than 500), asking
rights, turning a CourseError into a page, reading uploads and edition-local times, sending a
stored file. View modules import from here; this module imports no view module."""

from datetime import datetime
from functools import wraps
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.accounts.permissions import can, is_programme_manager, require
from elearn.accounts.services import members
from elearn.extensions import db
from elearn.i18n import format_in_zone, is_valid_timezone
from elearn.multilingual_forms import texts_from

from .content import send_stored
from .errors import CourseError
from .forms import EditionSettingsForm
from .models import Course, Edition, EditionStatus
from .services import ordering

VISIBLE = (EditionStatus.OPEN, EditionStatus.RUNNING, EditionStatus.COMPLETED)
MAX_ID = 2**31 - 1  # beyond an INTEGER column: PostgreSQL would fail instead of "not found"


# --- finding things -------------------------------------------------------------------------

def small_ints(values) -> list[int]:
    """Ids from a form, ignoring anything that is not a plausible id."""
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 11
            and int(v) <= MAX_ID]


def get_or_404(model, object_id):
    if object_id is None or object_id > MAX_ID:
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def visible_edition(edition_id: int) -> Edition:
    """An edition anyone may see; a draft only to its teaching staff (404 for the others)."""
    edition = get_or_404(Edition, edition_id)
    if edition.status == EditionStatus.DRAFT and not can(current_user, "teach", edition):
        abort(404)
    return edition


def teach(edition_id: int) -> Edition:
    """The edition, for its teaching staff only (its instructors, programme managers)."""
    edition = get_or_404(Edition, edition_id)
    require("teach", edition)
    return edition


def programme_manager_required(view):
    """Creating courses and editions and naming instructors belongs to the Secretariat."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not is_programme_manager(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# --- answering ------------------------------------------------------------------------------

def refused(exc: CourseError):
    """Undo whatever the request started and tell the person why."""
    db.session.rollback()
    flash(exc.message, "error")
    return exc.status


def refusal_page(exc: CourseError, back: str | None = None):
    """The site's page saying why, with a way back to where the person came from (no bare
    409): `back` when the view knows it, else the page that sent them here, else home."""
    db.session.rollback()
    referrer = request.referrer or ""
    if back is None and referrer.startswith(request.host_url):
        back = referrer
    return render_template("courses/refused.html", code=exc.status, message=exc.message,
                           back=back), exc.status


def country_name(code: str | None) -> str:
    """A country in the reader's language (profiles keep the ISO code)."""
    return members.country_name(code, str(get_locale() or "en")) if code else "—"


def form_page(template: str, status: int = 200, **context):
    return render_template(f"courses/authoring/{template}", **context), status


def send_download(stored_name, filename, content_type):
    # Always a download, never rendered in the page's origin (elearn.storage sends it so).
    try:
        return send_stored(stored_name, filename, content_type)
    except FileNotFoundError:
        abort(404)


def upload_of(field_name: str) -> tuple[str, bytes] | None:
    """(filename, bytes) of an uploaded file, or None when the field was left empty."""
    storage = request.files.get(field_name)
    if storage is None or not storage.filename:
        return None
    return storage.filename, storage.read()


def move_in_order(parent, item, edition: Edition, back: str):
    """The Move up / Move down buttons: `item` swaps with its neighbour inside `parent`. The
    parent comes from the URL and must be the item's own, so a crafted request cannot reach
    into another module or quiz; only the edition's teaching staff may reorder."""
    require("teach", edition)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        return refusal_page(CourseError(_("Move it up or down."), 400))
    try:
        ordering.move(parent, item, step, actor=current_user)
    except CourseError as exc:
        return refusal_page(exc)
    db.session.commit()
    return redirect(back)


# --- times in the edition's zone ------------------------------------------------------------

def aware(value: datetime | None, tz: str) -> datetime | None:
    """A datetime-local field, read in the edition's zone."""
    return value.replace(tzinfo=ZoneInfo(tz)) if value else None


def local(value: datetime | None, tz: str) -> datetime | None:
    return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None) if value else None


def edition_time(value, edition) -> str:
    """Template filter: a moment in the edition's own time zone (due dates, module openings)."""
    if value is None:
        return ""
    return f"{format_in_zone(value, edition.timezone, 'medium')} ({edition.timezone})"


def edition_values(form: EditionSettingsForm) -> dict:
    """The settings of an edition as the services take them (new edition and settings pages)."""
    tz = form.timezone.data.strip()
    zone = ZoneInfo(tz) if is_valid_timezone(tz) else ZoneInfo("UTC")

    def in_zone(value):
        return value.replace(tzinfo=zone) if value else None

    percent = form.min_attendance_percent.data
    return {
        "name": texts_from(form, "name"),
        "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
        "timezone": tz, "language": form.language.data, "capacity": form.capacity.data,
        "applications_open_at": in_zone(form.applications_open_at.data),
        "applications_close_at": in_zone(form.applications_close_at.data),
        "eligible_countries": (form.eligible_countries.data or "").split(","),
        "eligible_subregions": form.eligible_subregions.data,
        "eligible_sectors": form.eligible_sectors.data,
        "public_officials_only": form.public_officials_only.data,
        "min_grade": form.min_grade.data,
        "min_attendance_share": None if percent is None else percent / 100,
        "require_required_passed": form.require_required_passed.data,
        "require_final_passed": form.require_final_passed.data,
    }


# --- the activity page's section ------------------------------------------------------------

def activity_editions(activity):
    """The course editions of a work-programme activity, on the activity page."""
    found = db.session.scalars(
        select(Edition).where((Edition.activity_id == activity.id) |
                              Edition.course.has(Course.activity_id == activity.id))
        .where(Edition.status.in_(VISIBLE)).order_by(Edition.starts_on)).all()
    if not found:
        return None
    return _("Course editions"), "courses/_activity_section.html", {"editions": found}
