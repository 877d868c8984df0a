"""Who may do what with an event. Registered with accounts.permissions, asked through can()."""

from elearn.accounts.permissions import object_rule

from .models import Event, Registration


@object_rule("manage", Event)
def may_manage_event(user, event: Event) -> bool:
    """Organisers of this event (admins pass in can())."""
    return any(o.user_id == user.id for o in event.organisers)


@object_rule("view", Registration)
def may_view_registration(user, registration: Registration) -> bool:
    return registration.user_id == user.id or may_manage_event(user, registration.event)
