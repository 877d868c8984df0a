"""The events domain's URL map: every URL of the `events`, `organise` and `calendar`
blueprints, and the view that answers it. Nothing else lives here."""

from flask import Blueprint

from . import (
    calendar_views,
    dashboard_views,
    organiser_views,
    question_views,
    reply_views,
    views,
)
from .view_helpers import in_event_zone, in_viewer_zone, labels, session_title

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

# --- participants: /events ------------------------------------------------------------------
events = Blueprint("events", __name__, url_prefix="/events")
events.add_app_template_filter(in_event_zone, "in_event_zone")
events.add_app_template_filter(in_viewer_zone, "in_viewer_zone")
events.add_app_template_filter(session_title, "session_title")
events.app_context_processor(labels)

events.add_url_rule("/", "catalogue", view_func=views.catalogue, methods=GET)
events.add_url_rule("/<int:event_id>", "detail", view_func=views.detail, methods=GET)
events.add_url_rule("/<int:event_id>/register", "register", view_func=views.register,
                    methods=POST)
events.add_url_rule("/<int:event_id>/cancel", "cancel", view_func=views.cancel, methods=POST)
events.add_url_rule("/<int:event_id>/mode", "switch_mode", view_func=views.switch_mode,
                    methods=POST)
events.add_url_rule("/<int:event_id>/answers", "answers", view_func=views.answers,
                    methods=BOTH)
events.add_url_rule("/mine", "mine", view_func=views.mine, methods=GET)
# Answering an invitation from the email's links, without logging in (a signed token).
events.add_url_rule("/reply/<token>/attend", "reply_attend", view_func=reply_views.reply_attend,
                    methods=BOTH)
events.add_url_rule("/reply/<token>/decline", "reply_decline",
                    view_func=reply_views.reply_decline, methods=BOTH)

# --- organisers: /organise ------------------------------------------------------------------
organise = Blueprint("organise", __name__, url_prefix="/organise")

organise.add_url_rule("/events", "my_events", view_func=organiser_views.my_events,
                      methods=GET)
organise.add_url_rule("/events/new", "new_event", view_func=organiser_views.new_event,
                      methods=BOTH)
organise.add_url_rule("/events/<int:event_id>/edit", "edit_event",
                      view_func=organiser_views.edit_event, methods=BOTH)
organise.add_url_rule("/events/<int:event_id>/publish", "publish",
                      view_func=organiser_views.publish, methods=POST)
organise.add_url_rule("/events/<int:event_id>/cancel", "cancel",
                      view_func=organiser_views.cancel, methods=POST)
organise.add_url_rule("/events/<int:event_id>/complete", "complete",
                      view_func=organiser_views.complete, methods=POST)
organise.add_url_rule("/events/<int:event_id>/sessions", "sessions",
                      view_func=organiser_views.sessions, methods=BOTH)
organise.add_url_rule("/sessions/<int:session_id>/edit", "edit_session",
                      view_func=organiser_views.edit_session, methods=BOTH)
organise.add_url_rule("/sessions/<int:session_id>/remove", "remove_session",
                      view_func=organiser_views.remove_session, methods=POST)

# The dashboard of one event: registrations, decisions, panel, exports, email.
organise.add_url_rule("/events/<int:event_id>", "dashboard",
                      view_func=dashboard_views.dashboard, methods=GET)
organise.add_url_rule("/registrations/<int:registration_id>/approve", "approve",
                      view_func=dashboard_views.approve, methods=POST)
organise.add_url_rule("/registrations/<int:registration_id>/reject", "reject",
                      view_func=dashboard_views.reject, methods=BOTH)
organise.add_url_rule("/events/<int:event_id>/decide", "bulk_decide",
                      view_func=dashboard_views.bulk_decide, methods=POST)
organise.add_url_rule("/registrations/<int:registration_id>/move", "move",
                      view_func=dashboard_views.move, methods=POST)
organise.add_url_rule("/registrations/<int:registration_id>", "registration",
                      view_func=dashboard_views.registration, methods=GET)
organise.add_url_rule("/registrations/<int:registration_id>/cancel", "cancel_registration",
                      view_func=dashboard_views.cancel_registration, methods=POST)
organise.add_url_rule("/registrations/<int:registration_id>/role", "set_role",
                      view_func=dashboard_views.set_role, methods=POST)
organise.add_url_rule("/events/<int:event_id>/speakers", "add_speaker",
                      view_func=dashboard_views.add_speaker, methods=POST)
organise.add_url_rule("/events/<int:event_id>/organisers", "add_organiser",
                      view_func=dashboard_views.add_organiser, methods=POST)
organise.add_url_rule("/events/<int:event_id>/registrations.csv", "export_csv",
                      view_func=dashboard_views.export_csv, methods=GET)
organise.add_url_rule("/events/<int:event_id>/registrations.xlsx", "export_xlsx",
                      view_func=dashboard_views.export_xlsx, methods=GET)
organise.add_url_rule("/events/<int:event_id>/questions", "add_questions",
                      view_func=question_views.add_questions, methods=POST)
organise.add_url_rule("/events/<int:event_id>/questions/remove", "remove_questions",
                      view_func=question_views.remove_questions, methods=POST)
organise.add_url_rule("/events/<int:event_id>/email", "email",
                      view_func=dashboard_views.email, methods=BOTH)

# --- calendar files, subscriptions, joining online, video settings -------------------------
calendar = Blueprint("calendar", __name__)

calendar.add_url_rule("/events/<int:event_id>/calendar.ics", "event_ics",
                      view_func=calendar_views.event_ics, methods=GET)
calendar.add_url_rule("/calendar/<token>.ics", "feed", view_func=calendar_views.feed,
                      methods=GET)
calendar.add_url_rule("/calendar/feed", "feed_settings",
                      view_func=calendar_views.feed_settings, methods=BOTH)
calendar.add_url_rule("/events/<int:event_id>/join", "join", view_func=calendar_views.join,
                      methods=GET)
calendar.add_url_rule("/organise/events/<int:event_id>/video", "video_settings",
                      view_func=calendar_views.video_settings, methods=BOTH)

blueprints = (events, organise, calendar)
