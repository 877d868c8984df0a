"""The downloads package's URL map: a prepared file, asking for it again, and the person's
list. Endpoint names are `downloads.<name>`."""

from flask import Blueprint

from . import views

bp = Blueprint("downloads", __name__)

bp.add_url_rule("/downloads/", "mine", view_func=views.mine, methods=["GET"])
bp.add_url_rule("/downloads/<int:download_id>", "show", view_func=views.show, methods=["GET"])
bp.add_url_rule("/downloads/<int:download_id>/again", "again", view_func=views.again,
                methods=["POST"])

blueprints = (bp,)
