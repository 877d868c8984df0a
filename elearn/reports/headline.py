"""The summary at the top of the report: people reached, the share of women among them, and
the people reached by country, by thematic area and by SDG, audited as one system.

Why not the statistics overview's year table: for one year it has a single row equal to its
totals, so any small cell in it drags the grand total (people reached) into hiding. The table
by country counts the same people (each in one country row), so its totals are the headline;
the disclosure audit keeps them published unless nothing else will do (the `keep` of
elearn.stats.disclosure), and the area and SDG tables, whose totals are at most the
headline's, are audited with it (as publishing._protect_together does for the overview)."""

from elearn.stats import merging, services
from elearn.stats.disclosure import suppress_together
from elearn.stats.queries import GENDERS, Filters


def _country_table(f: Filters):
    table = services.gender_table("attended", ("country",), f, protected=False)
    if table is None:
        return None
    merge = merging.decide([table], merging.minimum(*services.settings()))
    if merge:  # small countries shown within their sub-region, as on every protected page
        table = services.gender_table("attended", ("country",), f, protected=False,
                                      merge=merge)
    return table


def headline_tables(f: Filters) -> dict:
    """{"country", "thematic_area", "sdg": protected StatTable or None}."""
    threshold, min_group = services.settings()
    tables = {"country": _country_table(f)}
    for dim in ("thematic_area", "sdg"):
        tables[dim] = services.gender_table("attended", (dim,), f, protected=False)
    found = [t for t in tables.values() if t is not None]
    for table in found:
        table.protected = True
        table.withheld = 0 < table.matrix[-1][-1] < min_group
    audited = [t for t in found if not t.withheld]
    if not audited:
        return tables
    base = tables["country"]
    last = [len(t.matrix) - 1 for t in audited]
    links, keep = [], [set() for _t in audited]
    if base is not None and base in audited:
        b = audited.index(base)
        keep[b] = {(last[b], GENDERS.index("woman")), (last[b], len(GENDERS))}
        links = [((n, last[n], j), (b, last[b], j)) for n, t in enumerate(audited) if n != b
                 for j in range(len(base.matrix[-1]))
                 if t.matrix[-1][j] <= base.matrix[-1][j]]
    hidden = suppress_together([(t.matrix, *services.additivity(t.matrix)) for t in audited],
                               threshold, links, keep)
    for table, cells in zip(audited, hidden, strict=True):
        table.hidden = cells
    return tables
