"""Who may edit a form and read its answers: the people who may run the thing it belongs to.

Forms sit below events, courses and the hackathon, so they cannot look those up themselves:
each owning domain registers how to load its objects and which of its actions gives the right
(events: "manage" an Event; courses: "teach" an Edition; hackathons: "manage" a Hackathon).

A registration form's owner also says who gave a response (the person of the registration or
application holding it): forms keep no person, so without the owner nobody is "its author"."""

from collections.abc import Callable

from elearn.accounts.permissions import can, object_rule

from .models import Form, FormAnswer, FormPurpose

_OWNERS: dict[str, tuple[Callable[[int], object | None], str]] = {}
_SENSITIVE: dict[str, Callable[[object, object], bool]] = {}
_HOLDERS: dict[str, Callable[[object, str], int | None]] = {}


def register_owner(kind: str, load: Callable[[int], object | None], action: str,
                   sensitive: Callable[[object, object], bool] | None = None,
                   holder: Callable[[object, str], int | None] | None = None) -> None:
    """`sensitive(user, owner)` narrows who reads sensitive answers (the organisers of that
    event, not everyone the owner's rule lets in); by default the same as `action`.
    `holder(owner, response_id)` is the id of the person whose registration (application...)
    with this owner holds that response, or None: an owner without it has no one's answers."""
    _OWNERS[kind] = (load, action)
    if sensitive is not None:
        _SENSITIVE[kind] = sensitive
    if holder is not None:
        _HOLDERS[kind] = holder


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


def holder_of(form: Form, response_id: str) -> int | None:
    """Who gave `response_id` to `form`, as its owner knows it; None for a survey's responses
    (whose owner never names anyone) and whatever the owner does not hold."""
    found = _HOLDERS.get(form.owner_kind or "")
    owner = owner_of(form) if found is not None else None
    if owner is None or form.purpose is not FormPurpose.REGISTRATION:
        return None
    return found(owner, response_id)


def _may_download(user, answer: FormAnswer) -> bool:
    """The person who gave it, and whoever reads that form's answers (sensitive ones: whoever
    reads those). Callers first make sure it is a registration answer somebody holds: admins
    pass every rule, and a survey's answer must reach nobody."""
    form = answer.response.version.form
    if holder_of(form, answer.response_id) == user.id:
        return True
    if answer.question.sensitive:
        return _reads_sensitive(user, form)
    return _runs_owner(user, form)


# Templates (no owner) are kept by programme managers, who pass this rule.
object_rule("edit", Form, programme_manager=True)(_runs_owner)
# Answers to sensitive questions (health, accessibility): the organisers of that event (admins
# too, as everywhere); not programme managers unless the owner says so.
object_rule("read_sensitive", Form)(_reads_sensitive)
# A file given as an answer (a nomination letter): see elearn.forms.answer_files.
object_rule("download", FormAnswer)(_may_download)
