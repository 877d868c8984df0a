"""The one place where rights are decided.

Global roles are checked with `has_role` / `role_required`. Rights over one object (the organiser
of *this* event, the instructor of *this* edition) are rules registered by each domain with
`object_rule`, and asked through `can(user, action, obj)` or `require(action, obj)`, so views and
templates never re-implement a check.
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from .models import Role

_object_rules: dict[tuple[str, type], Callable] = {}


def has_role(user, *roles: Role | str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    wanted = {Role(r) for r in roles}
    held = user.role_set
    return Role.ADMIN in held or bool(wanted & held) or Role.PARTICIPANT in wanted


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


def object_rule(action: str, model: type):
    """Register `fn(user, obj) -> bool` as the rule for doing `action` on a `model` instance."""

    def decorator(fn):
        _object_rules[(action, model)] = fn
        return fn

    return decorator


def can(user, action: str, obj) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if Role.ADMIN in user.role_set:
        return True
    for cls in type(obj).__mro__:
        rule = _object_rules.get((action, cls))
        if rule is not None:
            return bool(rule(user, obj))
    return False


def require(action: str, obj) -> None:
    """Abort with 403 unless the current user may do `action` on `obj`."""
    if not can(current_user, action, obj):
        abort(403)
