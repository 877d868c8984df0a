"""Time zones as people choose them: a select of IANA zones grouped by country, member states
first, each zone named by its city and current offset in the reader's language.

A select rather than free text because people type "Bogota" or "GMT-5", which no calendar
understands; browsers let you type the first letters of an option to reach it. The mapping of
countries to zones and the city names are CLDR's (through Babel), not a list kept here.
"""

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel.core import Locale, get_global
from babel.dates import get_timezone_location
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import ValidationError

from .services.members import member_state_codes

UTC_NAME = "UTC"


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_zone(name: str | None) -> bool:
    return bool(name) and name in known_zones()


def _offset(zone: str, now: datetime) -> str:
    """"UTC−5", "UTC+5:30": short, because ~450 options repeat it on every profile page."""
    delta = now.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(delta.total_seconds() // 60) if delta else 0
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}:{rest:02d}" if rest else f"UTC{sign}{hours}"


@lru_cache(maxsize=16)
def _country_groups(locale: str, first: tuple[str, ...], hour: str) -> tuple:
    """((country name, ((zone, label), ...)), ...): `first` countries, then the others, each
    part alphabetical in the reader's language. Cached per hour because offsets change."""
    now = datetime.fromisoformat(hour)
    territories = get_global("territory_zones")
    names = Locale.parse(locale).territories
    valid = known_zones()

    def group(code: str) -> tuple[str, tuple]:
        zones = [z for z in territories.get(code, ()) if z in valid]
        options = tuple((z, f"{get_timezone_location(z, locale=locale, return_city=True)} "
                            f"({_offset(z, now)})") for z in zones)
        return names.get(code, code), tuple(sorted(options, key=lambda option: option[1]))

    first_set = set(first)
    leading = sorted((group(code) for code in first if code in territories),
                     key=lambda g: g[0])
    others = sorted((group(code) for code in territories
                     if code not in first_set and code.isalpha() and len(code) == 2),
                    key=lambda g: g[0])
    return tuple(g for g in leading + others if g[1])


def zone_choices(current: str | None = None,
                 blank: str | None = None) -> dict[str | None, list[tuple[str, str]]]:
    """Optgroups for a WTForms SelectField. A value saved before (an alias such as
    America/Buenos_Aires) stays selectable so editing a record never loses it. `blank` labels
    a leading empty option (an optional field), outside any group."""
    locale = str(get_locale() or "en")
    hour = datetime.now(ZoneInfo(UTC_NAME)).replace(minute=0, second=0, microsecond=0)
    groups = _country_groups(locale, tuple(sorted(member_state_codes())), hour.isoformat())
    choices: dict[str | None, list] = {None: [("", str(blank))]} if blank is not None else {}
    choices.update((name, list(options)) for name, options in groups)
    other = [(UTC_NAME, "UTC")]
    listed = {zone for options in choices.values() for zone, _label in options}
    if current and current not in listed and current != UTC_NAME and is_valid_zone(current):
        other.insert(0, (current, current))
    choices[str(_l("Other"))] = other
    return choices


class TimeZoneField(SelectField):
    """A select of IANA time zones; only a zone the tz database knows is accepted. With
    `blank="label"` the field is optional: an empty first option, stored as ""."""

    def __init__(self, label=None, validators=None, blank=None, **kwargs):
        super().__init__(label, validators, choices=[], validate_choice=False, **kwargs)
        self.blank = blank

    def pre_validate(self, form):
        if self.blank is not None and not self.data:
            return
        if not is_valid_zone(self.data):
            raise ValidationError(_l("Choose a time zone from the list."))

    def iter_groups(self):
        self.choices = zone_choices(self.data, self.blank)
        return super().iter_groups()

    def iter_choices(self):
        self.choices = zone_choices(self.data, self.blank)
        return super().iter_choices()

    def has_groups(self):
        return True
