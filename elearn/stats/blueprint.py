"""The stats domain's URL map: staff dashboards and exports under /stats, published figures
under /statistics. Endpoint names are `stats.<name>`."""

from flask import Blueprint

from . import views

bp = Blueprint("stats", __name__)

# staff: a scope is all | programme | event | edition | hackathon (view_helpers.SCOPES)
bp.add_url_rule("/stats/", "dashboard", view_func=views.dashboard, methods=["GET"],
                defaults={"scope": "all", "obj_id": 0})
bp.add_url_rule("/stats/<scope>/<int(min=0):obj_id>", "dashboard", view_func=views.dashboard,
                methods=["GET"])
bp.add_url_rule("/stats/event/<int:event_id>", "event_dashboard",
                view_func=views.event_dashboard, methods=["GET"])
bp.add_url_rule("/stats/<scope>/<int(min=0):obj_id>/export.csv", "export_csv",
                view_func=views.export_csv, methods=["GET"])
bp.add_url_rule("/stats/<scope>/<int(min=0):obj_id>/export.xlsx", "export_xlsx",
                view_func=views.export_xlsx, methods=["GET"])
bp.add_url_rule("/stats/event/<int:event_id>/summary.pdf", "event_pdf",
                view_func=views.event_pdf, methods=["GET"])
bp.add_url_rule("/stats/event/<int:event_id>/public", "toggle_public",
                view_func=views.toggle_public, methods=["POST"])
bp.add_url_rule("/stats/<scope>/<int(min=0):obj_id>/publish", "publish",
                view_func=views.publish, methods=["POST"])
# public
bp.add_url_rule("/statistics/", "public_index", view_func=views.public_index, methods=["GET"])
bp.add_url_rule("/statistics/event/<int:event_id>", "public_event",
                view_func=views.public_event, methods=["GET"])
bp.add_url_rule("/statistics/edition/<int:edition_id>", "public_edition",
                view_func=views.public_edition, methods=["GET"])

blueprints = (bp,)
