"""Time zones as people choose them: a select of IANA zones by country, member states first,
each zone named by its country, city and current offset in the reader's language
("Colombia: Bogotá (UTC−5)").

A select rather than free text because people type "Bogota" or "GMT-5", which no calendar
understands; browsers let you type the first letters of an option to reach it. The mapping of
countries to zones and the city names are CLDR's (through Babel), not a list kept here.
"""

from datetime import datetime, timedelta
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


@lru_cache(maxsize=1)
def _preferred_zones() -> frozenset[str]:
    # The zone CLDR names for each Windows time zone: the one people know (New York rather
    # than Detroit for US Eastern time).
    return frozenset(get_global("windows_zone_mapping").values())


def _distinct_clocks(zones: list[str], now: datetime) -> list[str]:
    """One zone per clock within a country: zones whose offsets agree at every sample over
    the coming two years (Argentina's twelve zones, US Eastern's dozen) show one option,
    which keeps the select light (each option is repeated on every profile page). A zone
    dropped here is still accepted (is_valid_zone) and kept when already saved."""
    samples = [now + timedelta(days=15 * n) for n in range(49)]
    preferred = _preferred_zones()
    kept: dict[tuple, str] = {}
    for zone in sorted(zones, key=lambda z: z not in preferred):  # stable: CLDR order next
        info = ZoneInfo(zone)
        clock = tuple(moment.astimezone(info).utcoffset() for moment in samples)
        kept.setdefault(clock, zone)
    return list(kept.values())


@lru_cache(maxsize=16)
def _country_groups(locale: str, first: tuple[str, ...], hour: str) -> tuple:
    """(("Member states", ((zone, "Country: City (UTC−5)"), ...)), ("Other countries", ...)),
    each part alphabetical by country in the reader's language. The country leads each
    option, so typing its first letters reaches it (an optgroup label cannot be typed to).
    Cached per hour because offsets change."""
    now = datetime.fromisoformat(hour)
    territories = get_global("territory_zones")
    names = Locale.parse(locale).territories
    valid = known_zones()

    def options(code: str) -> list[tuple[str, str]]:
        country = names.get(code, code)
        zones = _distinct_clocks([z for z in territories.get(code, ()) if z in valid], now)
        found = []
        for zone in zones:
            city = get_timezone_location(zone, locale=locale, return_city=True)
            place = country if city == country else f"{country}: {city}"
            found.append((zone, f"{place} ({_offset(zone, now)})"))
        return found

    def part(codes) -> tuple:
        return tuple(sorted((o for code in codes for o in options(code)),
                            key=lambda option: option[1]))

    first_set = set(first)
    others = [code for code in territories
              if code not in first_set and code.isalpha() and len(code) == 2]
    return ((str(_l("Member states")), part(c for c in first if c in territories)),
            (str(_l("Other countries")), part(others)))


def zone_choices(current: str | None = None,
                 blank: str | None = None) -> dict[str | None, list[tuple[str, str]]]:
    """Optgroups for a WTForms SelectField. A value saved before (an alias such as
    America/Buenos_Aires) stays selectable so editing a record never loses it. `blank` labels
    a leading empty option (an optional field), outside any group."""
    locale = str(get_locale() or "en")
    hour = datetime.now(ZoneInfo(UTC_NAME)).replace(minute=0, second=0, microsecond=0)
    groups = _country_groups(locale, tuple(sorted(member_state_codes())), hour.isoformat())
    choices: dict[str | None, list] = {None: [("", str(blank))]} if blank is not None else {}
    choices.update((name, list(options)) for name, options in groups if options)
    other = [(UTC_NAME, "UTC")]
    listed = {zone for options in choices.values() for zone, _label in options}
    if current and current not in listed and current != UTC_NAME and is_valid_zone(current):
        city = get_timezone_location(current, locale=locale, return_city=True)
        other.insert(0, (current, f"{city} ({_offset(current, hour)})"))
    choices[str(_l("Other"))] = other
    return choices


def zone_label(name: str | None) -> str:
    """"Bogotá (UTC−5)": a saved zone as people read it (the profile page)."""
    if not is_valid_zone(name):
        return name or ""
    locale = str(get_locale() or "en")
    city = get_timezone_location(name, locale=locale, return_city=True)
    return f"{city} ({_offset(name, datetime.now(ZoneInfo(UTC_NAME)))})"


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
