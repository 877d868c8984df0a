
import pytest

from elearn.events.models import EventKind
from elearn.stats.queries import GENDERS, Filters
from elearn.stats.services import gender_table

from .test_disclosure import _determined


def _row(table, *labels):
    index = table.row_labels.index(tuple(labels))
    return dict(zip([*GENDERS, "total"], table.matrix[index], strict=True))


def test_registered_by_country_keeps_not_answered_apart(population):
    event, _people = population
    table = gender_table("registered", ("country",), Filters(event_id=event.id),
                         protected=False)
    assert _row(table, "Venezuela") == {"woman": 6, "man": 3, "non_binary": 0, "another": 0,
                                        "prefer_not_to_say": 2, "not_answered": 3, "total": 14}
    assert _row(table, "Jamaica")["woman"] == 2
    totals = dict(zip([*GENDERS, "total"], table.matrix[-1], strict=True))
    assert totals["total"] == 17  # the cancelled registration and the panel are not counted
    assert totals["not_answered"] == 3 and totals["prefer_not_to_say"] == 2


def test_attended_excludes_the_panel_and_absentees(population):
    event, _people = population
    table = gender_table("attended", ("year",), Filters(event_id=event.id), protected=False)
    assert table.row_labels == [("2025",)]
    assert _row(table, "2025") == {"woman": 7, "man": 3, "non_binary": 0, "another": 0,
                                   "prefer_not_to_say": 0, "not_answered": 0, "total": 10}


def test_panel_parity_reported_apart(population):
    event, _people = population
    table = gender_table("panel", ("role",), Filters(event_id=event.id), protected=False)
    assert table.matrix[-1][GENDERS.index("woman")] == 2 and table.matrix[-1][-1] == 5
    assert table.share_of_women() == pytest.approx(0.4)


def test_every_dimension_groups_in_sql(population, activity):
    event, _people = population
    f = Filters(event_id=event.id)
    by = {d: gender_table("registered", (d,), f, protected=False)
          for d in ("subregion", "sector", "age_group", "mode", "kind", "programme",
                    "thematic_area", "activity", "sdg", "year")}
    assert _row(by["subregion"], "Caribbean")["total"] == 2
    assert _row(by["subregion"], "South America")["total"] == 14
    assert _row(by["programme"], "I.II SMEs")["total"] == 17
    assert _row(by["sdg"], "5. Gender equality")["total"] == 17
    assert _row(by["kind"], "Workshop")["total"] == 17
    assert _row(by["mode"], "Online")["total"] == 8
    # Born 1990-2006, the event in 2025: ages 19-35.
    assert [r[0] for r in by["age_group"].row_labels] == ["Under 25", "25-34", "35-44"]
    cross = gender_table("registered", ("country", "year"), f, protected=False)
    assert ("Venezuela", "2025") in cross.row_labels


def test_filters_narrow_the_facts(population):
    event, _people = population
    assert gender_table("registered", ("year",), Filters(year=2024), protected=False).matrix \
        == [[0] * 7]
    only_jm = gender_table("registered", ("country",), Filters(country="JM"), protected=False)
    assert only_jm.matrix[-1][-1] == 2
    caribbean = gender_table("registered", ("country",), Filters(subregion="caribbean"),
                             protected=False)
    assert caribbean.matrix[-1][-1] == 2
    online = gender_table("registered", ("kind",), Filters(mode="online",
                                                           kind=EventKind.WORKSHOP.value),
                          protected=False)
    assert online.matrix[-1][-1] == 8


def test_protected_table_hides_small_cells_and_their_complements(app, population):
    event, _people = population
    table = gender_table("registered", ("country",), Filters(event_id=event.id), protected=True)
    jamaica = table.row_labels.index(("Jamaica",))
    assert table.value(jamaica, GENDERS.index("woman")) is None
    assert table.value(jamaica, len(GENDERS)) is None  # its total (2) too
    for labels, values, total in table.body():
        hidden = [v for v in values if v is None] + ([None] if total is None else [])
        assert len(hidden) != 1, labels
    assert not _determined(table.matrix, table.hidden)
    raw = gender_table("registered", ("country",), Filters(event_id=event.id), protected=False)
    for i, row in enumerate(table.matrix):
        for j, _v in enumerate(row):
            assert table.value(i, j) in (None, raw.value(i, j))


def test_small_groups_get_no_breakdown(app, app_config, population):
    event, _people = population
    only_jm = gender_table("registered", ("sector",), Filters(country="JM"), protected=True)
    assert only_jm.withheld and only_jm.total is None
    app.config["STATS_SUPPRESSION_THRESHOLD"] = 0
    table = gender_table("registered", ("country",), Filters(event_id=event.id), protected=True)
    assert table.value(table.row_labels.index(("Jamaica",)), 0) == 2 and not table.hidden
