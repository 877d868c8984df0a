"""Satisfaction in the report: the evaluation surveys' results per activity, behind this one
small interface so the report's formats do not change when the surveys arrive.

TODO(lead): the surveys domain (elearn/surveys/) is being built in another branch. Once it is
merged, `satisfaction_by_activity` should return the results of
`elearn.surveys.results.satisfaction_by("activity", year)` converted to `Satisfaction`
values (and `reports` must sit above `surveys` in the domain order). Until then every
activity shows "no data": no optional import of a module that may not exist.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

NO_DATA = _l("No evaluation survey results yet.")


@dataclass(frozen=True)
class Satisfaction:
    """Respondents and the share satisfied or very satisfied (both already through the
    statistics service's disclosure control); None when unknown or hidden."""

    respondents: int | None = None
    satisfied_share: float | None = None
    available: bool = False

    @property
    def text(self) -> str:
        if not self.available:
            return str(NO_DATA)
        return ""  # the formats write the figures themselves


def no_data() -> Satisfaction:
    return Satisfaction()


def satisfaction_by_activity(year: int | None) -> dict[int, Satisfaction]:
    """activity id -> Satisfaction for the year (None: the whole period). No surveys yet:
    empty, so every activity reads "no data" (see the TODO above)."""
    return {}
