"""The Statistics menu item leads everyone somewhere useful (issue 13): visitors and
participants to what is published, staff also to the dashboards they may open, and only
those."""

import pytest


def _links(client):
    page = client.get("/statistics/").get_data(as_text=True)
    if "Your statistics dashboards" not in page:
        return None
    section = page.split('id="dashboards-h"', 1)[1].split("</section>", 1)[0]
    return section


@pytest.mark.parametrize("who", ["anonymous", "participant", "other_organiser"])
def test_people_without_dashboards_see_the_published_page(client, login, people, who):
    if who != "anonymous":
        login(people[who])
    assert client.get("/statistics/").status_code == 200
    links = _links(client)
    assert links is None or "/stats/event/" not in links and "/stats/edition/" not in links


def test_organisers_and_instructors_see_their_own(client, login, people, edition,
                                                  population):
    event, _people = population
    login(people["organiser"])
    links = _links(client)
    assert f'href="/stats/event/{event.id}"' in links
    assert "/stats/edition/" not in links and 'href="/stats/"' not in links
    assert client.get(f"/stats/event/{event.id}").status_code == 200
    login(people["instructor"])
    links = _links(client)
    assert f'href="/stats/edition/{edition.id}"' in links and "/stats/event/" not in links
    assert client.get(f"/stats/edition/{edition.id}").status_code == 200
    login(people["other_instructor"])
    assert f'href="/stats/edition/{edition.id}"' not in _links(client)


def test_programme_managers_see_the_programme_and_everything(client, login, people, edition,
                                                             population, activity):
    event, _people = population
    login(people["manager"])
    links = _links(client)
    programme = activity.project.programme
    for href in ("/stats/", f"/stats/programme/{programme.id}", f"/stats/event/{event.id}",
                 f"/stats/edition/{edition.id}"):
        assert f'href="{href}"' in links, href
        assert client.get(href).status_code == 200, href
