"""Edition settings page for its staff: the form is parsed here, the rules are in
services.settings."""

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.permissions import require
from elearn.extensions import db
from elearn.multilingual_forms import fill_language_fields

from .errors import CourseError
from .forms import EditionSettingsForm
from .models import Edition
from .services import settings
from .view_helpers import edition_values, get_or_404, refused


def _fill(form: EditionSettingsForm, edition: Edition) -> None:
    fill_language_fields(form, "name", edition.name)
    for field in ("starts_on", "ends_on", "timezone", "language", "capacity",
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


@login_required
def edition_settings(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    require("teach", edition)
    form = EditionSettingsForm()
    status = 200
    if form.validate_on_submit():
        try:
            settings.update(edition, edition_values(form), actor=current_user)
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
