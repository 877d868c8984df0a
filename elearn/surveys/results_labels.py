"""Names of the groups survey results are broken down by, in the reader's language (the
statistics' own labels, so a table here names a group as the statistics pages do)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from elearn.stats.labels import GENDER_LABELS, value_labels

from . import results_disclosure as disclosure

DIMENSION_LABELS = {"gender": _l("Gender"), "country": _l("Country"),
                    "subregion": _l("Sub-region"), "mode": _l("Mode of participation")}


def group_label(dimension: str, group: str) -> str:
    if group == disclosure.OTHER_OR_NOT_STATED:
        return _("Other groups or not stated")
    if group == disclosure.NOT_STATED:
        return _("Not stated")
    if group == "all":
        return _("Everyone")
    if dimension == "gender":
        if group == disclosure.OTHER:
            return _("Other groups")
        return str(GENDER_LABELS.get(group, group))
    if group == disclosure.OTHER and dimension != "country":
        return _("Other groups")
    return value_labels(dimension, {group})[group]
