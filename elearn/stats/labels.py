"""Translated names for the values that appear as table rows and columns, and the definition
of each measure: the "what these figures count" note shown beside every table, on the pages and
in the exports."""

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from elearn.accounts.labels import (
    GENDER_GROUP_LABELS,
    NOT_ANSWERED,
    SECTOR_LABELS,
    SUBREGION_LABELS,
)
from elearn.extensions import db
from elearn.multilingual import text_in

from .merging import merged_label

GENDER_LABELS = {**GENDER_GROUP_LABELS, "not_answered": NOT_ANSWERED}
DIMENSION_LABELS = {
    "country": _l("Country"), "subregion": _l("Sub-region"), "sector": _l("Sector"),
    "age_group": _l("Age group"), "mode": _l("Mode"), "kind": _l("Kind"),
    "programme": _l("Programme"), "thematic_area": _l("Thematic area"),
    "activity": _l("Activity"), "sdg": _l("SDG"), "year": _l("Year"), "role": _l("Role"),
}
MEASURE_LABELS = {
    "registered": _l("Registered participants"), "attended": _l("Participants who attended"),
    "completed": _l("Participants who completed"), "certified": _l("Certified participants"),
    "panel": _l("Speakers, panellists, chairs and moderators"),
    "in_team": _l("Participants in a team"), "captain": _l("Team captains"),
    "submitted": _l("Members of teams that submitted a project"),
}
# What each measure counts (the rules themselves are in rollup.py, once).
MEASURE_DEFINITIONS = {
    "registered": _l("People with a confirmed registration as participants of an event, or "
                     "enrolled in a course edition."),
    "attended": _l("Participants present or late at one session or more of an event; "
                   "speakers and chairs are counted apart."),
    "completed": _l("People who completed a course edition."),
    "certified": _l("People holding a valid certificate of participation of an event or a "
                    "valid diploma of a course edition."),
    "panel": _l("People confirmed as speakers, panellists, chairs or moderators of an event "
                "(panel parity)."),
    "in_team": _l("Registered participants of the hackathon who are members of a team."),
    "captain": _l("Registered participants of the hackathon who captain a team."),
    "submitted": _l("Registered participants of the hackathon whose team submitted a project."),
}
# The same for every measure: how cells and totals count.
COUNTING_RULE = _l("Each figure counts distinct people: a person counts once in each cell and "
                   "once in each total, even when they fall in several rows (several years, "
                   "kinds or activities), so a total can be less than the sum of its cells. "
                   "Shares of women are computed on people. Cancelled events are not counted.")
SHARES_NOTE = _l("Distinct people per programme: participants registered and people "
                 "certified, cancelled events excluded.")
VALUE_LABELS = {
    "subregion": SUBREGION_LABELS,
    "sector": SECTOR_LABELS,
    "mode": {"in_person": _l("In person"), "online": _l("Online")},
    "kind": {"workshop": _l("Workshop"), "virtual_seminar": _l("Virtual seminar"),
             "meeting": _l("Meeting"), "round_table": _l("Round table"), "forum": _l("Forum"),
             "training": _l("Training"), "hackathon": _l("Hackathon"),
             "live_class": _l("Live class"), "course": _l("Course")},
    "role": {"speaker": _l("Speakers"), "panellist": _l("Panellists"), "chair": _l("Chairs"),
             "moderator": _l("Moderators")},
    "age_group": {"under-25": _l("Under 25"), "65+": _l("65 and over")},
}
UNKNOWN = _l("Not stated")


def _lang() -> str:
    return str(get_locale() or "en")


def _titles(model, ids) -> dict:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    code = getattr(model, "path_code", None) or getattr(model, "code", None)
    rows = db.session.execute(
        select(model.id, code, model.title).where(model.id.in_(ids))
    ).all()
    return {i: f"{c} {text_in(t, _lang())}" for i, c, t in rows}


def value_labels(dimension: str, values) -> dict:
    """{value: label} for the values of one dimension, with one query at most."""
    from elearn.programme.models import Activity, Programme, Sdg, ThematicArea

    values = set(values)
    labels: dict = {}
    if dimension == "programme":
        wanted = [v for v in values if v is not None]
        rows = db.session.execute(
            select(Programme.id, ThematicArea.code, Programme.code, Programme.title)
            .join(ThematicArea, ThematicArea.id == Programme.area_id)
            .where(Programme.id.in_(wanted))).all() if wanted else []
        labels = {i: f"{a}.{c} {text_in(t, _lang())}" for i, a, c, t in rows}
    elif dimension in ("thematic_area", "activity"):
        model = ThematicArea if dimension == "thematic_area" else Activity
        labels = _titles(model, values)
    elif dimension == "sdg":
        wanted = [v for v in values if v is not None]
        rows = db.session.execute(select(Sdg.number, Sdg.title)
                                  .where(Sdg.number.in_(wanted))).all() if wanted else []
        labels = {n: f"{n}. {text_in(t, _lang())}" for n, t in rows}
    elif dimension == "country":
        territories = get_locale().territories if get_locale() else {}
        labels = {v: merged_label(dimension, v, SUBREGION_LABELS) or territories.get(v, v)
                  for v in values if v}
    elif dimension == "year":
        labels = {v: str(int(v)) for v in values if v is not None}
    else:
        known = VALUE_LABELS.get(dimension, {})
        labels = {v: merged_label(dimension, v, SUBREGION_LABELS) or str(known.get(v, v))
                  for v in values if v and v != "unknown"}
    return {v: labels.get(v) or str(UNKNOWN) for v in values}


def filters_note(f) -> list[str]:
    """The period and the filters of a table (a queries.Filters), in words."""
    parts = [_("Period: %(year)s.", year=f.year) if f.year is not None
             else _("Period: all years.")]
    if f.event_id is not None and f.edition_id is None:
        parts.append(_("This event only."))
    if f.edition_id is not None:
        parts.append(_("This course edition only, with its live classes."))
    chosen = [(d, getattr(f, d)) for d in ("programme", "kind", "mode", "country", "subregion")
              if getattr(f, d) is not None]
    if chosen:
        parts.append(_("Only %(filters)s.", filters="; ".join(
            f"{DIMENSION_LABELS[d]}: {value_labels(d, {v})[v]}" for d, v in chosen)))
    return parts


def measure_note(measure: str, f) -> tuple[str, str]:
    """What the figures of one table count, shown beside the table on every page and written
    into every export: (the measure's definition, the counting rule with the period and
    filters)."""
    return (str(MEASURE_DEFINITIONS[measure]),
            " ".join([str(COUNTING_RULE), *filters_note(f)]))
