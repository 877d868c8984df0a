"""Satisfaction in the report: the evaluation surveys' mean overall satisfaction per activity
(elearn.surveys.results_programme, with its disclosure control), behind this one small
interface so the report's formats do not depend on how surveys count."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from elearn.surveys.results_programme import satisfaction_by

NO_DATA = _l("No evaluation survey results yet.")


@dataclass(frozen=True)
class Satisfaction:
    """Respondents and their mean overall satisfaction (1 to 5), both already through the
    statistics' disclosure control: None when hidden (too few people answered)."""

    respondents: int | None = None
    mean: float | None = None
    available: bool = False

    @property
    def text(self) -> str:
        if not self.available:
            return str(NO_DATA)
        return ""  # the formats write the figures themselves


def no_data() -> Satisfaction:
    return Satisfaction()


def satisfaction_by_activity(year: int | None) -> dict[int, Satisfaction]:
    """activity id -> Satisfaction for the year (None: the whole period); activities whose
    events and editions had no survey answers are absent (the report says "no data")."""
    return {row.key: Satisfaction(respondents=row.responses, mean=row.mean, available=True)
            for row in satisfaction_by("activity", year)}
