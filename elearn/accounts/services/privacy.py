"""A person's own data: download it, or erase it.

Other domains register here what they hold about a person:
    from elearn.accounts.services import export_providers, erasure_hooks
    export_providers.append(lambda user: {"enrolments": [...]})  # merged into the download
    erasure_hooks.append(lambda user: ...)  # wipe personal data; runs in the same transaction
"""

from collections.abc import Callable
from datetime import date

from elearn.audit.services import record
from elearn.db_types import utcnow

from ..models import User

export_providers: list[Callable[[User], dict]] = []
erasure_hooks: list[Callable[[User], None]] = []

AGE_GROUPS = ((0, 24, "under-25"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"),
              (55, 64, "55-64"), (65, 200, "65+"))


def age_group(year_of_birth: int | None, year: int | None = None) -> str | None:
    if year_of_birth is None:
        return None
    age = (year or date.today().year) - year_of_birth
    return next((label for low, high, label in AGE_GROUPS if low <= age <= high), None)


def _iso(value):
    return value.isoformat() if value is not None else None


def export_data(user: User) -> dict:
    data = {
        "account": {
            "id": user.id, "email": user.email, "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "profile": {
            "full_name": user.full_name, "country": user.country,
            "institution": user.institution,
            "sector": user.sector.value if user.sector else None,
            "job_title": user.job_title, "is_public_official": user.is_public_official,
            "year_of_birth": user.year_of_birth, "preferred_language": user.preferred_language,
            "timezone": user.timezone, "gender": user.gender.value if user.gender else None,
            "gender_other": user.gender_other, "bio": user.bio,
        },
        "roles": sorted(r.value for r in user.role_set),
        "consent": {"statistics": user.stats_consent_at is not None,
                    "statistics_given_at": _iso(user.stats_consent_at)},
    }
    for provider in export_providers:
        data.update(provider(user))
    return data


def erase_user(user: User, *, actor: User | None = None) -> None:
    """Remove what identifies the person; keep the categories aggregate statistics count
    (gender category, country, sector, public official, age group). Caller commits."""
    user.age_group = user.age_group or age_group(user.year_of_birth)
    for hook in erasure_hooks:
        hook(user)
    user.email = f"erased-{user.id}@invalid"
    user.full_name = "Erased user"
    user.institution = user.job_title = user.bio = user.gender_other = None
    user.year_of_birth = None
    user.timezone = None
    user.password_hash = None
    user.roles.clear()
    user.erased_at = utcnow()
    user.session_version = (user.session_version or 1) + 1
    record("accounts.erased", user, actor=actor or user)
