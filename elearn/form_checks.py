"""Checks shared by every domain's forms, so hostile input is refused at the form with a message
in the user's language instead of failing later (an email header, a PDF, a database column).

- `SingleLine()` on every one-line field (titles, names, subjects, venue): CR, LF and other
  control characters would split an email header or a calendar line.
- `SensibleDate()` on dates and date-times: years like 0001 or 9999 overflow time-zone
  arithmetic and are never meant.
"""

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

# C0 controls (tab included: it has no place in a one-line value), DEL, C1 controls, and the
# Unicode line and paragraph separators that some mail clients also break lines on.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def has_control_characters(value: str | None) -> bool:
    return bool(value) and bool(_CONTROL.search(value))


class SingleLine:
    """Refuse line breaks and control characters in a one-line text field."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        if isinstance(field.data, str) and has_control_characters(field.data):
            raise ValidationError(
                self.message or _l("This field must be a single line of text."))


def sensible_year(value: date | datetime | None) -> bool:
    return value is None or EARLIEST_YEAR <= value.year <= LATEST_YEAR


class SensibleDate:
    """Refuse dates outside EARLIEST_YEAR..LATEST_YEAR."""

    def __call__(self, form, field):
        if isinstance(field.data, date | datetime) and not sensible_year(field.data):
            raise ValidationError(_l("Enter a date between %(start)s and %(end)s.",
                                     start=EARLIEST_YEAR, end=LATEST_YEAR))
