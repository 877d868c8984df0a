"""The `<int:...>` URL converter used by every route: only ids a database column can hold.

Ids are INTEGER columns on PostgreSQL (up to 2^31 - 1) and SQLite refuses integers past 2^63, so
an id outside 1..2^31-1 can name no row: answering 404 at routing keeps such values away from the
database (an OverflowError or a DataError, hence a 500, otherwise). Only plain ASCII digits
without leading zeros match, so one object has one URL (`/events/007` and `/events/٧` are not
`/events/7`).
"""

from flask import render_template, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, ValidationError

LARGEST_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    # [0-9], not \d: Python's \d also matches other scripts' digits, which int() accepts.
    regex = r"[1-9][0-9]{0,9}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)
        # A signed id is never meant; 0 only where a route says so (`<int(min=0):...>`, e.g.
        # the statistics of "all": /stats/all/0).
        self.regex = ("0|" if self.min == 0 else "") + type(self).regex

    def to_python(self, value: str) -> int:
        if not value.isascii():
            raise ValidationError()
        return super().to_python(value)


def refuse_nul_characters():
    """A NUL character has no place in any text of this platform, and PostgreSQL refuses it in
    every text column and query (psycopg raises DataError, hence a 500): answer 400 before any
    view sees it, wherever it comes (path, query string, form field or field name)."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.method == "POST" and request.mimetype in _FORM_TYPES:
        texts += [*request.form.keys(), *request.form.values(), *request.files.keys(),
                  *(f.filename or "" for f in request.files.values())]
    if any("\x00" in value for value in texts):
        message = _("The text sent contains a NUL character, which no field accepts: "
                    "remove it and try again.")
        return render_template("error.html", code=400, message=message), 400
    return None


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
