"""Who may do what with an event. Registered with accounts.permissions, asked through can().

An event organiser manages the events they organise (EventOrganiser rows) and nothing else;
programme managers manage every event; admins pass every rule in can()."""

from sqlalchemy import select

from elearn.accounts.models import Role
from elearn.accounts.permissions import can, has_role, object_rule
from elearn.extensions import db
from elearn.forms.rules import register_owner

from .models import Event, EventStatus, Registration


def may_create_events(user) -> bool:
    """Creating an event concerns no event yet: the event-organiser role is what allows it
    (programme managers and admins hold it too). The creator becomes the event's organiser."""
    return has_role(user, Role.ORGANISER)


@object_rule("manage", Event, programme_manager=True)
def may_manage_event(user, event: Event) -> bool:
    return any(o.user_id == user.id for o in event.organisers)


@object_rule("view", Event, programme_manager=True)
def may_view_event(user, event: Event) -> bool:
    """A draft is seen by the people who manage it only; anything else is public."""
    return event.status != EventStatus.DRAFT or may_manage_event(user, event)


@object_rule("view", Registration)
def may_view_registration(user, registration: Registration) -> bool:
    return registration.user_id == user.id or can(user, "manage", registration.event)


def registrant_of(event: Event, response_id: str) -> int | None:
    """Whose registration to `event` holds these answers (for their files), or None."""
    return db.session.scalar(select(Registration.user_id).where(
        Registration.event_id == event.id, Registration.form_response_id == response_id))


# Registration questions and surveys of an event: its organisers build them and read the answers;
# sensitive answers (health, accessibility) only the event's own organisers.
register_owner("event", lambda event_id: db.session.get(Event, event_id), "manage",
               sensitive=may_manage_event, holder=registrant_of)
