"""Edition settings page for its staff: the form is parsed here, the rules are in
services.settings."""

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.permissions import require
from elearn.extensions import db
from elearn.i18n import is_valid_timezone

from .errors import CourseError
from .forms import EditionSettingsForm
from .models import Edition
from .services import settings
from .views import bp, get_or_404, refused


def _fill(form: EditionSettingsForm, edition: Edition) -> None:
    for field in ("name", "starts_on", "ends_on", "timezone", "language", "capacity",
                  "eligible_subregions", "eligible_sectors", "public_officials_only",
                  "min_grade", "require_required_passed", "require_final_passed"):
        getattr(form, field).data = getattr(edition, field)
    zone = ZoneInfo(edition.timezone)
    for field in ("applications_open_at", "applications_close_at"):
        value = getattr(edition, field)
        getattr(form, field).data = value.astimezone(zone).replace(tzinfo=None) if value else None
    form.eligible_countries.data = ", ".join(edition.eligible_countries or [])
    share = edition.min_attendance_share
    form.min_attendance_percent.data = None if share is None else round(share * 100)


def _values(form: EditionSettingsForm) -> dict:
    tz = form.timezone.data.strip()
    zone = ZoneInfo(tz) if is_valid_timezone(tz) else ZoneInfo("UTC")

    def aware(value):
        return value.replace(tzinfo=zone) if value else None

    percent = form.min_attendance_percent.data
    return {
        "name": form.name.data, "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
        "timezone": tz, "language": form.language.data, "capacity": form.capacity.data,
        "applications_open_at": aware(form.applications_open_at.data),
        "applications_close_at": aware(form.applications_close_at.data),
        "eligible_countries": (form.eligible_countries.data or "").split(","),
        "eligible_subregions": form.eligible_subregions.data,
        "eligible_sectors": form.eligible_sectors.data,
        "public_officials_only": form.public_officials_only.data,
        "min_grade": form.min_grade.data,
        "min_attendance_share": None if percent is None else percent / 100,
        "require_required_passed": form.require_required_passed.data,
        "require_final_passed": form.require_final_passed.data,
    }


@bp.route("/editions/<int:edition_id>/settings", methods=["GET", "POST"])
@login_required
def edition_settings(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    require("teach", edition)
    form = EditionSettingsForm()
    status = 200
    if form.validate_on_submit():
        try:
            settings.update(edition, _values(form), actor=current_user)
        except CourseError as exc:
            status = refused(exc)
        else:
            db.session.commit()
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("courses.edition", edition_id=edition.id))
    elif form.is_submitted():
        status = 400
    else:
        _fill(form, edition)
    return render_template("courses/settings.html", edition=edition, form=form), status
