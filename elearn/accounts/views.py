"""Sign-up, confirmation, log-in, passwords. Views parse the form, call accounts.services,
render. Profile pages are in profile_views.py (same blueprint).

Unconfirmed accounts may log in and use the site; every page shows them a banner offering a new
link (templates/accounts/_account_banner.html). Domains that need a proven address (enrolment,
certificates) check `user.is_confirmed`.
"""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from elearn.extensions import db, limiter, login_manager

from . import services
from .forms import ChangePasswordForm, EmailOnlyForm, LoginForm, ResetPasswordForm, SignupForm
from .models import User

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(session_id: str):
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or str(user.session_version) != version:
        return None
    return user


@bp.before_app_request
def _forget_cached_user():
    # Flask-Login caches the user on `g`; when one app context spans several requests (the test
    # suite keeps one open), that cache would let one client act as another's user.
    g.pop("_login_user", None)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("core.home")


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _address_key() -> str:
    return "address:" + (get_remote_address() or "unknown")


def _failed_login(response) -> bool:
    return response.status_code == 401


# Only failed attempts count: a person who logs in and out often is never locked out.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
               methods=["POST"], deduct_when=_failed_login, scope="per-account")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=_address_key,
               methods=["POST"], deduct_when=_failed_login, scope="per-address")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("Wrong email or password."), "error")
            return render_template("accounts/login.html", form=form), 401
        db.session.commit()
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("core.home"))


def country_select(language: str, blank_label: str) -> list[SelectChoice]:
    """The country <select>: a blank option, member states first, then the other countries."""
    choices = [SelectChoice("", blank_label)]
    for group, options in services.country_choices(language):
        choices.extend(SelectChoice(code, name, optgroup=str(group)) for code, name in options)
    return choices


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = SignupForm()
    if request.method == "GET":
        form.preferred_language.data = str(get_locale())
    form.country.choices = country_select(str(get_locale()), _("Not given"))
    status = 200
    if form.validate_on_submit():
        if form.country.data and not services.is_valid_country(form.country.data):
            form.country.errors.append(_("Choose a country from the list."))
        else:
            try:
                user = services.register(
                    email=form.email.data, full_name=form.full_name.data,
                    password=form.password.data, country=form.country.data or None,
                    preferred_language=form.preferred_language.data)
            except services.EmailTaken:
                db.session.rollback()
                form.email.errors.append(_(
                    "An account with this email address already exists. Log in, or reset "
                    "your password if you forgot it."))
                status = 409
            else:
                db.session.commit()
                login_user(user)
                flash(_("Welcome! We sent a link to %(email)s: open it to confirm your address.",
                        email=user.email), "success")
                return redirect(url_for("accounts.profile"))
    if form.errors and status == 200:
        status = 400
    return render_template("accounts/signup.html", form=form), status


@bp.get("/confirm/<token>")
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
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    return redirect(url_for("accounts.login"))


@bp.route("/confirm/resend", methods=["GET", "POST"])
def resend_confirmation():
    form = EmailOnlyForm()
    if current_user.is_authenticated and request.method == "POST":
        if not current_user.is_confirmed:
            services.send_confirmation(current_user)
            db.session.commit()
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email),
              "success")
        return redirect(url_for("accounts.profile"))
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        db.session.commit()
        flash(_("If this address has an account waiting for confirmation, we sent a new link "
                "to it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/resend_confirmation.html", form=form), \
        400 if form.errors else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=_address_key,
               methods=["POST"], scope="reset-per-address")
def forgot_password():
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # Same page and status whether or not the account exists: no user enumeration.
        return render_template("accounts/forgot_password.html", form=form, sent=True)
    return render_template("accounts/forgot_password.html", form=form, sent=False), \
        400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        services.user_for_reset(token)
    except services.TokenError as exc:
        return render_template("accounts/reset_invalid.html", expired=exc.expired), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is changed. You can log in with it now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), \
        400 if form.errors else 200


@bp.route("/password/change", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(user=user)
    if form.validate_on_submit():
        if not services.verify_password(user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(user, form.password.data)
            db.session.commit()
            login_user(user)  # the new session version: this session stays, the others end
            flash(_("Your password is changed. You were logged out everywhere else."),
                  "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), \
        400 if form.errors else 200


from . import profile_views  # noqa: E402,F401  (registers the profile pages on bp)
