"""Small categories merged before suppression (issue 12, point 2), on the demo's data: every
country in it has fewer than ten people, so the protected pages show sub-regions and "Other
countries"; figures are checked against the exact (administrators') tables and SQL."""

import pytest
from sqlalchemy import text

from elearn.extensions import db
from elearn.stats import exports, merging, services
from elearn.stats.disclosure import member_state_subregions
from elearn.stats.queries import Filters


def _exact(scope, f, by):
    return services.dashboard(scope, f, (by,), protected=False)


def test_small_countries_are_shown_within_their_subregion(demo):
    board = services.dashboard("all", Filters(), ("country",), protected=True)
    exact = _exact("all", Filters(), "country")
    regions = member_state_subregions()
    least = merging.minimum(*services.settings())
    assert least == 10  # the default: the minimum group size
    for table, truth in zip(board.tables[:2], exact.tables[:2], strict=True):
        people = {key[0]: row[-1] for key, row in zip(truth.rows, truth.matrix, strict=False)}
        # The exact table's countries are all small in the demo: none is left on its own.
        assert all(0 < n < least for code, n in people.items() if code)
        for key, row in zip(table.rows, table.matrix, strict=False):
            code = key[0]
            assert not (code and len(code) == 2), code
            if code.startswith("other:"):
                members = [c for c in people if c and regions.get(c) == code[6:]]
                assert row[-1] == sum(people[c] for c in members) >= least
        assert table.matrix[-1] == truth.matrix[-1]  # no one lost or counted twice
        assert sum(row[-1] for row in table.matrix[:-1]) == table.matrix[-1][-1]
        labels = [label[0] for label in table.row_labels]
        assert "Caribbean: other member states" in labels
        assert not any("other" in label.split(":")[0] for label in labels)
        assert "shown within their sub-region" in table.note
    # Registered and attended (linked tables) have the same rows, in the same order.
    assert board.tables[0].rows[:len(board.tables[1].rows)] == board.tables[1].rows


def test_the_merge_is_decided_once_for_the_page(demo):
    board = services.dashboard("event", Filters(event_id=13), ("country",), protected=True)
    rows = [t.rows for t in board.tables if t.dims == ("country",)]
    assert len(rows) >= 2
    union = set().union(*map(set, rows))
    # A country is either merged in every table or in none.
    assert not ({k[0] for k in union if len(k[0] or "") == 2}
                & {c for c, r in member_state_subregions().items() if any(
                    k[0] == f"other:{r}" for k in union)})


def test_administrators_see_every_country(demo):
    exact = _exact("all", Filters(), "country")
    assert all(not (key[0] or "").startswith("other") for key in exact.tables[0].rows)
    assert "sub-region" not in exact.tables[0].note


def test_age_groups_merge_into_bands_counting_people_once(demo):
    board = services.dashboard("all", Filters(), ("age_group",), protected=True)
    registered = board.tables[0]
    bands = {key[0] for key in registered.rows}
    assert bands & {"under-35", "35-54", "55+"}
    assert "wider age bands" in registered.note
    labels = {label[0] for label in registered.row_labels}
    assert not labels & {"under-35", "35-54", "55+"}
    # A band's total is its distinct people (someone in two groups of the band in two years
    # counts once), counted apart over the roll-up of facts.
    from elearn.stats.disclosure import AGE_BANDS

    exact = _exact("all", Filters(), "age_group").tables[0]
    for band in bands & {"under-35", "35-54", "55+"}:
        groups = [g for g, b in AGE_BANDS.items() if b == band]
        people = db.session.scalar(text(
            "SELECT count(DISTINCT user_id) FROM stats_fact WHERE measure = 'registered' "
            f"AND age_group IN ({', '.join(repr(g) for g in groups)})"))
        row = registered.matrix[registered.rows.index((band,))]
        assert row[-1] == people
        sizes = [r[-1] for k, r in zip(exact.rows, exact.matrix, strict=False) if k[0] in groups]
        assert max(sizes) <= row[-1] <= sum(sizes)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_carry_the_merged_rows_and_the_note(demo, fmt):
    board = services.dashboard("all", Filters(), ("country",), protected=True)
    table = board.tables[0]
    if fmt == "csv":
        out = exports.table_csv(table)
        assert "Caribbean: other member states" in out and "shown within their sub-region" in out
        assert "other:" not in out
    else:
        assert exports.tables_xlsx(board.tables)[:2] == b"PK"


def test_merging_publishes_figures_a_country_table_would_hide(demo, app):
    def published(table):
        """Non-zero figures published (cells and totals)."""
        return sum(1 for i, row in enumerate(table.matrix) for j, v in enumerate(row)
                   if v and (i, j) not in table.hidden)

    merged = services.dashboard("all", Filters(), ("country",), protected=True).tables[0]
    app.config["STATS_MERGE_MINIMUM"] = 0  # merging switched off
    try:
        plain = services.dashboard("all", Filters(), ("country",), protected=True).tables[0]
    finally:
        del app.config["STATS_MERGE_MINIMUM"]
    assert len(plain.rows) > 2 * len(merged.rows)
    assert published(merged) > published(plain)
    assert sum(merged.matrix[i][j] for i in range(len(merged.rows)) for j in range(6)
               if (i, j) not in merged.hidden) > 0
