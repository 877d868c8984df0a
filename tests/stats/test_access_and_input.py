"""Who may see which statistics (issue 11.2), and hostile query strings on every statistics
route (issue 11.8): never a 500."""

import pytest

from elearn.extensions import db


@pytest.fixture
def people(make_user, population):
    event, _people = population
    return {"organiser": event.organisers[0].user,
            "other_organiser": make_user(roles=["organiser"]),
            "instructor": make_user(roles=["instructor"]),
            "manager": make_user(roles=["programme_manager"]),
            "admin": make_user(roles=["admin"]), "participant": make_user()}


def _event_urls(event_id: int) -> list[str]:
    return [f"/stats/event/{event_id}", f"/stats/event/{event_id}/export.xlsx",
            f"/stats/event/{event_id}/export.csv?table=registered-by-country",
            f"/stats/event/{event_id}/summary.pdf"]


def _programme_urls(programme_id: int) -> list[str]:
    return ["/stats/", "/stats/all/0/export.xlsx", f"/stats/programme/{programme_id}",
            f"/stats/programme/{programme_id}/export.csv?table=registered-by-activity"]


@pytest.mark.parametrize("who,event_status,programme_status", [
    ("participant", 403, 403),
    ("instructor", 403, 403),
    ("other_organiser", 403, 403),  # organises events, but not this one
    ("organiser", 200, 403),  # this event's organiser: its figures, not the programme's
    ("manager", 200, 200),
    ("admin", 200, 200),
])
def test_statistics_follow_the_object(client, login, people, population, activity, who,
                                      event_status, programme_status):
    event, _people = population
    login(people[who])
    for url in _event_urls(event.id):
        assert client.get(url, follow_redirects=True).status_code == event_status, url
    for url in _programme_urls(activity.project.programme_id):
        assert client.get(url, follow_redirects=True).status_code == programme_status, url


def test_draft_event_statistics_only_for_its_organisers_and_managers(
        client, login, people, population):
    from elearn.events.models import EventStatus

    event, _people = population
    event.status = EventStatus.DRAFT
    db.session.commit()
    login(people["other_organiser"])
    assert client.get(f"/stats/event/{event.id}").status_code == 403
    login(people["manager"])
    assert client.get(f"/stats/event/{event.id}").status_code == 200


def test_publishing_an_event_s_statistics_is_for_its_organisers_and_managers(
        client, login, people, population):
    event, _people = population
    login(people["other_organiser"])
    assert client.post(f"/stats/event/{event.id}/public", data={"public": "1"}).status_code \
        == 403
    db.session.refresh(event)
    assert not event.public_statistics
    assert "Publish on the statistics page" not in client.get(
        f"/stats/event/{event.id}").get_data(as_text=True)  # (403 page)
    login(people["manager"])
    assert "Publish on the statistics page" in client.get(
        f"/stats/event/{event.id}").get_data(as_text=True)
    assert client.post(f"/stats/event/{event.id}/public", data={"public": "1"}).status_code \
        == 302
    db.session.refresh(event)
    assert event.public_statistics


HOSTILE = [
    "_external=1", "_anchor=x", "_scheme=javascript", "_method=POST", "endpoint=x",
    "values=..", "scope=event", "obj_id=3", "event_id=1", "table=a&table=b", "by=year&by=country",
    "year=2025&year=abc", "year=9999", "year=0001", "year=-1", "year=%C2%B2", "year=%D9%A1",
    "year=99999999999999999999", "programme=99999999999999999999", "programme=%C2%B2",
    "programme=-1", "programme=0", "kind=%00", "country=%00%00", "country=%C3%9F",
    "subregion=%0D%0A", "by=%00", "by2=country&by=country", "mode=" + "x" * 5000,
    "table=" + "%FF" * 50, "public=1",
]


def _all_stats_urls(event_id: int, programme_id: int) -> list[str]:
    scoped = [f"/stats/event/{event_id}", f"/stats/programme/{programme_id}", "/stats/all/0"]
    return (["/stats/", f"/stats/event/{event_id}/summary.pdf", "/statistics/",
             f"/statistics/event/{event_id}"] + scoped
            + [u + "/export.csv" for u in scoped] + [u + "/export.xlsx" for u in scoped])


@pytest.mark.parametrize("who", ["manager", "organiser"])
def test_hostile_query_strings_never_fail(client, login, people, population, activity, who):
    event, _people = population
    event.public_statistics = True
    db.session.commit()
    login(people[who])
    for url in _all_stats_urls(event.id, activity.project.programme_id):
        for query in HOSTILE:
            response = client.get(f"{url}?{query}", follow_redirects=True)
            assert response.status_code < 500, (url, query, response.status_code)


def test_known_filters_are_kept_in_links_and_unknown_ones_dropped(client, login, people,
                                                                   population):
    event, _people = population
    login(people["manager"])
    page = client.get(f"/stats/event/{event.id}?by=country&mode=online&_external=1"
                      "&endpoint=x&_anchor=top").get_data(as_text=True)
    assert f"/stats/event/{event.id}/export.xlsx?by=country&amp;mode=online" in page \
        or f"/stats/event/{event.id}/export.xlsx?mode=online&amp;by=country" in page
    import re

    links = re.findall(r'href="([^"]*/export\.[a-z]+[^"]*)"', page)
    assert links
    for link in links:  # not absolute (_external), no anchor, no unknown parameter
        assert link.startswith("/stats/") and "#" not in link and "endpoint" not in link, link


@pytest.mark.parametrize("query,message", [
    ("year=9999", "year must be"), ("year=0001", "year must be"),
    ("year=%C2%B2", "year must be"), ("programme=99999999999999999999", "no programme"),
])
def test_out_of_range_numbers_are_400_with_a_message(client, login, people, population,
                                                      query, message):
    login(people["manager"])
    response = client.get(f"/stats/?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/stats/event/99999999999999999999", "/stats/event/2147483648/export.xlsx",
    "/stats/programme/9223372036854775808", "/stats/edition/99999999999999999999/export.csv",
    "/stats/hackathon/99999999999999999999", "/stats/event/99999999999999999999/summary.pdf",
    "/statistics/event/99999999999999999999", "/stats/nonsense/1",
])
def test_ids_out_of_range_are_404(client, login, people, url):
    login(people["admin"])
    assert client.get(url).status_code == 404
    assert client.post("/stats/event/99999999999999999999/public").status_code == 404


@pytest.mark.parametrize("who,exact", [("admin", True), ("manager", False),
                                       ("organiser", False)])
def test_exact_figures_say_not_for_publication(client, login, people, population, who, exact):
    """Admins see every figure; their pages and exports say so on their face, so an exact
    table is never published by mistake. Everyone else gets the protected tables."""
    event, _people = population
    login(people[who])
    page = client.get(f"/stats/event/{event.id}").get_data(as_text=True)
    csv_text = client.get(f"/stats/event/{event.id}/export.csv?table=registered-by-country",
                          follow_redirects=True).get_data(as_text=True)
    assert ("Not for publication" in page) == exact
    assert ("Not for publication" in csv_text) == exact
    assert ("x: hidden to protect" in csv_text) == (not exact)
