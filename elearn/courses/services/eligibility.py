"""Who may apply to an edition, with the reason in words when not. The decision itself is
elearn.accounts.eligibility (shared with events); here only the courses' wording."""

from flask_babel import get_locale
from flask_babel import gettext as _

from elearn.accounts.eligibility import EligibilityRule, Unmet, unmet_condition
from elearn.accounts.labels import SECTOR_LABELS, SUBREGION_IN_TEXT, label, names
from elearn.accounts.services import country_name

from ..models import Edition


def _countries(rule: EligibilityRule) -> str:
    lang = str(get_locale() or "en")
    return ", ".join(country_name(c, lang) for c in rule.countries)


def _caribbean_officials() -> str:
    return _("This edition is open only to officials of Caribbean member states.")


def describe(edition: Edition) -> list[str]:
    """The eligibility conditions in words, for the edition page."""
    rule = EligibilityRule.of(edition)
    if rule.caribbean_only and rule.public_officials_only and not rule.countries:
        return [_caribbean_officials()]
    lines = []
    if rule.public_officials_only:
        lines.append(_("Open to public officials only."))
    if rule.subregions:
        lines.append(_("Open to member states of: %(subregions)s.",
                       subregions=names(SUBREGION_IN_TEXT, rule.subregions)))
    if rule.countries:
        lines.append(_("Open to people from: %(countries)s.", countries=_countries(rule)))
    if rule.sectors:
        lines.append(_("Open to these sectors: %(sectors)s.",
                       sectors=names(SECTOR_LABELS, rule.sectors)))
    return lines


def ineligibility_reason(edition: Edition, user) -> str | None:
    """None when `user` may apply; otherwise why not, in the viewer's language."""
    rule = EligibilityRule.of(edition)
    unmet = unmet_condition(rule, user)
    if unmet is None:
        return None
    caribbean_officials = rule.caribbean_only and rule.public_officials_only and \
        not rule.countries
    if unmet == Unmet.PUBLIC_OFFICIALS_ONLY:
        if caribbean_officials:
            return _caribbean_officials()
        return _("This edition is open only to public officials. If you are one, say so in "
                 "your profile.")
    if unmet == Unmet.NO_COUNTRY:
        return _("Add your country to your profile: this edition is open only to some "
                 "countries.")
    if unmet == Unmet.LOCATION:
        if caribbean_officials:
            return _caribbean_officials()
        if rule.caribbean_only and not rule.countries:
            return _("This edition is open only to Caribbean member states.")
        if not rule.countries:
            return _("This edition is open only to member states of: %(subregions)s.",
                     subregions=names(SUBREGION_IN_TEXT, rule.subregions))
        # Either list admits a person, so both are named as places, like events do.
        places = [_countries(rule)] + [label(SUBREGION_IN_TEXT, s) for s in rule.subregions]
        return _("This edition is open only to people from: %(countries)s.",
                 countries=", ".join(places))
    return _("This edition is open only to these sectors: %(sectors)s.",
             sectors=names(SECTOR_LABELS, rule.sectors))
