"""The core domain's URL map: site-wide pages."""

from flask import Blueprint

from . import views

bp = Blueprint("core", __name__)

bp.add_url_rule("/", "home", view_func=views.home, methods=["GET"])
bp.add_url_rule("/language", "set_language", view_func=views.set_language, methods=["POST"])
# /health is the older name of /healthz (the benchmarks wait on it).
bp.add_url_rule("/health", "health", view_func=views.healthz, methods=["GET"])
bp.add_url_rule("/healthz", "healthz", view_func=views.healthz, methods=["GET"])
bp.add_url_rule("/readyz", "readyz", view_func=views.readyz, methods=["GET"])

blueprints = (bp,)
