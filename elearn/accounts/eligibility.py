"""Who may take part in an offer (an event, a course edition) according to their profile: the
ONE decision. Domains word the answer themselves ("This event…", "This edition…").

Location: a person qualifies when their country is listed OR their country's sub-region (from
the member-state list, active states only) is listed; with neither list, anyone does."""

import enum
from dataclasses import dataclass

from elearn.extensions import db

from .models import MemberState, Subregion


class Unmet(enum.StrEnum):
    """The first condition a person fails, in the order they are checked."""

    NO_COUNTRY = "no_country"  # the offer is limited by place and the profile has no country
    LOCATION = "location"
    SECTOR = "sector"
    PUBLIC_OFFICIALS_ONLY = "public_officials_only"


@dataclass(frozen=True)
class EligibilityRule:
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, upper case
    subregions: tuple[str, ...] = ()  # Subregion values
    sectors: tuple[str, ...] = ()  # Sector values
    public_officials_only: bool = False

    @classmethod
    def of(cls, offer) -> "EligibilityRule":
        """The rule of an Event or an Edition (anything with the four eligibility columns)."""
        return cls(
            countries=tuple(c.upper() for c in offer.eligible_countries or ()),
            subregions=tuple(offer.eligible_subregions or ()),
            sectors=tuple(offer.eligible_sectors or ()),
            public_officials_only=bool(offer.public_officials_only),
        )

    @property
    def limits_location(self) -> bool:
        return bool(self.countries or self.subregions)

    @property
    def caribbean_only(self) -> bool:
        return self.subregions == (Subregion.CARIBBEAN.value,)


def subregion_of(country: str | None) -> str | None:
    """The sub-region of an active member state (one query at most), else None."""
    if not country:
        return None
    state = db.session.get(MemberState, country.upper())
    return state.subregion.value if state and state.active else None


def unmet_condition(rule: EligibilityRule, user) -> Unmet | None:
    """None when `user` qualifies; otherwise the first condition they fail."""
    if rule.limits_location:
        if not user.country:
            return Unmet.NO_COUNTRY
        country = user.country.upper()
        if country not in rule.countries and (
                not rule.subregions or subregion_of(country) not in rule.subregions):
            return Unmet.LOCATION
    if rule.sectors and (user.sector is None or user.sector.value not in rule.sectors):
        return Unmet.SECTOR
    if rule.public_officials_only and not user.is_public_official:
        return Unmet.PUBLIC_OFFICIALS_ONLY
    return None
