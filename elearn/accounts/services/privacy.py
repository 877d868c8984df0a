"""A person's own data: download it, or erase it.

Other domains register here what they hold about a person:
    from elearn.accounts.services import export_providers, erasure_hooks
    export_providers.append(lambda user: {"enrolments": [...]})  # merged into the download
    erasure_hooks.append(lambda user: ...)  # wipe personal data; runs in the same transaction

The rule: a domain registers at import time of a module that create_app always imports (its
`models.py`, listed in MODEL_MODULES, or a module that models.py or blueprint.py imports), never
in a module imported lazily by a view, so the export and the erasure are complete from the first
request on, in the web app, the CLI and jobs alike. Each domain's export covers everything it
holds about the person; each erasure hook removes the person's name, email and free text from
its tables (including stored files and rendered documents).
"""

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy import Text, cast, func, or_, select

from elearn.audit.models import AuditRecord
from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.mail.services import forget_recipient

from ..labels import GENDER_PROFILE_LABELS, ROLE_LABELS, SECTOR_PROFILE_LABELS, label
from ..models import User
from .sessions import end_all_sessions

export_providers: list[Callable[[User], dict]] = []
erasure_hooks: list[Callable[[User], None]] = []

AGE_GROUPS = ((0, 24, "under-25"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"),
              (55, 64, "55-64"), (65, 200, "65+"))
ERASED = "[erased]"


def age_group(year_of_birth: int | None, year: int | None = None) -> str | None:
    if year_of_birth is None:
        return None
    age = (year or date.today().year) - year_of_birth
    return next((label for low, high, label in AGE_GROUPS if low <= age <= high), None)


def _iso(value):
    return value.isoformat() if value is not None else None


def export_data(user: User) -> dict:
    """Everything held about the person. Coded values keep their stable code, with a label in
    the person's language beside it (`*_label`), so the file reads without a code book."""
    from flask_babel import get_locale

    from .members import country_name

    data = {
        "account": {
            "id": user.id, "email": user.email, "created_at": _iso(user.created_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
        },
        "profile": {
            "full_name": user.full_name, "country": user.country,
            "country_label": country_name(user.country, str(get_locale())) or None,
            "institution": user.institution,
            "sector": user.sector.value if user.sector else None,
            "sector_label": label(SECTOR_PROFILE_LABELS, user.sector) if user.sector else None,
            "job_title": user.job_title, "is_public_official": user.is_public_official,
            "year_of_birth": user.year_of_birth, "preferred_language": user.preferred_language,
            "timezone": user.timezone, "gender": user.gender.value if user.gender else None,
            "gender_label": label(GENDER_PROFILE_LABELS, user.gender) if user.gender else None,
            "gender_other": user.gender_other, "bio": user.bio,
        },
        "roles": sorted(r.value for r in user.role_set),
        "role_labels": [label(ROLE_LABELS, r) for r in sorted(user.role_set)],
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
    identifiers = [v for v in (user.email, user.full_name) if v and v.strip()]
    for hook in erasure_hooks:
        hook(user)
    forget_recipient(user.email)
    _scrub_audit(user, identifiers)
    end_all_sessions(user)
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


def _scrub_audit(user: User, identifiers: list[str]) -> None:
    """Audit entries keep who did what to which id, but not the person's name or email: any
    before/after value mentioning them becomes "[erased]"."""
    if not identifiers:
        return
    about = (AuditRecord.subject_type == "user") & (AuditRecord.subject_id == str(user.id))
    # SQL narrows the rows (databases lower-case and escape non-ASCII letters differently, so
    # it matches ASCII fragments only); Python then decides, case-insensitively, on every letter.
    fragments = [_ascii_fragment(value) for value in identifiers]
    if None in fragments:
        candidates = select(AuditRecord)
    else:
        matches = [func.lower(cast(column, Text)).like(f"%{_escape_like(f)}%", escape="\\")
                   for column in (AuditRecord.before, AuditRecord.after) for f in fragments]
        candidates = select(AuditRecord).where(or_(about, AuditRecord.actor_id == user.id,
                                                   *matches))
    folded = [v.casefold() for v in identifiers]
    for entry in db.session.scalars(candidates):
        entry.before = _scrubbed(entry.before, folded)
        entry.after = _scrubbed(entry.after, folded)


def _ascii_fragment(value: str) -> str | None:
    """The longest run of ASCII letters, digits and punctuation in `value`, lower-cased."""
    runs = re.findall(r"[ -~]{3,}", value.lower())
    return max(runs, key=len) if runs else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scrubbed(value, identifiers: list[str]):
    if isinstance(value, dict):
        return {key: _scrubbed(item, identifiers) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item, identifiers) for item in value]
    if isinstance(value, str) and any(i in value.casefold() for i in identifiers):
        return ERASED
    return value
