"""The core domain's URL map: site-wide pages."""

from flask import Blueprint

from . import views

bp = Blueprint("core", __name__)

bp.add_url_rule("/", "home", view_func=views.home, methods=["GET"])
bp.add_url_rule("/language", "set_language", view_func=views.set_language, methods=["POST"])
bp.add_url_rule("/health", "health", view_func=views.health, methods=["GET"])

blueprints = (bp,)
