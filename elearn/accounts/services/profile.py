"""The participant profile: what it may hold, and consent to statistical use."""

from datetime import date

from elearn.audit.services import record
from elearn.db_types import utcnow
from elearn.i18n import is_valid_timezone

from ..models import Gender, Sector, User
from .members import is_valid_country

LANGUAGES = ("en", "es", "pt", "fr")
OLDEST_YEAR_OF_BIRTH = 1920
YOUNGEST_AGE = 14
# Offered first in the time-zone select; any other IANA name may be typed in.
COMMON_TIMEZONES = (
    "America/Mexico_City", "America/Guatemala", "America/Costa_Rica", "America/Panama",
    "America/Bogota", "America/Lima", "America/Guayaquil", "America/Caracas",
    "America/La_Paz", "America/Santo_Domingo", "America/Havana", "America/Jamaica",
    "America/Port-au-Prince", "America/Port_of_Spain", "America/Barbados", "America/Guyana",
    "America/Paramaribo", "America/Santiago", "America/Asuncion", "America/Argentina/Buenos_Aires",
    "America/Montevideo", "America/Sao_Paulo", "America/Manaus", "America/New_York", "UTC",
)
PROFILE_FIELDS = (
    "full_name", "country", "institution", "sector", "job_title", "is_public_official",
    "year_of_birth", "preferred_language", "timezone", "gender", "gender_other",
)
TEXT_LIMITS = {"full_name": 200, "institution": 200, "job_title": 200, "gender_other": 100}


class ProfileError(ValueError):
    """Invalid profile values: `errors` maps the field name to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def year_of_birth_range() -> tuple[int, int]:
    return OLDEST_YEAR_OF_BIRTH, date.today().year - YOUNGEST_AGE


def profile_errors(values: dict) -> dict[str, str]:
    """Check the values a profile may take; the same rule for the web form, CLI and demo."""
    from flask_babel import gettext as _

    errors = {}
    if "full_name" in values and not (values["full_name"] or "").strip():
        errors["full_name"] = _("Enter your full name.")
    for name, limit in TEXT_LIMITS.items():
        if len(values.get(name) or "") > limit:
            errors[name] = _("Use at most %(n)d characters.", n=limit)
    if values.get("country") and not is_valid_country(values["country"]):
        errors["country"] = _("Choose a country from the list.")
    if values.get("timezone") and not is_valid_timezone(values["timezone"]):
        errors["timezone"] = _("Unknown time zone. Use a name such as America/Caracas.")
    if values.get("preferred_language", "en") not in LANGUAGES:
        errors["preferred_language"] = _("Choose a language from the list.")
    year = values.get("year_of_birth")
    low, high = year_of_birth_range()
    if year is not None and not low <= year <= high:
        errors["year_of_birth"] = _("Enter a year between %(low)d and %(high)d.", low=low,
                                    high=high)
    for name, enum in (("gender", Gender), ("sector", Sector)):
        if values.get(name) and values[name] not in {e.value for e in enum}:
            errors[name] = _("Choose an option from the list.")
    return errors


def update_profile(user: User, values: dict, *, actor: User | None = None) -> None:
    """Validate, then write the profile fields given (nothing is written if one is wrong)."""
    values = {k: v for k, v in values.items() if k in PROFILE_FIELDS}
    errors = profile_errors(values)
    if errors:
        raise ProfileError(errors)
    for key in ("country", "institution", "job_title", "timezone", "gender_other"):
        if key in values:
            values[key] = (values[key] or "").strip() or None
    if values.get("country"):
        values["country"] = values["country"].upper()
    for key in ("gender", "sector"):
        if key in values:
            values[key] = values[key] or None  # "" = not answered
    if "gender" in values and values["gender"] != Gender.ANOTHER:
        values["gender_other"] = None  # the free text only describes "another"
    if "full_name" in values:
        values["full_name"] = values["full_name"].strip()
    for key, value in values.items():
        setattr(user, key, value)
    record("accounts.profile_updated", user, actor=actor or user,
           after={"fields": sorted(values)})


def set_stats_consent(user: User, given: bool) -> None:
    """Record when consent was given; withdrawing clears it."""
    if given and user.stats_consent_at is None:
        user.stats_consent_at = utcnow()
        record("accounts.stats_consent_given", user, actor=user)
    elif not given and user.stats_consent_at is not None:
        user.stats_consent_at = None
        record("accounts.stats_consent_withdrawn", user, actor=user)
