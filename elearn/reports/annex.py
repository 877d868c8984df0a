"""The report's annex: the same figures, one row per activity and year, as CSV or XLSX for the
organisation's own analysis. People figures come from protected statistics tables grouped by
activity and year (hidden cells written "x", as in every export); planned against delivered
from `activity_progress` of each year."""

import csv
import io

from flask_babel import gettext as _

from elearn.multilingual import text_in
from elearn.outputs.labels import STATUS_LABELS
from elearn.outputs.services.progress import activity_progress
from elearn.stats import services
from elearn.stats.labels import GENDER_LABELS, MEASURE_LABELS
from elearn.stats.queries import GENDERS, Filters

from .figures import MEASURES, Figures, lookup, rows_of, sdgs_of
from .notes import ORDER, notes_for
from .outline import HIDDEN
from .period import Period

FORMATS = ("csv", "xlsx")
ALL_MEASURES = (*MEASURES, "panel")


def _tables(period: Period) -> dict:
    f = Filters(year=period.year)
    tables = services.merged_tables(MEASURES, ("activity", "year"), f, protected=True)
    panel = services.gender_table("panel", ("activity", "year"), f, protected=True)
    services.protect_together([*tables, *([panel] if panel is not None else [])])
    return {t.measure: t for t in [*tables, *([panel] if panel is not None else [])]}


def header() -> list[str]:
    columns = [_("Year"), _("Thematic area"), _("Programme"), _("Project"), _("Activity"),
               _("Title"), _("Planned this year"), _("Status"), _("Events held"),
               _("Course editions held"), _("Public outputs")]
    for measure in ALL_MEASURES:
        label = str(MEASURE_LABELS[measure])
        columns += [f"{label}: {GENDER_LABELS[g]}" for g in GENDERS]
        columns += [f"{label}: {_('Total')}", f"{label}: {_('Share of women')}"]
    return [*columns, _("Sustainable Development Goals")]


def annex_rows(period: Period, lang: str) -> list[list]:
    """[[values...]] one per activity and year, in the programme's order; figures are ints,
    hidden ones "x", shares floats (None when not published)."""
    tables = _tables(period)
    rows = {m: rows_of(t) for m, t in tables.items()}
    withheld = {m: t.withheld for m, t in tables.items()}
    found = []
    progress = {year: activity_progress(year) for year in period.years}
    ids = sorted({r["activity_id"] for rows_of_year in progress.values() for r in rows_of_year})
    sdgs = sdgs_of(ids, lang) if ids else {}
    for year in period.years:
        for r in progress[year]:
            aid = r["activity_id"]
            title = text_in(r["title"], lang, r["language"])
            line = [year, r["area"]["code"], r["programme"]["code"], r["project"]["code"],
                    r["path_code"], title, _("yes") if r["planned"] else _("no"),
                    str(STATUS_LABELS[r["status"]]),
                    sum(1 for e in r["events"] if e["held"]),
                    sum(1 for e in r["editions"] if e["held"]), r["public_outputs"]]
            for measure in ALL_MEASURES:
                figures = lookup(rows.get(measure, {}), (aid, year), withheld.get(measure, False))
                line += _cells(figures)
            found.append([*line, "; ".join(sdgs.get(aid, []))])
    return found


def _cells(figures: Figures) -> list:
    share = figures.share_of_women
    return [*(HIDDEN if v is None else v for v in figures.values),
            HIDDEN if figures.total is None else figures.total,
            None if share is None else round(share, 4)]


def _notes(period: Period) -> list[str]:
    notes = notes_for(Filters(year=period.year))
    return [_("What these figures count:"), *(notes[k] for k in ORDER)]


def annex_csv(period: Period, lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    for row in annex_rows(period, lang):
        writer.writerow(["" if v is None else v for v in row])
    writer.writerow([])
    for note in _notes(period):
        writer.writerow([note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads the accents right


def annex_xlsx(period: Period, lang: str) -> bytes:
    import xlsxwriter  # here, not at the top: a web worker that never exports never loads it

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    percent = book.add_format({"num_format": "0.0%"})
    sheet = book.add_worksheet(_("Annex")[:31])
    columns = header()
    sheet.write_row(0, 0, columns, bold)
    shares = {i for i, c in enumerate(columns) if c.endswith(_("Share of women"))}
    r = 0
    for r, row in enumerate(annex_rows(period, lang), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            sheet.write(r, c, value, percent if c in shares else None)
    sheet.freeze_panes(1, 6)
    sheet.set_column(5, 5, 40)
    notes = book.add_worksheet(_("What these figures count")[:31])
    for n, note in enumerate(_notes(period)):
        notes.write(n, 0, note, bold if n == 0 else None)
    notes.set_column(0, 0, 120)
    book.close()
    return out.getvalue()
