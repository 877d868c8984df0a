"""Which report: one year of the 2022–2026 work programme, or the whole period."""

import re
from dataclasses import dataclass

from flask_babel import gettext as _

FIRST_YEAR, LAST_YEAR = 2022, 2026  # the work programme's years
WHOLE = f"{FIRST_YEAR}-{LAST_YEAR}"
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Period:
    year: int | None  # None: the whole work programme

    @property
    def slug(self) -> str:
        """The period as written in URLs and file names."""
        return WHOLE if self.year is None else str(self.year)

    @property
    def label(self) -> str:
        return f"{FIRST_YEAR}–{LAST_YEAR}" if self.year is None else str(self.year)

    @property
    def years(self) -> list[int]:
        return [self.year] if self.year is not None else list(range(FIRST_YEAR, LAST_YEAR + 1))

    @property
    def title(self) -> str:
        if self.year is None:
            return _("Report on the work programme %(period)s", period=self.label)
        return _("Annual report %(year)s", year=self.year)


def parse_period(text: str | None) -> Period | None:
    """A year of the work programme, or the whole period; None for anything else (the page
    answers 404: a report that does not exist)."""
    text = text or ""  # not stripped: "2025\n" is not a period
    if text == WHOLE:
        return Period(None)
    if _YEAR.fullmatch(text) and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return Period(int(text))
    return None


def all_periods() -> list[Period]:
    return [*(Period(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)), Period(None)]
