"""`elearn.i18n.day_and_time_in_zone` remembers what it wrote (issue 20: every confirmation email
formats the same session times again). What it remembers must be exactly what Babel writes, and
never a text in another language or zone than the one asked for."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_skeleton
from flask_babel import force_locale, format_time

from elearn.i18n import _day_and_time, day_and_time_in_zone

MOMENTS = [datetime(2027, 1, 17, 13, 0, tzinfo=UTC), datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
           datetime(2026, 11, 1, 5, 59, tzinfo=UTC) + timedelta(microseconds=1)]
ZONES = ["America/Caracas", "America/Port_of_Spain", "Pacific/Chatham", "UTC"]


def _babel(value, zone, part, language):
    local = value.astimezone(ZoneInfo(zone))
    time_text = format_time(local, "short", rebase=False)
    return time_text if part == "time" else (
        f"{format_skeleton('yMMMEd', local, locale=language)} {time_text}")


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_what_is_remembered_is_what_babel_writes(app, language):
    _day_and_time.cache_clear()
    with app.test_request_context(), force_locale(language):
        for _round in range(2):  # the second round is read from what was remembered
            for moment in MOMENTS:
                for zone in ZONES:
                    for part in ("datetime", "time"):
                        assert day_and_time_in_zone(moment, zone, part) == _babel(
                            moment, zone, part, language)
    assert _day_and_time.cache_info().hits == len(MOMENTS) * len(ZONES) * 2


def test_each_language_and_zone_is_remembered_apart(app):
    moment = MOMENTS[0]
    with app.test_request_context():
        with force_locale("es"):
            spanish = day_and_time_in_zone(moment, "America/Caracas")
        with force_locale("en"):
            english = day_and_time_in_zone(moment, "America/Caracas")
            in_chatham = day_and_time_in_zone(moment, "Pacific/Chatham")
        with force_locale("es"):
            assert day_and_time_in_zone(moment, "America/Caracas") == spanish
    assert spanish == "dom, 17 ene 2027 9:00" and english == "Sun, Jan 17, 2027 9:00\u202fAM"
    assert in_chatham.startswith("Mon, Jan 18, 2027 2:45")


def test_an_unknown_zone_reads_as_utc(app):
    with app.test_request_context(), force_locale("en"):
        assert day_and_time_in_zone(MOMENTS[0], "Mars/Olympus") == day_and_time_in_zone(
            MOMENTS[0], "UTC")
