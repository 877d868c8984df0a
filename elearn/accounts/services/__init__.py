"""Account rules. Import from here: `from elearn.accounts.services import ...`.

Topics live in submodules (passwords, tokens, registration, profile, privacy, admin, members);
this module re-exports their public names, and holds the registries other domains extend:
`export_providers` (what /profile/data downloads) and `erasure_hooks` (what /profile/erase wipes).
"""

from .admin import (
    ASSIGNABLE_ROLES,
    UnknownRole,
    add_member_state,
    list_member_states,
    parse_roles,
    remove_member_state,
    search_users,
    set_roles,
)
from .email_change import confirm_email_change, request_email_change
from .members import (
    country_choices,
    country_name,
    is_valid_country,
    load_member_states,
    member_state_codes,
)
from .passwords import (
    MIN_PASSWORD_LENGTH,
    authenticate,
    change_password,
    hash_password,
    password_problems,
    set_password,
    verify_password,
)
from .privacy import age_group, erase_user, erasure_hooks, export_data, export_providers
from .profile import (
    COMMON_TIMEZONES,
    LANGUAGES,
    ProfileError,
    profile_errors,
    set_stats_consent,
    update_profile,
    year_of_birth_range,
)
from .registration import (
    EmailTaken,
    confirm_by_admin,
    confirm_email,
    confirmation_path,
    mail_shown_on_screen,
    normalise_email,
    register,
    request_password_reset,
    resend_by_admin,
    resend_confirmation,
    reset_password,
    send_confirmation,
    sign_up,
)
from .sessions import end_all_sessions, end_session, start_session, user_for_session
from .tokens import TokenError, confirmation_token, reset_token, user_for_reset

__all__ = [
    "ASSIGNABLE_ROLES", "COMMON_TIMEZONES", "EmailTaken", "LANGUAGES", "MIN_PASSWORD_LENGTH",
    "ProfileError", "TokenError", "UnknownRole", "add_member_state", "age_group", "authenticate",
    "change_password", "confirm_email", "confirm_email_change", "confirmation_token",
    "country_choices", "country_name", "erase_user", "erasure_hooks", "export_data",
    "export_providers", "hash_password", "is_valid_country", "list_member_states",
    "load_member_states", "member_state_codes", "normalise_email", "parse_roles",
    "password_problems", "profile_errors", "register", "remove_member_state",
    "request_email_change", "request_password_reset", "resend_confirmation", "reset_password",
    "reset_token", "search_users", "send_confirmation", "set_password", "set_roles",
    "set_stats_consent", "update_profile", "user_for_reset", "verify_password",
    "year_of_birth_range", "start_session", "end_session", "end_all_sessions",
    "user_for_session", "sign_up", "confirm_by_admin", "confirmation_path",
    "mail_shown_on_screen", "resend_by_admin",
]
