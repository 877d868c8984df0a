"""elearn: the training and event programme platform. `create_app()` builds the Flask app."""

import os

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from . import config as config_module
from .converters import BoundedIntConverter, refuse_nul_characters
from .core import request_log
from .extensions import babel, csrf, db, limiter, login_manager
from .i18n import select_locale, select_timezone
from .migrations_binding import bind_migrations

# Domains in dependency order: each may import from those before it, never after. Every domain
# is always present: a module that fails to import stops the app at start-up.
BLUEPRINTS = [  # each domain's URL map: <domain>/blueprint.py, with its `blueprints`
    "elearn.core.blueprint",
    "elearn.downloads.blueprint",  # shared: prepared files, whose kinds the domains register
    "elearn.accounts.blueprint",
    "elearn.programme.blueprint",
    "elearn.forms.blueprint",
    "elearn.events.blueprint",
    "elearn.attendance.blueprint",
    "elearn.courses.blueprint",
    "elearn.hackathons.blueprint",
    "elearn.outputs.blueprint",
    "elearn.certificates.blueprint",
    "elearn.stats.blueprint",
    "elearn.surveys.blueprint",
    "elearn.reports.blueprint",
    "elearn.home.blueprint",
]
MODEL_MODULES = [
    "elearn.accounts.models",
    "elearn.audit.models",
    "elearn.mail.models",
    "elearn.downloads.models",
    "elearn.programme.models",
    "elearn.forms.models",
    "elearn.forms.rules",
    "elearn.events.models",
    "elearn.attendance.models",
    "elearn.courses.models",
    "elearn.courses.assessment_models",
    "elearn.hackathons.models",
    "elearn.outputs.models",
    "elearn.outputs.services.cleanup",  # outputs' files go with their event, edition...
    "elearn.certificates.models",
    "elearn.stats.models",
    "elearn.stats.rollup",  # the listener keeping the statistics roll-up exact
    "elearn.surveys.models",
    "elearn.surveys.rules",
    "elearn.surveys.hooks",  # a survey for every new event and edition
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
    request_log.install(app)  # first: the request id exists before any other hook can fail
    # Before any blueprint adds a rule: every `<int:...>` then 404s ids no column can hold.
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_nul_characters)  # PostgreSQL cannot take them: 400, not 500
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    config_module.check(app.config)  # every problem named in one error (config.py)
    request_log.configure_logging(app)
    _configure_pdf_fonts(app)
    from .core.proxies import trust_proxies

    trust_proxies(app)  # X-Forwarded-For only from TRUSTED_PROXIES
    from .core.static_assets import add_static_versions

    add_static_versions(app)  # ?v=<content hash>: nginx may cache static files for a year
    from .core.session_cookie import SessionCookie

    app.session_interface = SessionCookie()

    db.init_app(app)
    bind_migrations(app, db, directory=os.path.join(root, "migrations"), render_as_batch=True)
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


def _configure_pdf_fonts(app: Flask) -> None:
    from . import pdf_fonts

    pdf_fonts.configure(pdf_fonts.parse_dirs(app.config.get("PDF_FALLBACK_FONT_DIRS")))
    # A warning, not a refusal: Latin, Greek, Cyrillic, Arabic and Hebrew names print anyway.
    if app.config["ENV_NAME"] == "production":
        warning = config_module.fallback_font_warning(app.config)
        if warning:
            app.logger.warning(warning)


def _register_template_helpers(app: Flask) -> None:
    from flask import request
    from flask_babel import get_locale
    from flask_login import current_user

    from .accounts.permissions import can, has_role
    from .core.redirects import is_safe_path

    def organisation_name() -> str:
        names = app.config.get("ORGANISATION_NAMES") or {}
        return names.get(str(get_locale())) or app.config["ORGANISATION_NAME"]

    def login_next() -> str | None:
        """The page the "Log in" and "Sign up" links bring the person back to: this one, or on
        the account pages the one they were already carrying (sign-up → confirm → log in)."""
        endpoint = request.endpoint or ""
        if endpoint.startswith("accounts."):
            target = request.args.get("next")
            return target if is_safe_path(target) else None
        # A POST-only URL cannot be returned to; from the front page, log-in leads on to the
        # person's own home ("My elearn") rather than back to the public welcome.
        if request.method != "GET" or endpoint == "core.home":
            return None
        here = request.full_path if request.query_string else request.path
        return here if is_safe_path(here) else None

    # Also a global: macros imported without context (language_fieldsets) read it.
    app.jinja_env.globals["languages"] = app.config["LANGUAGES"]

    @app.context_processor
    def inject():
        return {
            "languages": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "can": lambda action, obj: can(current_user, action, obj),
            "has_role": lambda *roles: has_role(current_user, *roles),
            "organisation_name": organisation_name(),
            "nav_links": nav_links,
            "login_next": login_next,
            # The id of this request, on error pages so a person can quote it (request_log.py).
            "request_reference": request_log.request_id,
        }

    nav_links = NAV_LINKS

    @app.template_filter("localised")
    def localised(obj, field: str):
        """A multilingual field of obj in the reader's language, else its main language with
        a note ("(in Spanish)"), as plain text because the filter also fills attributes."""
        from elearn.multilingual import noted_in

        return noted_in(getattr(obj, field, None), str(get_locale()),
                        getattr(obj, "main_language", "es"))


def _register_error_pages(app: Flask) -> None:
    """Every 4xx is the site's own page, in the reader's language, with a way back."""
    from urllib.parse import urlsplit

    from flask import make_response, request, url_for
    from flask_login import current_user
    from flask_wtf.csrf import CSRFError
    from werkzeug.exceptions import HTTPException

    titles = {
        400: _l("The request could not be understood"), 401: _l("Please log in"),
        403: _l("Not allowed"), 404: _l("Page not found"), 405: _l("Not possible here"),
        409: _l("This cannot be done now"), 410: _l("No longer available"),
        413: _l("The file is too large"), 429: _l("Too many attempts"),
        500: _l("Something went wrong"),
    }
    messages = {
        400: _l("The request could not be understood."),
        401: _l("Please log in to see this page."),
        403: _l("You do not have permission to do that."),
        404: _l("This page does not exist."),
        405: _l("This page cannot be used this way. Go back and use the buttons on the page."),
        409: _l("This cannot be done in the current state of things. Go back to see where "
                "it stands."),
        410: _l("This is no longer available."),
        413: _l("The file is too large."),
        429: _l("Too many attempts. Please wait a few minutes and try again."),
    }

    def way_back() -> str | None:
        """The previous page when it was on this site (never another site's address)."""
        referrer = request.referrer or ""
        parts = urlsplit(referrer)
        if not referrer or parts.netloc != request.host or parts.scheme not in ("http", "https"):
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return path if path != request.full_path.rstrip("?") else None

    def page(code: int, message, error=None):
        here = request.full_path.rstrip("?") if request.method == "GET" else None
        login = None
        if code in (401, 403) and not current_user.is_authenticated:
            login = url_for("accounts.login", next=here)
        body = render_template("error.html", code=code, title=titles.get(code, code),
                               message=message, back=way_back(), login_link=login)
        response = make_response(body, code)
        if isinstance(error, HTTPException):
            for name, value in error.get_headers():
                if name.lower() != "content-type":  # e.g. Allow on 405
                    response.headers[name] = value
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return page(400, _l("The form expired or was not sent from this site. Please try "
                            "again."), e)

    def handler(code: int):
        return lambda e: page(code, messages[code], e)

    for code in messages:
        app.register_error_handler(code, handler(code))

    @app.errorhandler(500)
    def server_error(e):
        """Our fault: the page says so and gives the reference the log line carries. Drawn
        without the database if need be (the failure may be the database)."""
        from markupsafe import escape

        from .extensions import db

        reference = request_log.request_id()
        try:
            db.session.rollback()
            return page(500, _l("Something went wrong on our side. Please try again in a few "
                                "minutes."))
        except Exception:
            app.logger.exception("the error page could not be drawn")
            return (f"<!doctype html><title>Error 500</title><h1>Error 500</h1>"
                    f"<p>Reference: {escape(reference)}</p>", 500)
