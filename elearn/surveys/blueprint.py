"""URLs of the surveys domain: URL → view, nothing else."""

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/surveys")

blueprints = [bp]

# --- results (issue 16 point 4; helper "results": keep this block last) -----------------------
from . import results_views  # noqa: E402

bp.add_url_rule("/<int:survey_id>/results", "results",
                view_func=results_views.survey_results, methods=["GET"])
bp.add_url_rule("/<int:survey_id>/results/answers/<key>", "results_answers",
                view_func=results_views.survey_answers, methods=["GET"])
bp.add_url_rule("/<int:survey_id>/results.csv", "results_csv",
                view_func=results_views.results_csv, methods=["GET"])
bp.add_url_rule("/<int:survey_id>/results.xlsx", "results_xlsx",
                view_func=results_views.results_xlsx, methods=["GET"])
bp.add_url_rule("/<int:survey_id>/results.pdf", "results_pdf",
                view_func=results_views.results_pdf, methods=["GET"])
bp.add_url_rule("/satisfaction", "satisfaction",
                view_func=results_views.satisfaction, methods=["GET"])
