"""The reports domain's URL map: the annual report to member states under /reports. Endpoint
names are `reports.<name>`; a period is a year of the work programme or "2022-2026"."""

from flask import Blueprint

from . import views

bp = Blueprint("reports", __name__)

bp.add_url_rule("/reports/", "index", view_func=views.index, methods=["GET"])
bp.add_url_rule("/reports/generate", "generate", view_func=views.generate, methods=["GET"])
bp.add_url_rule("/reports/<period>", "show", view_func=views.show, methods=["GET"])
bp.add_url_rule("/reports/<period>/report.pdf", "pdf", view_func=views.pdf, methods=["GET"])
bp.add_url_rule("/reports/<period>/report.docx", "docx", view_func=views.docx, methods=["GET"])
bp.add_url_rule("/reports/<period>/annex.<fmt>", "annex", view_func=views.annex,
                methods=["GET"])

blueprints = (bp,)
