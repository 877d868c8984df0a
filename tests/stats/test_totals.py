"""Totals count people: a person who falls in several rows (two years, two kinds) counts once
in each total and in each share of women; a cancelled event counts for nothing; and the demo's
totals equal an independent count over the source tables (not over the roll-up)."""

import io
import zipfile
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import event as sa_event
from sqlalchemy import text

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.certificates.models import Certificate, CertificateKind, SubjectType
from elearn.events.models import AttendanceMode, EventKind, EventStatus, ParticipantRole
from elearn.events.services import cancel_event
from elearn.extensions import db
from elearn.stats import exports, rollup, services
from elearn.stats.queries import GENDERS, Filters
from elearn.stats.services import gender_table

WOMAN, MAN = GENDERS.index("woman"), GENDERS.index("man")


def totals(table) -> dict:
    """The Total row, by gender, with "total" for the grand total."""
    return dict(zip([*GENDERS, "total"], table.matrix[-1], strict=True))


def row(table, value) -> dict:
    return dict(zip([*GENDERS, "total"], table.matrix[table.rows.index(value)], strict=True))


def attend(event, person):
    record_attendance(event.sessions[0], person, status=AttendanceStatus.PRESENT,
                      mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)


@pytest.fixture
def returning(app, make_user, make_event, register, activity):
    """A woman who attends a workshop in 2024, a forum and a workshop in 2025 and speaks at two
    of them; a man who attends the 2024 workshop only and chairs the forum."""
    organiser = make_user(roles=["organiser"])
    events = [make_event(organiser, activity_id=activity.id, kind=kind,
                         starts_at=datetime(year, 5, 6, 14, tzinfo=UTC))
              for year, kind in ((2024, EventKind.WORKSHOP), (2025, EventKind.FORUM),
                                 (2025, EventKind.WORKSHOP))]
    woman, man = make_user(gender="woman", country="VE"), make_user(gender="man", country="JM")
    speaker, chair = make_user(gender="woman"), make_user(gender="man")
    for ev in events:
        register(ev, woman)
        attend(ev, woman)
    register(events[0], man)
    attend(events[0], man)
    register(events[0], speaker, role=ParticipantRole.SPEAKER)
    register(events[1], speaker, role=ParticipantRole.SPEAKER)
    register(events[1], chair, role=ParticipantRole.CHAIR)
    db.session.commit()
    return events, organiser


def test_a_person_in_two_years_and_two_kinds_counts_once_in_each_total(returning):
    by_year = gender_table("attended", ("year",), Filters(), protected=False)
    # The cells count the person in each year; the totals count her once.
    assert row(by_year, (2024,))["total"] == 2 and row(by_year, (2025,))["woman"] == 1
    assert totals(by_year) == {**dict.fromkeys(GENDERS, 0), "woman": 1, "man": 1, "total": 2}
    by_kind = gender_table("attended", ("kind",), Filters(), protected=False)
    # The workshop row holds her two workshops (2024 and 2025): one person in its total.
    assert row(by_kind, ("workshop",))["woman"] == 1 and row(by_kind, ("workshop",))["total"] == 2
    assert totals(by_kind)["woman"] == 1 and totals(by_kind)["total"] == 2
    crossed = gender_table("registered", ("year", "kind"), Filters(), protected=False)
    assert len(crossed.rows) == 3 and totals(crossed)["total"] == 2
    assert sum(r[WOMAN] for r in crossed.matrix[:-1]) == 3  # the cells, on their own, repeat her


def test_shares_of_women_and_panel_parity_are_computed_on_people(returning):
    attended = gender_table("attended", ("year",), Filters(), protected=False)
    assert attended.share_of_women() == pytest.approx(0.5)  # not 3 of 4 person-years
    panel = gender_table("panel", ("role",), Filters(), protected=False)
    assert totals(panel)["woman"] == 1 and totals(panel)["total"] == 2  # she spoke twice
    assert panel.share_of_women() == pytest.approx(0.5)
    (programme,) = services.women_by_programme(Filters(), protected=False)
    assert programme["registered"] == (1, 2, pytest.approx(0.5))


def test_a_table_costs_the_same_few_statements_whatever_its_rows(returning):
    def statements(dims):
        seen = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                seen.append(statement)

        rollup.apply_pending()
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            gender_table("attended", dims, Filters(), protected=False)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    # 1 row (mode) or 3 (year x kind): the cells, rows, genders and grand total, plus labels.
    assert statements(("mode",)) == statements(("year", "kind")) <= 6


def test_a_cancelled_event_counts_for_nothing(returning, make_user):
    events, organiser = returning
    forum = events[1]
    db.session.add(Certificate(
        code="C00001", kind=CertificateKind.PARTICIPATION, subject_type=SubjectType.EVENT,
        subject_id=forum.id, holder_id=returning_woman(forum), language="es",
        holder_name="A", organisation_name="SELA", subject_title="Forum", printed={},
        pdf=b"%PDF", pdf_sha256="0" * 64))
    db.session.commit()
    f = Filters(event_id=forum.id)
    measures = ("registered", "attended", "certified", "panel")
    assert all(gender_table(m, ("mode",), f, protected=False).matrix[-1][-1] for m in measures)
    panel_before = totals(gender_table("panel", ("role",), Filters(), protected=False))

    # Only an event that has not ended can be cancelled (issue 13): cancel it "back then", as
    # its organiser did; its records stay in the database and must count for nothing.
    with time_machine.travel(datetime(forum.starts_at.year, 1, 2, tzinfo=UTC)):
        cancel_event(forum, organiser)
        db.session.commit()
    for measure in measures:
        assert gender_table(measure, ("mode",), f, protected=False).matrix[-1][-1] == 0, measure
    # The chair sat on the forum's panel only: the programme's panel loses him.
    panel = totals(gender_table("panel", ("role",), Filters(), protected=False))
    assert panel["man"] == panel_before["man"] - 1 and panel["woman"] == 1
    by_kind = gender_table("attended", ("kind",), Filters(), protected=False)
    assert ("forum",) not in by_kind.rows
    # The incremental refresh and a full derivation agree (the suite checks it again after).
    assert rollup.differences() == ([], [])
    rollup.rebuild()
    assert totals(gender_table("registered", ("kind",), Filters(), protected=False)) == \
        totals(by_kind)


def returning_woman(event) -> int:
    return next(r.user_id for r in event.registrations
                if r.role == ParticipantRole.PARTICIPANT)


def test_every_table_says_what_it_counts_on_pages_and_exports(returning, client, login,
                                                              make_user):
    events, _organiser = returning
    table = gender_table("attended", ("year",), Filters(year=2025), protected=False)
    assert "distinct people" in table.note and "Cancelled events are not counted" in table.note
    assert "2025" in table.counting and "present or late" in table.definition
    assert table.note in exports.table_csv(table)
    login(make_user(roles=["programme_manager"]))
    page = client.get("/stats/?by=year").get_data(as_text=True)
    board = services.dashboard("all", Filters(), ("year",), protected=True)
    assert len(board.tables) >= 4
    assert page.count("What these figures count:") == len(board.tables) + 1  # + the shares
    events[0].public_statistics = True
    db.session.commit()
    public = client.get(f"/statistics/event/{events[0].id}").get_data(as_text=True)
    shown = services.dashboard("event", Filters(event_id=events[0].id), ("subregion",),
                               protected=True).tables
    assert public.count("Each figure counts distinct people") == len(shown) == 4
    xlsx = client.get("/stats/all/0/export.xlsx?by=year", follow_redirects=True).data
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert strings.count("What these figures count:") == len(board.tables)


# --- the demo, counted independently ---------------------------------------------------------

# The people of a measure, written from the source tables (not from stats_fact).
ATTENDED = """
SELECT a.user_id, e.starts_at FROM attendance a
JOIN event_session s ON s.id = a.session_id JOIN event e ON e.id = s.event_id
WHERE CAST(a.status AS VARCHAR(20)) IN ('present', 'late')
  AND CAST(e.status AS VARCHAR(20)) <> 'cancelled'
  AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.event_id = e.id
                  AND r.user_id = a.user_id AND r.role <> 'participant')
"""
REGISTERED = """
SELECT r.user_id, e.starts_at FROM registration r JOIN event e ON e.id = r.event_id
WHERE r.status = 'confirmed' AND r.role = 'participant' AND e.status <> 'cancelled'
UNION ALL
SELECT n.user_id, d.starts_on FROM enrolment n JOIN edition d ON d.id = n.edition_id
WHERE n.status IN ('accepted', 'completed', 'not_completed')
"""
# The gender the statistics may use: only with the person's consent.
GENDER = ("CASE WHEN u.stats_consent_at IS NULL OR u.gender IS NULL THEN 'not_answered' "
          "ELSE CAST(u.gender AS VARCHAR(20)) END")


def independent_totals(people_sql: str) -> dict:
    """The Total row by COUNT(DISTINCT person) over the source tables."""
    counts = dict.fromkeys(GENDERS, 0)
    counts.update(dict(db.session.execute(text(
        f'SELECT {GENDER} AS g, COUNT(DISTINCT p.user_id) FROM ({people_sql}) p '
        f'JOIN "user" u ON u.id = p.user_id GROUP BY g')).all()))
    counts["total"] = db.session.scalar(text(
        f"SELECT COUNT(DISTINCT p.user_id) FROM ({people_sql}) p"))
    return counts


def independent_rows_by_year(people_sql: str) -> dict:
    years: dict = {}
    for user_id, when in db.session.execute(text(people_sql)):
        year = when.year if hasattr(when, "year") else int(str(when)[:4])
        years.setdefault(year, set()).add(user_id)
    return {year: len(ids) for year, ids in years.items()}


@pytest.fixture
def demo(app):
    from elearn import demo as demo_data

    with app.test_request_context():
        demo_data.populate()
        db.session.commit()
    return True


def _check_against_source(measure: str, people_sql: str) -> dict:
    table = gender_table(measure, ("year",), Filters(), protected=False)
    assert totals(table) == independent_totals(people_sql)
    assert {r[0]: m[-1] for r, m in zip(table.rows, table.matrix, strict=False)} == \
        independent_rows_by_year(people_sql)
    return totals(table)


def test_demo_totals_match_an_independent_count_of_people(demo):
    attended = _check_against_source("attended", ATTENDED)
    registered = _check_against_source("registered", REGISTERED)
    by_kind = gender_table("attended", ("kind",), Filters(), protected=False)
    assert totals(by_kind) == attended
    assert attended["total"] > 0 and registered["total"] > 0
    # Cancel the demo event with the most attendance: the figures follow, still exact.
    busiest = db.session.execute(text(
        "SELECT s.event_id FROM attendance a JOIN event_session s ON s.id = a.session_id "
        "GROUP BY s.event_id ORDER BY COUNT(*) DESC, s.event_id LIMIT 1")).scalar_one()
    from elearn.events.models import Event

    only_it = Filters(event_id=busiest)
    assert gender_table("attended", ("mode",), only_it, protected=False).matrix[-1][-1] > 0
    db.session.get(Event, busiest).status = EventStatus.CANCELLED
    db.session.commit()
    assert gender_table("attended", ("mode",), only_it, protected=False).matrix[-1][-1] == 0
    _check_against_source("attended", ATTENDED)
    _check_against_source("registered", REGISTERED)
