"""Who may apply to an edition, with the reason in words when not."""

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from elearn.accounts.models import MemberState, Sector, Subregion
from elearn.accounts.services import country_name
from elearn.extensions import db

from ..models import Edition

SUBREGION_NAMES = {
    Subregion.CARIBBEAN: _l("the Caribbean"),
    Subregion.CENTRAL_AMERICA: _l("Central America"),
    Subregion.SOUTH_AMERICA: _l("South America"),
    Subregion.MEXICO: _l("Mexico"),
}
SECTOR_NAMES = {
    Sector.GOVERNMENT: _l("Government"),
    Sector.PRIVATE: _l("Private sector"),
    Sector.ACADEMIA: _l("Academia"),
    Sector.CIVIL_SOCIETY: _l("Civil society"),
    Sector.INTERNATIONAL: _l("International organisation"),
    Sector.OTHER: _l("Other"),
}


def _caribbean_only(edition: Edition) -> bool:
    return list(edition.eligible_subregions or []) == [Subregion.CARIBBEAN.value]


def describe(edition: Edition) -> list[str]:
    """The eligibility conditions in words, for the edition page."""
    lang = str(get_locale() or "en")
    lines = []
    if _caribbean_only(edition) and edition.public_officials_only:
        return [_("This edition is open only to officials of Caribbean member states.")]
    if edition.public_officials_only:
        lines.append(_("Open to public officials only."))
    if edition.eligible_subregions:
        names = ", ".join(str(SUBREGION_NAMES.get(Subregion(s), s))
                          for s in edition.eligible_subregions)
        lines.append(_("Open to member states of: %(subregions)s.", subregions=names))
    if edition.eligible_countries:
        names = ", ".join(country_name(c, lang) for c in edition.eligible_countries)
        lines.append(_("Open to people from: %(countries)s.", countries=names))
    if edition.eligible_sectors:
        names = ", ".join(str(SECTOR_NAMES.get(Sector(s), s)) for s in edition.eligible_sectors)
        lines.append(_("Open to these sectors: %(sectors)s.", sectors=names))
    return lines


def _subregion_of(country: str | None) -> str | None:
    if not country:
        return None
    state = db.session.scalar(select(MemberState).where(MemberState.country_code == country,
                                                        MemberState.active.is_(True)))
    return state.subregion.value if state else None


def ineligibility_reason(edition: Edition, user) -> str | None:
    """None when `user` may apply; otherwise why not, in the viewer's language."""
    caribbean = _caribbean_only(edition)
    if edition.public_officials_only and not user.is_public_official:
        if caribbean:
            return _("This edition is open only to officials of Caribbean member states.")
        return _("This edition is open only to public officials. If you are one, say so in "
                 "your profile.")
    needs_country = edition.eligible_countries or edition.eligible_subregions
    if needs_country and not user.country:
        return _("Add your country to your profile: this edition is open only to some "
                 "countries.")
    if edition.eligible_countries and user.country not in edition.eligible_countries:
        return describe_countries(edition)
    if edition.eligible_subregions and _subregion_of(user.country) not in \
            edition.eligible_subregions:
        if caribbean:
            if edition.public_officials_only:
                return _("This edition is open only to officials of Caribbean member states.")
            return _("This edition is open only to Caribbean member states.")
        names = ", ".join(str(SUBREGION_NAMES.get(Subregion(s), s))
                          for s in edition.eligible_subregions)
        return _("This edition is open only to member states of: %(subregions)s.",
                 subregions=names)
    if edition.eligible_sectors and (user.sector is None or
                                     user.sector.value not in edition.eligible_sectors):
        names = ", ".join(str(SECTOR_NAMES.get(Sector(s), s)) for s in edition.eligible_sectors)
        return _("This edition is open only to these sectors: %(sectors)s.", sectors=names)
    return None


def describe_countries(edition: Edition) -> str:
    lang = str(get_locale() or "en")
    names = ", ".join(country_name(c, lang) for c in edition.eligible_countries)
    return _("This edition is open only to people from: %(countries)s.", countries=names)
