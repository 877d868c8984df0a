"""Site-wide pages: home, language switcher, health and readiness probes. URLs are listed in
blueprint.py."""

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from elearn.extensions import db

from . import health
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


def healthz():
    """The process is alive and answers; touches nothing else (the load balancer's probe)."""
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}


def readyz():
    """Ready to serve: database, migrations at head, Redis and a worker when configured.
    503 names the failing checks (core/health.py); nothing secret is shown."""
    report = health.readiness(current_app.config, db.engine,
                              current_app.extensions["migrate"].directory)
    status = 200 if report["status"] == "ok" else 503
    return report, status, {"Cache-Control": "no-store"}
