"""Changing an edition's settings: dates, time zone, places, application window, eligibility
and completion rule. Everything is validated before anything is changed."""

from datetime import date, datetime

from flask_babel import gettext as _

from elearn.accounts.models import Sector, Subregion
from elearn.accounts.services import is_valid_country
from elearn.audit.services import record as audit
from elearn.form_checks import has_control_characters
from elearn.i18n import is_valid_timezone
from elearn.multilingual import LANGUAGE_NAMES, clean_texts

from ..errors import CourseError
from ..models import Edition

FIELDS = ("name", "starts_on", "ends_on", "timezone", "language", "capacity",
          "applications_open_at", "applications_close_at", "eligible_countries",
          "eligible_subregions", "eligible_sectors", "public_officials_only", "min_grade",
          "min_attendance_share", "require_required_passed", "require_final_passed")


NAME_LENGTH = 200


def given_texts(values: dict, field: str) -> dict | None:
    """A multilingual value as callers give it: `field` as a dict by language and/or one key
    per language (name_en=, name_es=); None when neither is there."""
    keys = [f"{field}_{lang}" for lang in LANGUAGE_NAMES if f"{field}_{lang}" in values]
    if field not in values and not keys:
        return None
    texts = dict(values.get(field) or {})
    texts.update({key.rsplit("_", 1)[1]: values[key] for key in keys})
    return texts


def name_problems(names: dict | None, main: str | None) -> list[str]:
    """What is wrong with an edition's names by language: the one in the edition's language
    (`main`) must be there; each is one line of plain text of at most NAME_LENGTH characters,
    as pages, emails and certificates print it."""
    problems = []
    names = {lang: value for lang, value in (names or {}).items() if isinstance(value, str)}
    if not clean_texts(names).get(main if main in LANGUAGE_NAMES else "es"):
        problems.append(_("Give the edition a name."))
    for value in names.values():
        if has_control_characters(value):
            problems.append(_("The edition's name must be a single line of text."))
        elif "<" in value or ">" in value:
            problems.append(_("Write the edition's name as plain text, without HTML tags."))
        elif len(value.strip()) > NAME_LENGTH:
            problems.append(_("The edition's name can have at most %(n)s characters.",
                              n=NAME_LENGTH))
    return list(dict.fromkeys(problems))


def _problems(edition: Edition, v: dict) -> list[str]:
    problems = name_problems(v["name"], v["language"])
    if v["ends_on"] < v["starts_on"]:
        problems.append(_("The edition must end after it starts."))
    if not is_valid_timezone(v["timezone"]):
        problems.append(_("Choose a valid time zone, such as America/Caracas."))
    if v["capacity"] is not None and v["capacity"] < max(edition.seats_taken, 1):
        problems.append(_("The capacity cannot be below the %(n)s places already taken.",
                          n=max(edition.seats_taken, 1)))
    opens, closes = v["applications_open_at"], v["applications_close_at"]
    if opens and closes and closes <= opens:
        problems.append(_("Applications must close after they open."))
    bad = [c for c in v["eligible_countries"] if not is_valid_country(c)]
    if bad:
        problems.append(_("Unknown country codes: %(codes)s.", codes=", ".join(bad)))
    if any(s not in {x.value for x in Subregion} for s in v["eligible_subregions"]) or \
            any(s not in {x.value for x in Sector} for s in v["eligible_sectors"]):
        problems.append(_("Choose sub-regions and sectors from the lists."))
    if v["min_grade"] is not None and not 0 <= v["min_grade"] <= 100:
        problems.append(_("The minimum grade must be between 0 and 100."))
    share = v["min_attendance_share"]
    if share is not None and not 0 <= share <= 1:
        problems.append(_("The attendance share must be between 0 and 100 %."))
    return problems


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return dict(value)
    return value


def check(edition: Edition, values: dict) -> dict:
    """The values cleaned up, or CourseError (400) listing every problem. Nothing is changed,
    so a new edition can be checked before it is added to the session."""
    values = dict(values)
    names = given_texts(values, "name")
    for lang in LANGUAGE_NAMES:
        values.pop(f"name_{lang}", None)
    values["name"] = dict(edition.name or {}) if names is None else names
    values.setdefault("language", edition.language or "es")
    values["eligible_countries"] = sorted({c.strip().upper() for c in
                                           values.get("eligible_countries") or [] if c.strip()})
    values["eligible_subregions"] = list(values.get("eligible_subregions") or [])
    values["eligible_sectors"] = list(values.get("eligible_sectors") or [])
    problems = _problems(edition, values)
    if problems:
        raise CourseError(" ".join(problems), 400)
    values["name"] = clean_texts(values["name"])
    return values


def update(edition: Edition, values: dict, *, actor) -> Edition:
    """Apply `values` (every key of FIELDS) or raise CourseError listing every problem."""
    values = check(edition, values)
    before = {f: _plain(getattr(edition, f)) for f in FIELDS}
    for field in FIELDS:
        setattr(edition, field, values[field])
    after = {f: _plain(getattr(edition, f)) for f in FIELDS}
    changed = {f for f in FIELDS if before[f] != after[f]}
    if changed:
        audit("edition.settings", edition, actor=actor,
              before={f: before[f] for f in changed}, after={f: after[f] for f in changed})
    return edition
