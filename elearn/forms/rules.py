"""Who may edit a form and read its answers: the people who may run the thing it belongs to.

Forms sit below events, courses and the hackathon, so they cannot look those up themselves:
each owning domain registers how to load its objects and which of its actions gives the right
(events: "manage" an Event; courses: "teach" an Edition; hackathons: "manage" a Hackathon)."""

from collections.abc import Callable

from elearn.accounts.permissions import can, object_rule

from .models import Form

_OWNERS: dict[str, tuple[Callable[[int], object | None], str]] = {}
_SENSITIVE: dict[str, Callable[[object, object], bool]] = {}


def register_owner(kind: str, load: Callable[[int], object | None], action: str,
                   sensitive: Callable[[object, object], bool] | None = None) -> None:
    """`sensitive(user, owner)` narrows who reads sensitive answers (the organisers of that
    event, not everyone the owner's rule lets in); by default the same as `action`."""
    _OWNERS[kind] = (load, action)
    if sensitive is not None:
        _SENSITIVE[kind] = sensitive


def owner_of(form: Form):
    found = _OWNERS.get(form.owner_kind or "")
    if found is None or form.owner_id is None:
        return None
    return found[0](form.owner_id)


def _runs_owner(user, form: Form) -> bool:
    found = _OWNERS.get(form.owner_kind or "")
    owner = owner_of(form)
    return owner is not None and can(user, found[1], owner)


def _reads_sensitive(user, form: Form) -> bool:
    narrower = _SENSITIVE.get(form.owner_kind or "")
    if narrower is None:
        return _runs_owner(user, form)
    owner = owner_of(form)
    return owner is not None and bool(narrower(user, owner))


# Templates (no owner) are kept by programme managers, who pass this rule.
object_rule("edit", Form, programme_manager=True)(_runs_owner)
# Answers to sensitive questions (health, accessibility): the organisers of that event (admins
# too, as everywhere); not programme managers unless the owner says so.
object_rule("read_sensitive", Form)(_reads_sensitive)
