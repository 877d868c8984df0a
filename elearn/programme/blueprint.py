"""The programme domain's URL map: the public pages of the work programme under /programme.
Endpoint names are `programme.<name>`."""

from flask import Blueprint

from . import views

bp = Blueprint("programme", __name__, url_prefix="/programme")

bp.add_url_rule("/", "index", view_func=views.index, methods=["GET"])
bp.add_url_rule("/activities/<path_code>", "activity", view_func=views.activity, methods=["GET"])
bp.add_url_rule("/sdgs/", "sdgs", view_func=views.sdgs, methods=["GET"])
bp.add_url_rule("/sdgs/<int:number>", "sdg", view_func=views.sdg, methods=["GET"])

blueprints = (bp,)
