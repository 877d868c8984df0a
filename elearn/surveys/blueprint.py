"""The surveys domain's URL map: URL → view, nothing else."""

from flask import Blueprint

from . import answer_views, views

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

surveys = Blueprint("surveys", __name__, url_prefix="/surveys")
surveys.app_context_processor(answer_views.survey_helpers)

# Organisers: one page per evaluated thing (settings, status, counts, "send now").
surveys.add_url_rule("/event/<int:event_id>", "event_settings",
                     view_func=views.event_settings, methods=BOTH)
surveys.add_url_rule("/edition/<int:edition_id>", "edition_settings",
                     view_func=views.edition_settings, methods=BOTH)
surveys.add_url_rule("/hackathon/<int:hackathon_id>", "hackathon_settings",
                     view_func=views.hackathon_settings, methods=BOTH)
surveys.add_url_rule("/event/<int:event_id>/send", "event_send",
                     view_func=views.event_send, methods=POST)
surveys.add_url_rule("/edition/<int:edition_id>/send", "edition_send",
                     view_func=views.edition_send, methods=POST)
surveys.add_url_rule("/hackathon/<int:hackathon_id>/send", "hackathon_send",
                     view_func=views.hackathon_send, methods=POST)

# Participants: the personal link of the email (no log-in), or from their own pages.
surveys.add_url_rule("/answer/<token>", "answer", view_func=answer_views.answer_by_link,
                     methods=BOTH)
surveys.add_url_rule("/event/<int:event_id>/answer", "answer_event",
                     view_func=answer_views.answer_event, methods=BOTH)
surveys.add_url_rule("/edition/<int:edition_id>/answer", "answer_edition",
                     view_func=answer_views.answer_edition, methods=BOTH)
surveys.add_url_rule("/hackathon/<int:hackathon_id>/answer", "answer_hackathon",
                     view_func=answer_views.answer_hackathon, methods=BOTH)

blueprints = [surveys]

# --- results (issue 16 point 4; helper "results": keep this block last) -----------------------
from . import results_views  # noqa: E402

surveys.add_url_rule("/<int:survey_id>/results", "results",
                     view_func=results_views.survey_results, methods=["GET"])
surveys.add_url_rule("/<int:survey_id>/results/answers/<key>", "results_answers",
                     view_func=results_views.survey_answers, methods=["GET"])
surveys.add_url_rule("/<int:survey_id>/results.csv", "results_csv",
                     view_func=results_views.results_csv, methods=["GET"])
surveys.add_url_rule("/<int:survey_id>/results.xlsx", "results_xlsx",
                     view_func=results_views.results_xlsx, methods=["GET"])
surveys.add_url_rule("/<int:survey_id>/results.pdf", "results_pdf",
                     view_func=results_views.results_pdf, methods=["GET"])
surveys.add_url_rule("/satisfaction", "satisfaction",
                     view_func=results_views.satisfaction, methods=["GET"])
