"""The attendance domain's URL map: every URL of the `attendance` blueprint and the view that
answers it. Nothing else lives here."""

from flask import Blueprint

from . import views

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

bp = Blueprint("attendance", __name__, url_prefix="/attendance")

# Tickets, and where the ticket's QR code leads.
bp.add_url_rule("/ticket/<int:registration_id>", "ticket", view_func=views.ticket, methods=GET)
bp.add_url_rule("/ticket/<int:registration_id>.pdf", "ticket_pdf", view_func=views.ticket_pdf,
                methods=GET)
bp.add_url_rule("/t/<token>", "scan", view_func=views.scan, methods=GET)

# The sessions of one event, and taking attendance in each.
bp.add_url_rule("/event/<int:event_id>", "event_sessions", view_func=views.event_sessions,
                methods=GET)
bp.add_url_rule("/session/<int:session_id>/check-in", "check_in", view_func=views.check_in,
                methods=BOTH)
bp.add_url_rule("/session/<int:session_id>/check-in/confirm", "confirm_check_in",
                view_func=views.confirm_check_in, methods=POST)
bp.add_url_rule("/session/<int:session_id>/roll-call", "roll_call", view_func=views.roll_call,
                methods=GET)
bp.add_url_rule("/session/<int:session_id>/roll-call/<int:registration_id>", "set_status",
                view_func=views.set_status, methods=POST)
bp.add_url_rule("/session/<int:session_id>/roll-call/late", "record_late",
                view_func=views.record_late, methods=POST)
bp.add_url_rule("/session/<int:session_id>/roll-call/absent", "mark_absent",
                view_func=views.mark_absent, methods=POST)
bp.add_url_rule("/session/<int:session_id>/code", "session_code", view_func=views.session_code,
                methods=BOTH)
bp.add_url_rule("/session/<int:session_id>/self-check-in", "self_check_in",
                view_func=views.self_check_in, methods=BOTH)
bp.add_url_rule("/session/<int:session_id>/import", "import_report",
                view_func=views.import_report, methods=BOTH)

blueprints = (bp,)
