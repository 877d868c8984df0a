"""The outputs domain's URL map. Importing it also lends the outputs to lower domains' pages
(template helpers, the activity page's sections: view_helpers.py). Endpoint names are
`outputs.<name>`."""

from flask import Blueprint

from . import views
from .labels import file_facts
from .view_helpers import register, template_helpers

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

bp = Blueprint("outputs", __name__)
bp.app_context_processor(template_helpers)
bp.add_app_template_filter(file_facts, "file_facts")

# Managing the outputs of an activity, an event (and its sessions) or an edition.
bp.add_url_rule("/outputs/<owner_type>/<int:owner_id>", "manage", view_func=views.manage,
                methods=BOTH)
bp.add_url_rule("/outputs/<int:output_id>/delete", "delete", view_func=views.delete,
                methods=POST)
bp.add_url_rule("/outputs/<int:output_id>/file", "download", view_func=views.download,
                methods=GET)
# Planned against done (programme managers).
bp.add_url_rule("/programme/progress", "progress", view_func=views.progress, methods=GET)
bp.add_url_rule("/programme/activities/<int:activity_id>/status", "activity_status",
                view_func=views.activity_status, methods=BOTH)

register()

blueprints = (bp,)
