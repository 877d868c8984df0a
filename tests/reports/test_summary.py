"""The summary and one activity's figures on a small year: each figure is the count of the
records made (distinct people), small ones hidden, and the notes say what each counts."""

from flask_babel import force_locale

from elearn.reports.documents import report_outline
from elearn.reports.satisfaction import NO_DATA


def _activity(report):
    return report.areas[0].children[0].children[0].children[0]


def test_summary_and_activity_figures_of_a_small_year(app, world):
    with app.test_request_context(), force_locale("en"):
        report, title, _subtitle, blocks = report_outline(2025, "en")
        no_data = str(NO_DATA)
    # Ten of the thirty registered attended: six women, two men, a non-binary person and one
    # who did not answer (conftest.populate_event); people reached is their number.
    assert report.summary.people == 10
    assert report.summary.women_share in (0.6, None)
    assert report.summary.activities == 1 and report.summary.planned == 1
    assert report.summary.held == 1
    entry = _activity(report)
    assert entry.figures["registered"].total == 30
    assert entry.figures["attended"].total == 10
    # Panel parity: two women and three men, both small groups, hidden; their total is 5.
    assert entry.panel.of("woman") is None and entry.panel.of("man") is None
    assert entry.outputs and entry.outputs[0]["url"] == "https://example.org/acta"
    assert entry.sdgs == ["5. Gender equality"]
    assert not entry.satisfaction.available
    texts = [getattr(b, "text", "") for b in blocks]
    assert f"Satisfaction: {no_data}" in texts
    # Every figure group says what it counts.
    assert set(report.notes) >= {"people", "countries", "women", "activities", "registered",
                                 "attended", "completed", "certified", "panel", "subregions",
                                 "satisfaction", "outputs", "counting", "hidden"}
    assert all(report.notes.values())


def test_a_year_with_nothing_says_so(app, world):
    with app.test_request_context(), force_locale("en"):
        report, _title, _subtitle, blocks = report_outline(2022, "en")
    assert report.summary.people == 0 and report.areas == []
    assert any(getattr(b, "text", "").startswith("No activity was planned") for b in blocks)
