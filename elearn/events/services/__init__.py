"""Event rules. Import from here: `from elearn.events.services import ...`.

Topics: events (details, agenda, publication), registration (seats, waiting list, approval),
notifications (emails, reminders), dashboard (organiser reads), exports, catalogue.
"""

from .bulk import BulkOutcome, bulk_decide, seat_forecast, selected_registrations
from .catalogue import CatalogueFilter, catalogue_page, programme_choices
from .common import Conflict, EventError, capacity_of, mode_label, modes_of, seats_left
from .dashboard import (
    RegistrationFilter,
    pending_list,
    registrations,
    registrations_page,
    registrations_query,
    status_counts,
    waiting_list,
)
from .events import (
    add_organiser,
    add_session,
    announce_changes,
    cancel_event,
    cancel_problem,
    complete_event,
    create_event,
    events_organised_by,
    local_to_utc,
    may_create_events,
    people_to_tell,
    publish_event,
    remove_session,
    update_event,
    update_session,
    utc_to_local,
)
from .exports import registrations_csv, registrations_xlsx
from .notifications import email_registrants, send_reminders, sent_messages
from .questions import (
    add_questions,
    answer_choices,
    answers_of,
    answers_problem,
    asked_version,
    change_answers,
    reads_sensitive,
    register_with_answers,
    remove_questions,
)
from .registration import (
    ACTIVE,
    approve,
    cancel_for_participant,
    cancel_registration,
    eligibility_problem,
    fill_from_waitlist,
    holds_seat,
    move_mode,
    register,
    registration_of,
    registration_window_problem,
    reject,
    take_seat,
)
from .roles import PANEL_ROLES, add_speaker, set_role
from .switching import NoSeat, switch_mode, switch_problem

__all__ = [
    "add_questions", "answer_choices", "answers_of", "answers_problem", "asked_version",
    "change_answers", "reads_sensitive", "register_with_answers", "remove_questions",
    "BulkOutcome", "NoSeat", "bulk_decide", "seat_forecast", "selected_registrations",
    "switch_mode", "switch_problem",
    "ACTIVE", "CatalogueFilter", "Conflict", "EventError", "PANEL_ROLES", "RegistrationFilter",
    "add_organiser", "add_speaker", "cancel_for_participant", "holds_seat", "set_role",
    "add_session", "announce_changes", "approve", "cancel_event", "cancel_problem",
    "cancel_registration", "people_to_tell",
    "capacity_of",
    "catalogue_page", "complete_event", "create_event", "eligibility_problem",
    "email_registrants", "events_organised_by", "fill_from_waitlist", "local_to_utc",
    "sent_messages",
    "may_create_events", "mode_label", "modes_of", "move_mode", "pending_list",
    "programme_choices", "publish_event", "register", "registration_of",
    "registration_window_problem", "registrations", "registrations_csv",
    "registrations_page", "registrations_query", "registrations_xlsx", "reject",
    "remove_session", "seats_left",
    "send_reminders", "status_counts", "take_seat", "update_event", "update_session",
    "utc_to_local", "waiting_list",
]
