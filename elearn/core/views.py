"""Site-wide pages: home, language switcher, health check. URLs are listed in blueprint.py."""

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from elearn.extensions import db

from .redirects import safe_next


def home():
    return render_template("core/home.html")


def set_language():
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["language"] = language
    if current_user.is_authenticated:
        current_user.preferred_language = language
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("core.home")))


def health():
    return {"status": "ok"}
