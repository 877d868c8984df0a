"""The report as a list of blocks (headings, paragraphs, tables, links), built once from the
figures and drawn by each format: the web page, the PDF and the Word document therefore have
the same headings, tables and notes, in the same order."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from elearn.events.forms import MODE_LABELS
from elearn.multilingual import text_in
from elearn.outputs.labels import STATUS_LABELS
from elearn.stats.labels import GENDER_LABELS, MEASURE_LABELS
from elearn.stats.queries import GENDERS

from .figures import MEASURES, ActivityEntry, Figures, Report, Section
from .notes import ORDER

HIDDEN = "x"


@dataclass
class Heading:
    kind: ClassVar[str] = "heading"
    level: int  # 1 area (and the report's own sections), 2 programme, 3 project, 4 activity
    text: str
    anchor: str


@dataclass
class Para:
    kind: ClassVar[str] = "para"
    text: str
    style: str = "text"  # text | note (what a figure counts) | label (a short lead-in)


@dataclass
class Grid:
    kind: ClassVar[str] = "grid"
    caption: str
    header: list[str]
    rows: list[list[str]]
    labels: int = 1  # leading columns that are labels, not figures


@dataclass
class Links:
    kind: ClassVar[str] = "links"
    caption: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)


def number(value: int | None) -> str:
    return HIDDEN if value is None else format_decimal(value, format="#,##0")


def share(value: float | None) -> str:
    return "–" if value is None else format_decimal(value * 100, format="#,##0.0") + " %"


def title_of(part: dict, lang: str, field: str = "title") -> str:
    return text_in(part.get(field), lang, part.get("language") or "es")


def _gender_header(first: str) -> list[str]:
    return [first, *(str(GENDER_LABELS[g]) for g in GENDERS), _("Total")]


def _figures_row(label: str, figures: Figures, with_share: bool = False) -> list[str]:
    row = [label, *(number(v) for v in figures.values), number(figures.total)]
    return [*row, share(figures.share_of_women)] if with_share else row


def table_grid(table, caption: str) -> Grid | Para:
    """A statistics table (a StatTable, protected) as a grid, "x" where hidden."""
    if table.withheld:
        return Para(_("Fewer people than can be published without identifying anyone."))
    rows = [[*labels, *(number(v) for v in values), number(total)]
            for labels, values, total in table.body()]
    header = [*table.dim_titles, *(str(GENDER_LABELS[g]) for g in GENDERS), _("Total")]
    return Grid(caption, header, rows, labels=len(table.dims))


def _when(start, end) -> str:
    def day(value):
        return value.date() if isinstance(value, datetime) else value

    if start is None:
        return "–"
    first, last = day(start), day(end) if end is not None else None
    if last is None or last == first:
        return format_date(first, "medium")
    return f"{format_date(first, 'medium')} – {format_date(last, 'medium')}"


def _held(item: dict) -> str:
    if item.get("status") == "cancelled":
        return _("Cancelled")
    return _("Held") if item["held"] else _("Not yet held")


def _mode(value: str) -> str:
    if value == "online":
        return _("Online")
    return str(MODE_LABELS.get(value, value))


def _events_grid(row: dict, lang: str) -> Grid | Para:
    items = []
    for e in row["events"]:
        title = title_of(e, lang)
        items.append([title, _when(e["starts_at"], e["ends_at"]), _mode(e["mode"]), _held(e)])
    for e in row["editions"]:
        course, name = title_of(e, lang, "course_title"), title_of(e, lang, "name")
        items.append([f"{course}: {name}", _when(e["starts_on"], e["ends_on"]),
                      _mode(e["mode"]), _held(e)])
    if not items:
        return Para(_("No event or course edition in this period."))
    return Grid(_("Events and course editions"),
                [_("Event or edition"), _("Dates"), _("Mode"), _("Held")], items, labels=4)


def _status_line(row: dict) -> str:
    parts = [_("Status: %(status)s.", status=STATUS_LABELS[row["status"]])]
    if row.get("reason"):
        parts.append(_("Reason: %(reason)s", reason=row["reason"]))
    if row["year_from"] is not None:
        years = str(row["year_from"]) if row["year_to"] in (None, row["year_from"]) \
            else f"{row['year_from']}–{row['year_to']}"
        parts.append(_("Planned: %(years)s.", years=years))
    else:
        parts.append(_("No planned years in the work programme."))
    parts.append(_("Events and editions held: %(num)s.", num=row["held"]))
    return " ".join(parts)


def _activity_blocks(entry: ActivityEntry, lang: str) -> list:
    row = entry.progress
    figures = [_figures_row(str(MEASURE_LABELS[m]), entry.figures[m], True) for m in MEASURES]
    figures.append(_figures_row(str(MEASURE_LABELS["panel"]), entry.panel, True))
    blocks = [
        Heading(4, f"{row['path_code']} {title_of(row, lang)}", f"activity-{row['activity_id']}"),
        Para(_status_line(row)),
        _events_grid(row, lang),
        Grid(_("Participants by gender (distinct people)"),
             [*_gender_header(_("Figure")), _("Share of women")], figures),
    ]
    if entry.subregions:
        blocks.append(Grid(_("Participants who attended, by sub-region"),
                           _gender_header(_("Sub-region")),
                           [_figures_row(label, f) for label, f in entry.subregions]))
    blocks.append(Para(_("Satisfaction: %(text)s", text=_satisfaction(entry))))
    if entry.outputs:
        blocks.append(Links(_("Public outputs"), [
            (f"{o['title']} ({o['kind']}, {format_date(o['published_on'], 'medium')})",
             o["url"]) for o in entry.outputs]))
    else:
        blocks.append(Para(_("No public outputs in this period.")))
    blocks.append(Para(_("Sustainable Development Goals: %(sdgs)s",
                         sdgs="; ".join(entry.sdgs) or "–")))
    return blocks


def _satisfaction(entry: ActivityEntry) -> str:
    found = entry.satisfaction
    if not found.available:
        return found.text
    mean = HIDDEN if found.mean is None else format_decimal(found.mean, format="0.0")
    return _("Mean overall satisfaction %(mean)s out of 5 (%(num)s respondents).",
             mean=mean, num=number(found.respondents))


def _summary_blocks(report: Report) -> list:
    s = report.summary
    return [
        Heading(1, _("Summary"), "summary"),
        Grid(_("Key figures"), [_("Figure"), _("Value")], [
            [_("People reached"), number(s.people)],
            [_("Countries reached"), number(s.countries)],
            [_("Share of women"), share(s.women_share)],
            [_("Activities delivered / planned"), f"{number(s.delivered)} / {number(s.planned)}"],
            [_("Activities in this report"), number(s.activities)],
            [_("Events and course editions held"), number(s.held)],
        ]),
    ]


def build_outline(report: Report, lang: str, organisation: str) -> tuple[str, str, list]:
    """(title, subtitle, blocks) of the report."""
    subtitle = _("%(organisation)s. Generated by the platform on %(date)s.",
                 organisation=organisation, date=format_date(report.generated_on, "long"))
    blocks = _summary_blocks(report)
    if report.countries is not None and report.countries.rows:
        blocks.append(table_grid(report.countries, _("People reached by country")))
    if report.sdg_table is not None and report.sdg_table.rows:
        blocks.append(table_grid(report.sdg_table,
                                 _("People reached by Sustainable Development Goal")))
    blocks.append(Heading(1, _("What the figures count"), "notes"))
    blocks += [Para(report.notes[key], "note") for key in ORDER]
    for area in report.areas:
        blocks += _area_blocks(area, lang)
    if not report.areas:
        blocks.append(Para(_("No activity was planned or held in this period.")))
    return report.period.title, subtitle, blocks


def _area_blocks(area: Section, lang: str) -> list:
    code = area.part["code"]
    blocks = [Heading(1, f"{code}. {title_of(area.part, lang)}", f"area-{area.part['id']}")]
    if area.figures is not None:
        blocks.append(Grid(_("People reached in this area"),
                           [*_gender_header(_("Figure")), _("Share of women")],
                           [_figures_row(_("People reached"), area.figures, True)]))
    for programme in area.children:
        blocks.append(Heading(2, f"{code}.{programme.part['code']} "
                                 f"{title_of(programme.part, lang)}",
                              f"programme-{programme.part['id']}"))
        for project in programme.children:
            blocks.append(Heading(3, f"{code}.{programme.part['code']}.{project.part['code']} "
                                     f"{title_of(project.part, lang)}",
                                  f"project-{project.part['id']}"))
            for entry in project.children:
                blocks += _activity_blocks(entry, lang)
    return blocks


def headings(blocks: list) -> list[Heading]:
    return [b for b in blocks if isinstance(b, Heading)]
