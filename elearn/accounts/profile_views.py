"""The person's own pages: profile, edit, download my data, erase my account. URLs are listed
in blueprint.py."""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.extensions import db

from . import services
from .forms import ChangeEmailForm, EraseForm, ProfileForm
from .labels import GENDER_PROFILE_LABELS, SECTOR_PROFILE_LABELS, label
from .time_zones import zone_label
from .view_helpers import country_select, log_out


@login_required
def profile():
    user = current_user
    return render_template(
        "accounts/profile.html", user=user,
        country=services.country_name(user.country, str(get_locale())),
        gender=label(GENDER_PROFILE_LABELS, user.gender) if user.gender else None,
        sector=label(SECTOR_PROFILE_LABELS, user.sector) if user.sector else None,
        timezone=zone_label(user.timezone) if user.timezone else None,
    )


@login_required
def edit_profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if not form.is_submitted():
        form.gender.data = user.gender.value if user.gender else ""
        form.sector.data = user.sector.value if user.sector else ""
        form.country.data = user.country or ""
        form.stats_consent.data = user.stats_consent_at is not None
    form.country.choices = country_select(str(get_locale()), _("Not given"))
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.profile.PROFILE_FIELDS}
        try:
            services.update_profile(user, values)
        except services.ProfileError as exc:
            db.session.rollback()
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            services.set_stats_consent(user, form.stats_consent.data)
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    low, high = services.year_of_birth_range()
    return render_template("accounts/profile_edit.html", form=form,
                           year_low=low, year_high=high), \
        400 if form.errors else 200


@login_required
def change_email():
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    status = 200
    if form.validate_on_submit():
        if not services.verify_password(user, form.password.data):
            form.password.errors.append(_("This is not your current password."))
        else:
            try:
                new_email = services.request_email_change(user, form.email.data)
            except services.EmailTaken:
                db.session.rollback()
                form.email.errors.append(_("This address is already used by an account."))
                status = 409
            else:
                db.session.commit()
                flash(_("We sent a link to %(email)s. Your address changes when you open it.",
                        email=new_email), "success")
                return redirect(url_for("accounts.profile"))
    if form.errors and status == 200:
        status = 400
    return render_template("accounts/change_email.html", form=form), status


def confirm_email_change(token: str):
    try:
        user = services.confirm_email_change(token)
    except (services.TokenError, services.EmailTaken):
        db.session.rollback()
        return render_template("accounts/change_email_invalid.html"), 400
    db.session.commit()
    flash(_("Your email address is now %(email)s.", email=user.email), "success")
    return redirect(url_for("accounts.profile"))


@login_required
def my_data():
    body = json.dumps(services.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="my-data-{current_user.id}.json"'})


@login_required
def erase():
    user = current_user._get_current_object()
    form = EraseForm()
    if form.validate_on_submit():
        if not services.verify_password(user, form.password.data):
            form.password.errors.append(_("This is not your current password."))
        else:
            services.erase_user(user)
            log_out()
            db.session.commit()
            flash(_("Your account is erased. Thank you for taking part."), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/erase.html", form=form), 400 if form.errors else 200
