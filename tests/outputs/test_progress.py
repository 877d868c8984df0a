"""Planned against done, per activity: the status computed from the data, a programme
manager's verdict (audited), the counts per programme, and a constant number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from elearn.audit.models import AuditRecord
from elearn.events.models import EventStatus
from elearn.extensions import db
from elearn.outputs import services
from elearn.outputs.models import ActivityStatus, OutputKind, Visibility
from elearn.programme.models import Activity


def _link(owner, actor, visibility=Visibility.PUBLIC, title="Deck"):
    services.add_output(owner, actor, kind=OutputKind.PRESENTATION, title_en=title,
                        url="https://example.org/deck", visibility=visibility)


@pytest.fixture
def programme(world, make_event):
    """Four activities, by hand:
    I.III.A.4 (2023-2024): event A held, edition A running, 3 outputs (2 public) -> in progress
    I.III.A.5 (2025): event B held, edition B running, marked delivered          -> delivered
    I.III.A.6 (2022): nothing                                   -> planned, overdue
    I.III.A.7 (this year): one cancelled event, nothing held    -> planned, not overdue
    then I.III.A.6 is marked not delivered with a reason."""
    pm = world.people["programme_manager"]
    project = world.activity.project
    this_year = datetime.now(UTC).year
    old = Activity(project=project, code="6", path_code="I.III.A.6", position=6,
                   title_en="Study", year_from=2022, year_to=2022)
    new = Activity(project=project, code="7", path_code="I.III.A.7", position=7,
                   title_en="Forum", year_from=this_year)
    db.session.add_all([old, new])
    db.session.commit()
    make_event(world.people["organiser_b"], activity_id=new.id, status=EventStatus.CANCELLED,
               starts_at=datetime.now(UTC) - timedelta(days=2))
    _link(world.event_a, pm)
    _link(world.session_over, pm, title="Day one")
    _link(world.edition_a, pm, Visibility.PARTICIPANTS)
    services.set_verdict(world.activity_b, pm, "delivered")
    db.session.commit()
    return world, old, new


def _by_code(rows):
    return {row["path_code"]: row for row in rows}


def test_status_per_activity_counted_by_hand(programme):
    world, old, new = programme
    rows = _by_code(services.activity_progress())
    assert list(rows) == ["I.III.A.4", "I.III.A.5", "I.III.A.6", "I.III.A.7"]
    a4, a5, a6, a7 = (rows[c] for c in rows)
    assert (a4["status"], a4["held"], a4["outputs"], a4["public_outputs"]) == (
        "in_progress", 2, 3, 2)
    assert [e["id"] for e in a4["events"]] == [world.event_a.id]
    assert [e["id"] for e in a4["editions"]] == [world.edition_a.id]
    assert a4["events"][0]["mode"] == "hybrid" and a4["editions"][0]["mode"] == "online"
    assert (a4["year_from"], a4["year_to"], a4["decided"]) == (2023, 2024, False)
    assert (a5["status"], a5["held"], a5["decided"]) == ("delivered", 2, True)
    assert (a6["status"], a6["held"], a6["overdue"]) == ("planned", 0, True)
    assert (a7["status"], a7["held"], a7["overdue"]) == ("planned", 0, False)
    assert a7["events"][0]["status"] == "cancelled" and not a7["events"][0]["held"]
    assert a4["area"]["code"] == "I" and a4["programme"]["code"] == "III"

    services.set_verdict(old, world.people["programme_manager"], "not_delivered",
                         "Postponed by the member states")
    db.session.commit()
    a6 = _by_code(services.activity_progress())["I.III.A.6"]
    assert (a6["status"], a6["reason"], a6["overdue"]) == (
        "not_delivered", "Postponed by the member states", False)

    summary = services.overview(services.activity_progress())
    assert summary["counts"] == {"planned": 1, "in_progress": 1, "delivered": 1,
                                 "not_delivered": 1}
    (area,) = summary["areas"]
    (programme_counts,) = area["programmes"]
    assert programme_counts["counts"] == summary["counts"] == area["counts"]


def test_a_year_lists_what_was_planned_or_happened_in_it(programme):
    world, old, new = programme
    this_year = datetime.now(UTC).year
    assert list(_by_code(services.activity_progress(2022))) == ["I.III.A.6"]
    rows = _by_code(services.activity_progress(this_year))
    assert "I.III.A.6" not in rows and {"I.III.A.4", "I.III.A.7"} <= set(rows)
    assert rows["I.III.A.7"]["planned"]
    assert rows["I.III.A.4"]["planned"] == (2023 <= this_year <= 2024)
    assert [e["id"] for e in rows["I.III.A.4"]["events"]] == [world.event_a.id]
    # 2023: planned for I.III.A.4, nothing held yet by the end of that year.
    a4 = _by_code(services.activity_progress(2023))["I.III.A.4"]
    assert a4["planned"] and a4["events"] == [] and a4["status"] == "planned"
    assert a4["outputs"] == 0  # the outputs are dated this year


def test_verdict_needs_a_reason_and_is_audited(programme, client, login):
    world, old, new = programme
    login(world.people["programme_manager"])
    url = f"/programme/activities/{old.id}/status"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"state": "not_delivered", "reason": "  "})
    assert response.status_code == 400
    assert db.session.get(ActivityStatus, old.id) is None
    response = client.post(url, data={"state": "not_delivered", "reason": "No funding"})
    assert response.status_code == 302
    verdict = db.session.get(ActivityStatus, old.id)
    assert (verdict.state.value, verdict.reason) == ("not_delivered", "No funding")
    audit = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "activity.status_set", AuditRecord.subject_id == str(old.id)))
    assert audit.after == {"state": "not_delivered", "reason": "No funding"}
    # Back to computed.
    assert client.post(url, data={"state": ""}).status_code == 302
    assert db.session.get(ActivityStatus, old.id) is None
    assert client.post(url, data={"state": "won"}).status_code == 400


@pytest.mark.parametrize("role,expected", [("organiser_a", 403), ("instructor_a", 403),
                                           ("owner", 403)])
def test_only_programme_managers_set_the_status(programme, client, login, role, expected):
    world, old, new = programme
    login(world.people[role])
    url = f"/programme/activities/{old.id}/status"
    assert client.get(url).status_code == expected
    assert client.post(url, data={"state": "delivered"}).status_code == expected
    assert client.get("/programme/progress").status_code == expected
    assert db.session.get(ActivityStatus, old.id) is None


def test_overview_page_and_activity_page(programme, client, login):
    world, old, new = programme
    login(world.people["programme_manager"])
    html = client.get("/programme/progress").get_data(as_text=True)
    assert "I.III.A.6" in html and "Delivered" in html and "In progress" in html
    assert client.get("/programme/progress?year=2022").status_code == 200
    assert client.get("/programme/progress?year=nonsense").status_code == 200
    assert client.get("/programme/progress?year=99999999999").status_code == 200
    page = client.get(f"/programme/activities/{world.activity.path_code}").get_data(
        as_text=True)
    assert "In progress" in page and f"/programme/activities/{world.activity.id}/status" in page
    status_page = client.get(f"/programme/activities/{world.activity.id}/status").get_data(
        as_text=True)
    assert "Workshop A" in status_page and "Hybrid" in status_page and "Online course" in (
        status_page)
    index = client.get("/programme/").get_data(as_text=True)
    assert "/programme/progress" in index


def _count_queries(fn):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        db.session.expire_all()
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_activities(programme, make_event):
    world, old, new = programme
    before = _count_queries(services.activity_progress)
    project = world.activity.project
    for n in range(10, 20):
        activity = Activity(project=project, code=str(n), path_code=f"I.III.A.{n}",
                            position=n, title_en=f"Activity {n}", year_from=2024)
        db.session.add(activity)
        db.session.commit()
        shown = make_event(world.people["organiser_a"], activity_id=activity.id)
        _link(shown, world.people["programme_manager"])
    db.session.commit()
    assert _count_queries(services.activity_progress) == before
