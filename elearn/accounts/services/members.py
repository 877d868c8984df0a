"""Member states (a data list) and the country choices built from them."""

import unicodedata
from importlib import resources

import pycountry
import yaml
from babel import Locale
from sqlalchemy import select

from elearn.extensions import db

from ..models import MemberState, Subregion


def load_member_states() -> int:
    """Insert or update the member states from accounts/data/member_states.yaml."""
    data = yaml.safe_load(
        resources.files("elearn.accounts").joinpath("data/member_states.yaml").read_text("utf-8")
    )
    existing = {m.country_code: m for m in db.session.scalars(db.select(MemberState))}
    for row in data["member_states"]:
        state = existing.get(row["code"]) or MemberState(country_code=row["code"])
        state.subregion = Subregion(row["subregion"])
        db.session.add(state)
    return len(data["member_states"])


def is_valid_country(code: str | None) -> bool:
    if not code or len(code) != 2:
        return False
    return pycountry.countries.get(alpha_2=code.upper()) is not None


def country_name(code: str | None, language: str = "en") -> str:
    if not code:
        return ""
    name = Locale.parse(language).territories.get(code.upper())
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def member_state_codes() -> list[str]:
    return list(db.session.scalars(
        select(MemberState.country_code).where(MemberState.active.is_(True))
    ))


def _alphabetical(choice: tuple[str, str]) -> str:
    # "Émirats" sorts with E, not after Z: compare without accents.
    decomposed = unicodedata.normalize("NFKD", choice[1])
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def country_choices(language: str = "en") -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(code, name)]) groups: member states first, then every other country,
    each sorted by its name in the viewer's language."""
    from flask_babel import gettext as _

    territories = Locale.parse(language).territories
    members = set(member_state_codes())

    def named(code: str, fallback: str) -> tuple[str, str]:
        return code, territories.get(code, fallback)

    everyone = [named(c.alpha_2, c.name) for c in pycountry.countries]
    first = sorted((c for c in everyone if c[0] in members), key=_alphabetical)
    rest = sorted((c for c in everyone if c[0] not in members), key=_alphabetical)
    return [(_("Member states"), first), (_("Other countries"), rest)]
