"""The words people see for the account enums (role, sector, sub-region, gender): one place, so a
form, an eligibility message and a statistics table never name the same value differently."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from .models import Gender, Role, Sector, Subregion

ROLE_LABELS = {
    Role.PARTICIPANT: _l("Participant"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.ORGANISER: _l("Event organiser"),
    Role.JUDGE: _l("Judge"),
    Role.PROGRAMME_MANAGER: _l("Programme manager"),
    Role.ADMIN: _l("Admin"),
}

SECTOR_LABELS = {
    Sector.GOVERNMENT: _l("Government"),
    Sector.PRIVATE: _l("Private sector"),
    Sector.ACADEMIA: _l("Academia"),
    Sector.CIVIL_SOCIETY: _l("Civil society"),
    Sector.INTERNATIONAL: _l("International organisation"),
    Sector.OTHER: _l("Other"),
}
# In the profile people pick their own sector: "Government" alone leaves officials unsure.
SECTOR_PROFILE_LABELS = SECTOR_LABELS | {
    Sector.GOVERNMENT: _l("Government or public administration"),
}
# Inside a sentence ("open only to people working in: government, academia").
SECTOR_IN_TEXT = {
    Sector.GOVERNMENT: _l("government"),
    Sector.PRIVATE: _l("private sector"),
    Sector.ACADEMIA: _l("academia"),
    Sector.CIVIL_SOCIETY: _l("civil society"),
    Sector.INTERNATIONAL: _l("international organisations"),
    Sector.OTHER: _l("other sectors"),
}

SUBREGION_LABELS = {
    Subregion.CARIBBEAN: _l("Caribbean"),
    Subregion.CENTRAL_AMERICA: _l("Central America"),
    Subregion.SOUTH_AMERICA: _l("South America"),
    Subregion.MEXICO: _l("Mexico"),
}
# Inside a sentence ("open only to member states of: the Caribbean").
SUBREGION_IN_TEXT = SUBREGION_LABELS | {Subregion.CARIBBEAN: _l("the Caribbean")}

GENDER_LABELS = {
    Gender.WOMAN: _l("Woman"),
    Gender.MAN: _l("Man"),
    Gender.NON_BINARY: _l("Non-binary"),
    Gender.ANOTHER: _l("Another gender"),
    Gender.PREFER_NOT_TO_SAY: _l("Prefer not to say"),
}
GENDER_PROFILE_LABELS = GENDER_LABELS | {
    Gender.ANOTHER: _l("Another gender (you may describe it below)"),
}
# Rows of a statistics table count people, hence the plurals.
GENDER_GROUP_LABELS = GENDER_LABELS | {Gender.WOMAN: _l("Women"), Gender.MAN: _l("Men")}
NOT_ANSWERED = _l("Not answered")


def label(labels: dict, value) -> str:
    """The label of an enum value (or its stored string); unknown values shown as stored."""
    return str(labels.get(value, value))


def names(labels: dict, values) -> str:
    """Comma-separated labels, in the order given."""
    return ", ".join(label(labels, v) for v in values)


def choices(labels: dict) -> list[SelectChoice]:
    """Select choices (value, label) in the enum's order."""
    return [SelectChoice(str(value), text) for value, text in labels.items()]
