"""Merging small categories before suppression (issue 12, point 2): the way statistical offices
keep a table readable instead of a sea of "x". Countries with few people are shown within their
sub-region ("Caribbean: other member states"), such sub-regions still small within "Other
countries"; age groups within wider bands.

The merge is decided once per page or export, from every table shown together, and applied to
each of them: linked tables (registered and attended by country of one event) keep the same
rows, so the joint audit (services.protect_together) still pairs them figure by figure.
"""

import os
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _

from .disclosure import (
    OTHER_MEMBER_STATES,
    age_band_map,
    country_merge_map,
    member_state_subregions,
)

MERGED_DIMENSIONS = ("country", "age_group")
# Rows in the order people read them: each band after the groups it replaces.
AGE_ORDER = ("under-25", "25-34", "under-35", "35-44", "45-54", "35-54", "55-64", "65+",
             "55+", "unknown")


def minimum(threshold: int, min_group: int) -> int:
    """People a country or an age group needs to be shown on its own (STATS_MERGE_MINIMUM).

    By default the minimum group size (STATS_MIN_GROUP_SIZE, 10): the size below which a
    whole table is withheld as identifying. A row smaller than that is a group the platform
    would not publish on its own page either; with six gender answers it cannot show more than
    an "x" or two, while merged it can. At 10 (2 x (threshold + 1) with the threshold of 4) a
    row's total is always publishable and its two largest answers usually are. The
    settings come from services.settings()."""
    value = current_app.config.get("STATS_MERGE_MINIMUM",
                                   os.environ.get("STATS_MERGE_MINIMUM"))
    return int(value) if value not in (None, "") else max(min_group, threshold + 1)


@dataclass(frozen=True)
class Merge:
    """{dimension: {value: the row it is shown in}} for the values that move."""

    moves: dict = field(default_factory=dict)
    minimum: int = 0

    def __bool__(self) -> bool:
        return any(self.moves.values())

    def notes(self) -> list[str]:
        notes = []
        if self.moves.get("country"):
            notes.append(_("Countries with fewer than %(minimum)s people are shown within "
                           "their sub-region, and sub-regions with fewer within other "
                           "countries.", minimum=self.minimum))
        if self.moves.get("age_group"):
            notes.append(_("Age groups with fewer than %(minimum)s people are shown in wider "
                           "age bands.", minimum=self.minimum))
        return notes


def _sizes(tables, dim: str) -> dict:
    """People per value of `dim`: for each table the sum of the row totals of the rows with
    that value (people in a one-dimension table; person-rows when crossed with another
    dimension, which only merges less), then the largest over the tables: the page's
    population (registered) decides, the smaller measures among it follow its rows."""
    sizes: dict = {}
    for table in tables:
        if dim not in table.dims:
            continue
        d = table.dims.index(dim)
        mine: dict = {}
        for key, row in zip(table.rows, table.matrix, strict=False):
            mine[key[d]] = mine.get(key[d], 0) + row[-1]
        for value, size in mine.items():
            sizes[value] = max(sizes.get(value, 0), size)
    return sizes


def decide(tables, least: int) -> Merge:
    """One merge for the tables of a page, from their (exact, not yet protected) figures:
    countries and age groups with fewer than `least` people (minimum()) move."""
    dims = {d for t in tables for d in t.dims if d in MERGED_DIMENSIONS}
    if not dims:
        return Merge()
    moves = {}
    if "country" in dims:
        regions = member_state_subregions()
        moves["country"] = country_merge_map(_sizes(tables, "country"), regions.get, least)
    if "age_group" in dims:
        moves["age_group"] = age_band_map(
            {k: v for k, v in _sizes(tables, "age_group").items() if k}, least)
    return Merge(moves={d: m for d, m in moves.items() if m}, minimum=least)


def merged_label(dimension: str, value, subregion_labels: dict) -> str | None:
    """The translated name of a merged row, None for an ordinary value."""
    if dimension == "country" and isinstance(value, str):
        if value == OTHER_MEMBER_STATES:
            return _("Other countries")
        if value.startswith(OTHER_MEMBER_STATES + ":"):
            region = value.split(":", 1)[1]
            return _("%(subregion)s: other member states",
                     subregion=subregion_labels.get(region, region))
    if dimension == "age_group":
        return {"under-35": _("Under 35"), "35-54": _("35 to 54"),
                "55+": _("55 and over")}.get(value)
    return None
