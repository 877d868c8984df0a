"""Publishing statistics (issue 12 point 4): who may publish the programme overview and an
edition's tables, the audit of each switch, what anonymous visitors see, and that the published
overview's figures pass the disclosure control."""


import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.extensions import db
from elearn.stats import publishing
from elearn.stats.models import Publication
from elearn.stats.services import settings

from .test_attacker import additivity, findings


def _audits(action):
    return db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)).all()


@pytest.mark.parametrize("who", ["anonymous", "participant", "organiser", "other_organiser",
                                 "instructor"])
def test_only_programme_managers_publish_the_overview(client, login, people, who):
    if who != "anonymous":
        login(people[who])
    r = client.post("/stats/all/0/publish", data={"public": "1"})
    assert r.status_code in (302, 403) and r.status_code != 200
    if who != "anonymous":
        assert r.status_code == 403
    assert db.session.scalars(select(Publication)).all() == []
    assert _audits("stats.publish") == []


def test_programme_manager_publishes_and_unpublishes_audited(client, login, people):
    login(people["manager"])
    assert client.post("/stats/all/0/publish", data={"public": "1"}).status_code == 302
    assert publishing.is_published("all", 0)
    [entry] = _audits("stats.publish")
    assert entry.actor_id == people["manager"].id
    assert entry.before["published"] is False and entry.after["published"] is True
    assert client.post("/stats/all/0/publish", data={"public": "0"}).status_code == 302
    assert not publishing.is_published("all", 0)
    [entry] = _audits("stats.unpublish")
    assert entry.before["published"] is True and entry.after["published"] is False


@pytest.mark.parametrize("who,status", [
    ("participant", 403), ("organiser", 403), ("other_instructor", 403),
    ("instructor", 302), ("manager", 302)])
def test_edition_published_by_its_instructors_and_managers(client, login, people, edition, who,
                                                           status):
    login(people[who])
    r = client.post(f"/stats/edition/{edition.id}/publish", data={"public": "1"})
    assert r.status_code == status
    assert publishing.is_published("edition", edition.id) == (status == 302)
    assert len(_audits("stats.publish")) == (status == 302)


def test_unknown_scope_or_object_is_404(client, login, people):
    login(people["manager"])
    for url in ("/stats/edition/999999/publish", "/stats/all/5/publish",
                "/stats/event/1/publish", "/stats/nonsense/0/publish"):
        assert client.post(url, data={"public": "1"}).status_code == 404, url
    assert db.session.scalars(select(Publication)).all() == []


def test_anonymous_sees_only_what_is_published(app, client, login, people, edition):
    page = client.get("/statistics/").get_data(as_text=True)
    assert "No statistics have been published yet." in page
    assert "Programme overview" not in page
    assert client.get(f"/statistics/edition/{edition.id}").status_code == 404
    login(people["manager"])
    client.post("/stats/all/0/publish", data={"public": "1"})
    client.post(f"/stats/edition/{edition.id}/publish", data={"public": "1"})
    anonymous = app.test_client()
    page = anonymous.get("/statistics/").get_data(as_text=True)
    assert "Programme overview" in page
    assert "People reached by year" in page and "2025" in page
    assert "People reached by thematic area" in page and "Economic" in page
    assert "People reached by Sustainable Development Goal" in page
    assert "countries reached" in page
    assert f"/statistics/edition/{edition.id}" in page
    assert anonymous.get(f"/statistics/edition/{edition.id}").status_code == 200


def test_overview_figures_are_protected(people):
    overview = publishing.overview()
    threshold, _min_group = settings()
    assert [t.dims for t in overview.tables] == [("year",), ("thematic_area",), ("sdg",)]
    for table in overview.tables:
        assert table.protected
        for _labels, values, total in table.body():
            for value in [*values, total]:
                assert value is None or not 1 <= value <= threshold, (table.key, value)
    # 10 participants attended (the panel is its own measure): from Venezuela and Jamaica.
    assert overview.people == 10
    assert overview.countries == 2
    assert overview.share_of_women is None or 0 < overview.share_of_women < 1


def test_demo_statistics_page_shows_the_overview(app, client):
    from elearn.demo import populate

    populate()
    page = client.get("/statistics/").get_data(as_text=True)
    assert "Programme overview" in page and "countries reached" in page
    # The headline figures are the year table's totals: shown only where the joint audit of
    # the overview's tables leaves them published.
    overview = publishing.overview()
    assert ("people reached</" in page) == (overview.people is not None)
    assert ("share of women among the people reached" in page) == (
        overview.share_of_women is not None)
    assert "People reached by year" in page
    assert "/statistics/event/" in page
    assert "No statistics have been published yet." not in page
    assert _audits("stats.publish") and _audits("event.public_statistics")


def test_demo_overview_withstands_the_attacker(app):
    """The published overview's tables, with the real demo data: no primary-suppressed cell
    pinned by the attacker's linear programs, no row readable as a single gender."""
    from elearn.demo import populate

    populate()
    tables = publishing.overview().tables
    assert len(tables) == 3
    for table in tables:
        assert not table.withheld and table.hidden
        columns, rows = additivity(table.matrix)
        pinned, exposed = findings(table.matrix, table.hidden, additive=columns,
                                   rows_additive=rows)
        assert (pinned, exposed) == ([], []), table.key


def test_headline_share_never_reveals_what_the_year_table_hides(app):
    """The share of women is the year table's (everyone reached): taken from the area or SDG
    table whose total happens to match, it published a women total the year table hid."""
    from elearn.demo import populate

    populate()
    overview = publishing.overview()
    year = overview.tables[0]
    assert year.dims == ("year",)
    hidden = year.column_total("woman") is None or not year.total
    assert (overview.share_of_women is None) == hidden
    if overview.share_of_women is not None:
        assert overview.share_of_women == year.column_total("woman") / year.total


def test_publishing_what_was_just_published_elsewhere_is_no_error(app, make_user,
                                                                  monkeypatch):
    """Two programme managers press "Publish" at once: the second finds the row the first
    wrote (the unique constraint answers) and the page simply stays published."""
    manager = make_user(roles=["programme_manager"])
    db.session.add(Publication(scope="all", object_id=0, published_by_id=manager.id))
    db.session.commit()
    # As the second request saw it: not yet published when it looked.
    monkeypatch.setattr(publishing, "publication", lambda scope, obj_id: None)
    publishing.set_published("all", 0, True, actor=manager)
    db.session.commit()
    assert db.session.scalar(select(func.count(Publication.id))) == 1
