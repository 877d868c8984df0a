"""What the outputs domain lends to the pages of lower domains (the activity page, the event's
page, the personal pages, the edition's pages), which may not import it: template helpers and
the activity page's sections, registered by blueprint.py."""

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from elearn.extensions import db
from elearn.multilingual import noted_in
from elearn.programme.services import register_activity_section

from . import services
from .labels import (
    KIND_LABELS,
    LANGUAGE_LABELS,
    STATUS_LABELS,
    VISIBILITY_LABELS,
    file_facts,
)
from .models import Output
from .rules import may_manage_owner


def found_output(output_id: int) -> Output:
    return db.session.get(Output, output_id) or abort(404)


def template_helpers() -> dict:
    return {
        "event_outputs": lambda event: services.outputs_of_event(event, current_user),
        "edition_outputs": lambda edition: services.outputs_of_edition(edition, current_user),
        "my_event_outputs": lambda: services.outputs_for_participant(current_user),
        "may_manage_outputs": lambda owner: may_manage_owner(current_user, owner),
        "output_kind_labels": KIND_LABELS,
        "output_visibility_labels": VISIBILITY_LABELS,
        "output_language_labels": LANGUAGE_LABELS,
        "activity_status_labels": STATUS_LABELS,
        # A text of a progress row ({"es": …}) as the reader sees it (with its note).
        "row_text": lambda row, field="title": noted_in(row.get(field), None,
                                                        row.get("language") or "es"),
    }


def activity_outputs_section(activity):
    outputs = services.outputs_of_activity(activity, current_user)
    if not outputs and not may_manage_owner(current_user, activity):
        return None
    return _l("Materials and outputs"), "outputs/_activity_outputs.html", {"outputs": outputs}


def activity_progress_section(activity):
    progress = services.progress_of_activity(activity.id)
    if progress is None:
        return None
    return _l("Progress"), "outputs/_activity_progress.html", {"progress": progress}


def register() -> None:
    register_activity_section(activity_progress_section)
    register_activity_section(activity_outputs_section)


__all__ = ["file_facts", "found_output", "register", "template_helpers"]
