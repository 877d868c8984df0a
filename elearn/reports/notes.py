"""What each figure of the report counts, written once for every format. The definitions of the
people measures are the statistics service's own (elearn.stats.labels), so the report and the
statistics pages never describe the same figure in two ways."""

from flask_babel import gettext as _

from elearn.stats.labels import COUNTING_RULE, MEASURE_DEFINITIONS, MEASURE_LABELS, filters_note

from .satisfaction import NO_DATA


def _measure(measure: str) -> str:
    return f"{MEASURE_LABELS[measure]}: {MEASURE_DEFINITIONS[measure]}"


def notes_for(f) -> dict[str, str]:
    """{figure group: what it counts}, in the active locale."""
    period = " ".join(filters_note(f))
    return {
        "people": _("People reached: distinct people who attended at least one session of an "
                    "event (present or late) as participants; speakers and chairs are counted "
                    "apart. A person reached by several activities counts once.") + " " + period,
        "countries": _("Countries reached: the countries of residence stated by the people "
                       "reached who agreed to the statistical use of their profile; member "
                       "states with few people are shown within their sub-region."),
        "women": _("Share of women: women among the people reached, out of all people "
                   "reached (whatever their answer about gender, including no answer)."),
        "activities": _("Activities: those planned in the period by the work programme, or "
                        "with an event, course edition or output in it. Delivered: marked "
                        "delivered by a programme manager. Events and editions held: those that "
                        "started and were not cancelled (drafts are not counted)."),
        "registered": _measure("registered"),
        "attended": _measure("attended"),
        "completed": _measure("completed"),
        "certified": _measure("certified"),
        "panel": _measure("panel"),
        "subregions": _("Participants who attended, by the sub-region of their country of "
                        "residence; people who did not say or did not agree to the statistical "
                        "use of their profile are shown as not stated."),
        "satisfaction": _("Satisfaction: from the evaluation surveys of the activity's events "
                          "and editions.") + " " + str(NO_DATA),
        "outputs": _("Outputs: public materials (minutes, presentations, recordings, reports, "
                     "compilations) published in the period, of the activity or of its events, "
                     "sessions and editions."),
        "counting": str(COUNTING_RULE) + " " + period,
        "hidden": _("x: hidden to protect the privacy of small groups."),
    }


# The order in which the notes are listed under "What the figures count".
ORDER = ("people", "countries", "women", "activities", "registered", "attended", "completed",
         "certified", "panel", "subregions", "satisfaction", "outputs", "counting", "hidden")
