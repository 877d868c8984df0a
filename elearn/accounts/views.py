"""Sign-up, log-in, profile. Views parse the form, call accounts.services, render."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from elearn.extensions import db, login_manager

from . import services
from .forms import LoginForm
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


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
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


@bp.get("/signup")
def signup():
    return render_template("accounts/login.html", form=LoginForm())


@bp.get("/profile")
@login_required
def profile():
    return render_template("error.html", code=200, message=current_user.display_name)
