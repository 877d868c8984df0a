"""Figures about the people of a hackathon come only from the statistics service (issue 11.5):
consent honoured, small numbers hidden, and nothing counted by gender or country on the
organiser dashboard itself."""

import pytest

from elearn.accounts.models import Gender
from elearn.extensions import db
from elearn.hackathons import services
from elearn.stats import services as stats
from elearn.stats.queries import Filters


@pytest.fixture
def crowd(hackathon, make_participant):
    """12 participants: 8 consenting women, 3 consenting men, 1 woman who did not consent;
    one team of two women."""
    women = [make_participant(hackathon, gender=Gender.WOMAN, country="CL") for _ in range(8)]
    men = [make_participant(hackathon, gender=Gender.MAN, country="CL") for _ in range(3)]
    refuser = make_participant(hackathon, gender=Gender.WOMAN, country="CL",
                               full_name="Ana Unique", stats_consent_at=None)
    team = services.create_team(hackathon, women[0], "Andes Coders")
    services.join_team(team, women[1])
    db.session.commit()
    return women, men, refuser


def _filters(hackathon) -> Filters:
    return Filters(event_id=hackathon.event_id, hackathon_id=hackathon.id)


def test_a_participant_who_did_not_consent_is_counted_without_gender(hackathon, crowd):
    table = stats.gender_table("registered", ("country",), _filters(hackathon), protected=False)
    assert table.column_total("woman") == 8  # not 9: her gender is not used
    assert table.column_total("not_answered") == 1
    assert table.total == 12
    rows = dict(zip([r[0] for r in table.rows], range(len(table.rows)), strict=True))
    assert table.value(rows["CL"], 6) == 11 and table.value(rows[""], 6) == 1  # nor her country


def test_small_cells_are_hidden_from_organisers(hackathon, crowd):
    table = stats.gender_table("registered", ("country",), _filters(hackathon), protected=True)
    assert table.protected and not table.withheld
    assert table.column_total("man") is None  # 3 men: a cell of 1-4 is not published
    assert table.total == 12
    shown = stats.gender_table("registered", ("country",), _filters(hackathon), protected=False)
    assert shown.column_total("man") == 3


def test_team_figures_come_from_the_statistics_service(hackathon, crowd):
    f = _filters(hackathon)
    in_team = stats.gender_table("in_team", ("country",), f, protected=False)
    captains = stats.gender_table("captain", ("country",), f, protected=False)
    submitted = stats.gender_table("submitted", ("country",), f, protected=False)
    assert (in_team.total, in_team.column_total("woman")) == (2, 2)
    assert captains.total == 1 and submitted.total == 0
    protected = stats.gender_table("in_team", ("country",), f, protected=True)
    assert protected.withheld and protected.total is None  # two people: nothing published
    # Outside a hackathon the team figures have no source.
    assert stats.gender_table("in_team", ("country",), Filters(event_id=hackathon.event_id),
                              protected=False) is None


def test_dashboard_counts_no_gender_or_country_and_links_to_statistics(
        client, login, organiser, hackathon, crowd):
    login(organiser)
    page = client.get(f"/hackathons/{hackathon.id}/organise")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "by gender" not in text.replace("by gender, country", "")
    for word in ("Women", "Men", "Chile", "Not answered", "Participants by country"):
        assert word not in text, word
    assert "<td>Economics</td><td>12</td>" in text  # the team-mix rule's own count stays
    assert f'href="/stats/hackathon/{hackathon.id}"' in text


def test_statistics_page_of_the_hackathon(client, login, organiser, hackathon, crowd,
                                          make_user):
    url = f"/stats/hackathon/{hackathon.id}"
    login(organiser)
    page = client.get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Participants in a team" in text and "Team captains" in text
    assert "x: hidden to protect privacy" in text and "Ana Unique" not in text
    assert client.get(url + "/export.csv?table=in_team-by-country",
                      follow_redirects=True).status_code == 200
    login(make_user(roles=["organiser"]))  # organises events, not this one
    assert client.get(url).status_code == 403
    assert client.get(url + "/export.xlsx").status_code == 403
    login(make_user(roles=["programme_manager"]))
    assert client.get(url).status_code == 200
    login(crowd[0][0])
    assert client.get(url).status_code == 403


def test_programme_managers_manage_every_hackathon(client, login, hackathon, make_user):
    login(make_user(roles=["organiser"]))
    assert client.get(f"/hackathons/{hackathon.id}/organise").status_code == 403
    login(make_user(roles=["programme_manager"]))
    assert client.get(f"/hackathons/{hackathon.id}/organise").status_code == 200
    assert client.get(f"/hackathons/{hackathon.id}/organise/settings").status_code == 200


def test_every_breakdown_and_hostile_query_on_the_hackathon_page(client, login, hackathon,
                                                                  crowd, make_user):
    from elearn.stats.queries import DIMENSIONS

    login(make_user(roles=["admin"]))
    url = f"/stats/hackathon/{hackathon.id}"
    for dim in DIMENSIONS:
        if dim != "role":
            response = client.get(f"{url}?by={dim}&by2=sector")
            assert response.status_code == 200, dim
    for query in ("_external=1", "endpoint=x", "scope=event", "obj_id=1", "hackathon_id=2",
                  "year=9999", "programme=99999999999999999999", "table=x&table=y"):
        for suffix in ("", "/export.csv", "/export.xlsx"):
            assert client.get(f"{url}{suffix}?{query}").status_code < 500, (suffix, query)
    page = client.get(f"{url}?by=country").get_data(as_text=True)
    assert "x: hidden" not in page and "Ana Unique" not in page  # admins see every figure
