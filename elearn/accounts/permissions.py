"""The one place where rights are decided.

Global roles are checked with `has_role` / `role_required`: they say what kind of staff a person
is (an event organiser may create events, an instructor may be named to teach). Rights over one
object (the organiser of *this* event, the instructor of *this* edition) are rules registered by
each domain with `object_rule`, and asked through `can(user, action, obj)` or
`require(action, obj)`, so views and templates never re-implement a check.

Admins pass every rule. Programme managers (the Secretariat) pass the rules a domain registers
with `programme_manager=True`: everything about the programme's events, editions, hackathons and
their certificates, but nothing that belongs to one person (a team's captaincy, a participant's
own submission) and nothing reserved to admins.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from .models import Role

_object_rules: dict[tuple[str, type], tuple[Callable, bool]] = {}

# Holding a role implies holding these for global checks (admins hold every role).
_IMPLIED = {Role.PROGRAMME_MANAGER: {Role.ORGANISER, Role.INSTRUCTOR}}


def held_roles(user) -> set[Role]:
    held = set(user.role_set)
    for role in list(held):
        held |= _IMPLIED.get(role, set())
    return held


def has_role(user, *roles: Role | str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    wanted = {Role(r) for r in roles}
    held = held_roles(user)
    return Role.ADMIN in held or bool(wanted & held) or Role.PARTICIPANT in wanted


def is_admin(user) -> bool:
    return user is not None and user.is_authenticated and Role.ADMIN in user.role_set


def is_programme_manager(user) -> bool:
    """The Secretariat (or an admin): sees and manages the whole work programme."""
    return user is not None and user.is_authenticated and bool(
        {Role.ADMIN, Role.PROGRAMME_MANAGER} & user.role_set)


def role_required(*roles: Role | str):
    """Allow the view to anyone holding one of the roles (admins hold every role)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def object_rule(action: str, model: type, *, programme_manager: bool = False):
    """Register `fn(user, obj) -> bool` as the rule for doing `action` on a `model` instance.

    With `programme_manager=True`, programme managers pass it whatever the function says."""

    def decorator(fn):
        _object_rules[(action, model)] = (fn, programme_manager)
        return fn

    return decorator


def can(user, action: str, obj) -> bool:
    if user is None or not user.is_authenticated or obj is None:
        return False
    if Role.ADMIN in user.role_set:
        return True
    for cls in type(obj).__mro__:
        found = _object_rules.get((action, cls))
        if found is not None:
            rule, managers_pass = found
            if managers_pass and Role.PROGRAMME_MANAGER in user.role_set:
                return True
            return bool(rule(user, obj))
    return False


def require(action: str, obj) -> None:
    """Abort with 403 unless the current user may do `action` on `obj`."""
    if not can(current_user, action, obj):
        abort(403)
