"""elearn: the training and event programme platform. `create_app()` builds the Flask app."""

import logging
import os

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from . import config as config_module
from .converters import BoundedIntConverter, refuse_nul_characters
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .i18n import select_locale, select_timezone

# Domains in dependency order: each may import from those before it, never after. Every domain
# is always present: a module that fails to import stops the app at start-up.
BLUEPRINTS = [  # each domain's URL map: <domain>/blueprint.py, with its `blueprints`
    "elearn.core.blueprint",
    "elearn.accounts.blueprint",
    "elearn.programme.blueprint",
    "elearn.events.blueprint",
    "elearn.attendance.blueprint",
    "elearn.courses.blueprint",
    "elearn.hackathons.blueprint",
    "elearn.certificates.blueprint",
    "elearn.stats.blueprint",
    "elearn.home.blueprint",
]
MODEL_MODULES = [
    "elearn.accounts.models",
    "elearn.audit.models",
    "elearn.mail.models",
    "elearn.programme.models",
    "elearn.events.models",
    "elearn.attendance.models",
    "elearn.courses.models",
    "elearn.courses.assessment_models",
    "elearn.hackathons.models",
    "elearn.certificates.models",
    "elearn.stats.models",
    "elearn.stats.rollup",  # the listener keeping the statistics roll-up exact
]
# Main navigation: (endpoint, label).
NAV_LINKS = [
    ("events.catalogue", _l("Events")),
    ("courses.catalogue", _l("Courses")),
    ("hackathons.index", _l("Hackathon")),
    ("stats.public_index", _l("Statistics")),
    ("certificates.verify_form", _l("Verify a certificate")),
]


def create_app(config: dict | None = None) -> Flask:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    # Before any blueprint adds a rule: every `<int:...>` then 404s ids no column can hold.
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_nul_characters)  # PostgreSQL cannot take them: 400, not 500
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    config_module.check(app.config)
    logging.basicConfig(level=logging.INFO)
    from .core.proxies import trust_proxies

    trust_proxies(app)  # X-Forwarded-For only from TRUSTED_PROXIES

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(root, "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    import importlib

    for module in MODEL_MODULES:
        importlib.import_module(module)
    for module in BLUEPRINTS:
        for blueprint in importlib.import_module(module).blueprints:
            app.register_blueprint(blueprint)

    from .cli import register_cli
    from .mail.services import deliver_committed

    register_cli(app)
    _register_template_helpers(app)
    _register_error_pages(app)

    @app.after_request
    def _send_committed_mail(response):
        # Only hands the committed messages over (a thread or an RQ job, per MAIL_DELIVERY):
        # the response never waits for the mail server.
        deliver_committed()
        return response

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if app.config["ENV_NAME"] == "production":
            # Production is served over HTTPS only: browsers must never fall back to HTTP.
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response

    return app


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale
    from flask_login import current_user

    from .accounts.permissions import can, has_role

    @app.context_processor
    def inject():
        return {
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "can": lambda action, obj: can(current_user, action, obj),
            "has_role": lambda *roles: has_role(current_user, *roles),
            "organisation_name": app.config["ORGANISATION_NAME"],
            "nav_links": nav_links,
        }

    nav_links = NAV_LINKS

    @app.template_filter("localised")
    def localised(obj, field: str):
        """obj.<field>_<lang> in the viewer's language, falling back to English."""
        lang = str(get_locale())
        return getattr(obj, f"{field}_{lang}", None) or getattr(obj, f"{field}_en", "")


def _register_error_pages(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    def page(code: int, message):
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(400)
    def bad_request(e):
        return page(400, _l("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return page(400, _l("The form expired or was not sent from this site. Please try again."))

    @app.errorhandler(403)
    def forbidden(e):
        return page(403, _l("You do not have permission to do that."))

    @app.errorhandler(404)
    def not_found(e):
        return page(404, _l("This page does not exist."))

    @app.errorhandler(413)
    def too_large(e):
        return page(413, _l("The file is too large."))

    @app.errorhandler(429)
    def too_many(e):
        return page(429, _l("Too many attempts. Please wait a few minutes and try again."))
