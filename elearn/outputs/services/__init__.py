"""The outputs' rules: plain functions, no request. Views and the demo call them from here."""

from .errors import OutputError  # noqa: F401
from .outputs import (  # noqa: F401
    OWNER_TYPES,
    EventOutputs,
    add_output,
    check_link,
    delete_output,
    outputs_for_participant,
    outputs_of_activity,
    outputs_of_edition,
    outputs_of_event,
    outputs_of_owner,
    owner_of,
    owner_type_of,
)
from .progress import (  # noqa: F401
    STATUSES,
    activity_progress,
    overview,
    progress_of_activity,
    set_verdict,
)
