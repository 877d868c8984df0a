"""The published overview's headline with the demo data (issue 12, point 4): people reached and
the share of women among them are shown, equal to an independent count over the records, and
the overview's tables still withstand the attacker with them published."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from elearn.stats import publishing, services

from .test_attacker import additivity, findings
from .test_joint_audit import joint_findings

# Everyone who attended (present or late) a session of an event that was not cancelled, as a
# participant (speakers, panellists, chairs and moderators of that event are counted apart).
REACHED = """
SELECT count(DISTINCT a.user_id),
       count(DISTINCT CASE WHEN u.gender = 'woman' AND u.stats_consent_at IS NOT NULL
                           THEN a.user_id END)
FROM attendance a
JOIN event_session s ON s.id = a.session_id
JOIN event e ON e.id = s.event_id
JOIN "user" u ON u.id = a.user_id
WHERE a.status IN ('present', 'late') AND e.status != 'cancelled'
  AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.event_id = e.id
                  AND r.user_id = a.user_id AND r.role != 'participant')
"""


# A fresh `flask elearn demo` in its own process and database, as people run it: the demo's
# data depend on what the process did before (other tests load it too), so the headline is
# checked on the demo exactly as it is first loaded. The demo's dates are relative to the day
# it is loaded, so the day is a parameter: late in a year the demo's attendance spans two
# years, and everyone of the earlier year came again in the later one.
FRESH_DEMO = """
import json, sys
from datetime import datetime
import time_machine
if sys.argv[3]:
    time_machine.travel(datetime.fromisoformat(sys.argv[3]), tick=True).start()
from elearn import create_app
from elearn.extensions import db
from sqlalchemy import text
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "TESTING": True,
                  "SECRET_KEY": "x" * 40, "REDIS_URL": None, "MAIL_SERVER": None})
with app.app_context():
    db.create_all()
    from elearn.demo import populate
    populate()
    reached = list(db.session.execute(text(sys.argv[2])).one())
    client = app.test_client()
    pages = {lang: client.get("/statistics/", headers={"Accept-Language": lang})
             .get_data(as_text=True) for lang in ("en", "es")}
print("RESULT" + json.dumps({"reached": reached, "pages": pages}))
"""


@pytest.mark.parametrize("day", ["", "2026-12-07T12:00:00+00:00", "2027-06-15T12:00:00+00:00"],
                         ids=["today", "late-in-a-year", "mid-year"])
def test_public_page_shows_people_reached_and_share_of_women(tmp_path, day):
    run = subprocess.run([sys.executable, "-c", FRESH_DEMO, str(tmp_path / "demo.db"), REACHED,
                          day],
                         capture_output=True, text=True, timeout=900,
                         cwd=Path(__file__).resolve().parents[2])
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.split("RESULT", 1)[1])
    people, women = result["reached"]
    assert people > 20 and 0 < women < people
    for language, page in result["pages"].items():
        cards = re.findall(r"<li><strong>([^<]+)</strong><br>([^<]+)</li>", page)
        figures = {label.strip(): figure.strip() for figure, label in cards}
        assert str(people) in figures.values(), (language, cards)
        assert f"{100 * women / people:.1f} %" in figures.values(), (language, cards)
        if language == "en":
            assert figures["people reached"] == str(people)
            assert figures["share of women among the people reached"] == \
                f"{100 * women / people:.1f} %"


def test_the_headline_is_the_audited_year_table(demo):
    overview = publishing.overview()
    year = overview.tables[0]
    assert overview.people == year.total
    if overview.share_of_women is not None:
        assert overview.share_of_women == year.column_total("woman") / year.total
    for table in overview.tables:
        columns, rows = additivity(table.matrix)
        assert findings(table.matrix, table.hidden, additive=columns,
                        rows_additive=rows) == ([], []), table.key
    assert joint_findings_of(overview.tables) == ([], [])


def joint_findings_of(tables):
    """The overview's three tables read together: the area and SDG totals are at most the
    year table's."""
    last = [len(t.matrix) - 1 for t in tables]
    links = [((n, last[n], j), (0, last[0], j)) for n in range(1, len(tables))
             for j in range(len(tables[0].matrix[-1]))
             if tables[n].matrix[-1][j] <= tables[0].matrix[-1][j]]
    return joint_findings([t.matrix for t in tables], [t.hidden for t in tables], links,
                          [additivity(t.matrix) for t in tables])


# The overview of the demo loaded on 2026-12-07 (women, men, three other columns, not
# stated, total): the 2026 row holds everyone the 2025 row holds, so it equals the totals
# row, and the area and SDG totals rows repeat it.
YEARS = [[8, 5, 0, 1, 0, 1, 15], [20, 15, 2, 1, 3, 7, 48], [20, 15, 2, 1, 3, 7, 48]]
AREAS = [[16, 11, 1, 1, 3, 3, 35], [14, 12, 1, 1, 3, 3, 34], [11, 7, 1, 0, 3, 5, 27],
         [20, 15, 2, 1, 3, 7, 48]]
SDGS = [[6, 3, 1, 0, 1, 2, 13], [6, 6, 1, 0, 3, 3, 19], [16, 14, 1, 1, 3, 5, 40],
        [16, 12, 1, 1, 3, 3, 36], [16, 9, 1, 1, 3, 5, 35], [15, 14, 2, 1, 3, 4, 39],
        [18, 12, 1, 1, 3, 5, 40], [15, 14, 2, 1, 3, 4, 39], [20, 15, 2, 1, 3, 7, 48]]


def test_the_headline_survives_a_year_that_repeats_the_totals_row(app):
    """The links between the three tables pin a small figure of the earlier year that its
    own table protects; the cheapest rectangle through it runs through the headline, but one
    figure elsewhere will do, so people reached and women among them stay published, and
    the attacker still finds nothing."""
    tables = [services.StatTable(key=dim, title=dim, dims=(dim,),
                                 rows=[(n,) for n in range(len(matrix) - 1)], row_labels=[],
                                 matrix=matrix, protected=True)
              for dim, matrix in (("year", YEARS), ("thematic_area", AREAS), ("sdg", SDGS))]
    with app.app_context():
        app.config["DISCLOSURE_CACHE"] = False
        publishing._protect_together(tables)
    women = services.GENDERS.index("woman")
    assert (2, women) not in tables[0].hidden and (2, 6) not in tables[0].hidden
    assert tables[0].share_of_women() == 20 / 48
    assert joint_findings_of(tables) == ([], [])
    for table in tables:
        columns, rows = additivity(table.matrix)
        assert findings(table.matrix, table.hidden, additive=columns,
                        rows_additive=rows) == ([], []), table.key
