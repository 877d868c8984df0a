"""The report's cost does not grow with the programme: its figures are aggregated in SQL (a
few tables grouped by activity), never a query per activity or event."""

from datetime import UTC, datetime

from sqlalchemy import event as sa_event

from elearn.extensions import db
from elearn.reports.documents import report_outline
from elearn.stats import rollup

from .conftest import make_programme, populate_event


def _statements(app) -> int:
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    rollup.apply_pending()
    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        with app.test_request_context():
            report_outline(2025, "en")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_query_count_does_not_grow_with_events_and_activities(app, make_user, make_event,
                                                              register):
    first, *others = make_programme(n=4)
    populate_event(make_user, make_event, register, first, people=12)
    small = _statements(app)
    for n, activity in enumerate(others * 2):  # six more events over three more activities
        populate_event(make_user, make_event, register, activity, people=12,
                       starts_at=datetime(2025, 6 + n, 2, 14, tzinfo=UTC))
    assert _statements(app) == small
    assert small < 80
