"""Sign-up, confirmation, log-in, passwords. Views parse the form, call accounts.services,
render. The URLs are listed in blueprint.py; profile pages are in profile_views.py.

Unconfirmed accounts may log in and use the site; every page shows them a banner offering a new
link (templates/accounts/_account_banner.html). Domains that need a proven address (enrolment,
certificates) check `user.is_confirmed`.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.extensions import db, limiter

from . import services
from .forms import ChangePasswordForm, EmailOnlyForm, LoginForm, ResetPasswordForm, SignupForm
from .services import throttle
from .view_helpers import (
    carried_next,
    client_address,
    country_select,
    log_in,
    log_out,
    safe_next_url,
)


def _typed_email_key() -> str:
    return "email:" + services.normalise_email(request.form.get("email", ""))[:254]


def _address_key() -> str:
    return "address:" + client_address()


def _mail_limits(scope: str):
    """Pages that email an address anyone can type: limited per typed address (no mail bombs)
    and per client address."""
    per_email = limiter.limit(lambda: current_app.config["MAIL_LIMIT_PER_EMAIL"],
                              key_func=_typed_email_key, methods=["POST"],
                              scope=f"{scope}-per-email")
    per_address = limiter.limit(lambda: current_app.config["MAIL_LIMIT_PER_ADDRESS"],
                                key_func=_address_key, methods=["POST"],
                                scope=f"{scope}-per-address")
    return lambda view: per_email(per_address(view))


def login():
    form = LoginForm()
    if form.validate_on_submit():
        address = client_address()
        wait = throttle.wait_seconds(form.email.data, address)
        if wait:
            # Even the right password waits: the guesser must not learn it by trying.
            flash(_("Too many failed attempts from your connection. Try again in %(seconds)d "
                    "seconds, or get a reset link by email.", seconds=wait), "error")
            page = render_template("accounts/login.html", form=form, throttled=True)
            return page, 429, {"Retry-After": str(wait)}
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            throttle.record_failure(form.email.data, address)
            flash(_("Wrong email or password."), "error")
            return render_template("accounts/login.html", form=form), 401
        throttle.record_success(form.email.data, address)
        log_in(user)
        db.session.commit()
        return redirect(safe_next_url(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def logout():
    log_out()
    db.session.commit()
    return redirect(url_for("core.home"))


@_mail_limits("signup")
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SignupForm()
    if request.method == "GET":
        form.preferred_language.data = str(get_locale())
    form.country.choices = country_select(str(get_locale()), _("Not given"))
    if form.validate_on_submit():
        if form.country.data and not services.is_valid_country(form.country.data):
            form.country.errors.append(_("Choose a country from the list."))
        else:
            next_path = carried_next()
            user = services.sign_up(
                email=form.email.data, full_name=form.full_name.data,
                password=form.password.data, country=form.country.data or None,
                preferred_language=form.preferred_language.data, next_path=next_path)
            db.session.commit()
            if user is not None and services.mail_shown_on_screen():
                return _link_on_screen(user.email, services.confirmation_path(user, next_path))
            # The same answer whether the address was new or already had an account.
            flash(_("Thank you. We sent a message to %(email)s: open it to confirm your "
                    "address, then log in.", email=services.normalise_email(form.email.data)),
                  "success")
            return redirect(url_for("accounts.login", next=next_path))
    return render_template("accounts/signup.html", form=form), 400 if form.errors else 200


def _link_on_screen(email: str, path: str):
    """Development without a mail server: the confirmation link on the page, since no email
    will carry it (services.mail_shown_on_screen)."""
    return render_template("accounts/confirm_on_screen.html", email=email, link=path)


def confirm_email(token: str):
    try:
        user = services.confirm_email(token)
    except services.TokenError as exc:
        db.session.rollback()
        return render_template("accounts/confirm_invalid.html", expired=exc.expired,
                               form=EmailOnlyForm()), 400
    db.session.commit()
    flash(_("Thank you: your email address %(email)s is confirmed.", email=user.email),
          "success")
    next_path = carried_next()
    if current_user.is_authenticated:
        return redirect(next_path or url_for("accounts.profile"))
    return redirect(url_for("accounts.login", next=next_path))


@_mail_limits("resend")
def resend_confirmation():
    form = EmailOnlyForm()
    if current_user.is_authenticated and request.method == "POST":
        if not current_user.is_confirmed:
            path = services.send_confirmation(current_user, carried_next())
            db.session.commit()
            if services.mail_shown_on_screen():
                return _link_on_screen(current_user.email, path)
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email),
              "success")
        return redirect(url_for("accounts.profile"))
    if form.validate_on_submit():
        path = services.resend_confirmation(form.email.data, carried_next())
        db.session.commit()
        if path and services.mail_shown_on_screen():
            return _link_on_screen(services.normalise_email(form.email.data), path)
        flash(_("If this address has an account waiting for confirmation, we sent a new link "
                "to it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/resend_confirmation.html", form=form), \
        400 if form.errors else 200


@_mail_limits("reset")
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, str(get_locale()))
        db.session.commit()
        # Same page, status and work whether or not the account exists: no user enumeration.
        return render_template("accounts/forgot_password.html", form=form, sent=True)
    return render_template("accounts/forgot_password.html", form=form, sent=False), \
        400 if form.errors else 200


def reset_password(token: str):
    try:
        services.user_for_reset(token)
    except services.TokenError as exc:
        return render_template("accounts/reset_invalid.html", expired=exc.expired), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        log_out()
        # The link proved the address: it signs the owner in whatever the log-in throttle says,
        # so an attacker guessing passwords can never keep the owner out.
        log_in(user)
        db.session.commit()
        flash(_("Your password is changed and you are logged in."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/reset_password.html", form=form), \
        400 if form.errors else 200


@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user=user)
    if form.validate_on_submit():
        if not services.verify_password(user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(user, form.password.data)
            log_in(user)  # a fresh session for this browser; every other one has ended
            db.session.commit()
            flash(_("Your password is changed. You were logged out everywhere else."),
                  "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), \
        400 if form.errors else 200
