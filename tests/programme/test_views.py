import pytest
import yaml
from sqlalchemy import event

from elearn.extensions import db
from elearn.programme import services
from elearn.programme.services import activity_by_path, load_programme


@pytest.fixture
def programme(app):
    load_programme()
    db.session.commit()


def page(client, url, lang="en"):
    response = client.get(url, headers={"Accept-Language": lang})
    return response, response.get_data(as_text=True)


def test_tree_shows_every_level_in_english(client, programme):
    response, html = page(client, "/programme/")
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Thematic area II: Digitalisation and infrastructure" in html
    assert "Programme III: SMEs" in html
    assert "Project A: Productive articulation for stronger SMEs" in html
    assert "Hackathon: digital solutions for regional integration" in html
    assert html.count('href="/programme/activities/') == 44
    assert 'href="/programme/activities/I.III.A.3"' in html
    assert 'href="/programme/sdgs/5" title="Gender equality"' in html
    assert len(response.data) < 55_000  # stays light for slow connections


def test_tree_in_spanish_from_the_browser_language(client, programme):
    _, html = page(client, "/programme/", lang="es-VE,es;q=0.9")
    assert '<html lang="es">' in html
    assert "Recuperación económica" in html
    assert "Hackatón: soluciones digitales para la integración regional" in html
    assert 'title="Igualdad de género"' in html
    assert "Hackathon: digital solutions" not in html


def test_tree_follows_the_language_switcher(client, programme):
    client.post("/language", data={"language": "es", "next": "/programme/"})
    html = client.get("/programme/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Digitalización e infraestructura" in html


def test_portuguese_and_french_readers_see_the_programme_in_their_language(client, programme):
    _, html = page(client, "/programme/activities/I.III.A.2", lang="pt-BR")
    assert "Segunda edição do Diploma com enfoque de gênero" in html
    assert "Programa III: PMEs" in html
    assert "Second edition of the gender-focused Diploma Course" not in html
    assert "(em espanhol)" not in html
    _, html = page(client, "/programme/activities/I.III.A.2", lang="fr")
    assert "Deuxième édition du Diplôme intégrant la dimension de genre" in html
    assert "Égalité entre les sexes" in html


def test_an_entry_missing_a_language_shows_the_spanish_text_with_a_note(client, programme):
    diploma = activity_by_path("I.III.A.2")
    diploma.title = {"es": "Diplomado", "en": "Diploma"}
    db.session.commit()
    _, html = page(client, "/programme/activities/I.III.A.2", lang="pt-BR")
    assert "Diplomado (em espanhol)" in html


def test_tree_before_loading_says_so(client):
    response, html = page(client, "/programme/")
    assert response.status_code == 200
    assert "has not been loaded yet" in html


def count_statements(app, client, url) -> int:
    statements = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return len(statements)


def test_tree_uses_the_same_number_of_queries_whatever_its_size(app, client, tmp_path):
    small = {"areas": [{"code": "I", "title_es": "Recuperación económica", "programmes": [
        {"code": "I", "title_es": "Integración económica", "projects": [
            {"code": "A", "title_es": "Convergencia", "activities": [
                {"code": "1", "title_es": "Medición", "sdgs": [8]}]}]}]}]}
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(small), "utf-8")
    load_programme(path)
    db.session.commit()
    with_one_activity = count_statements(app, client, "/programme/")

    load_programme()
    db.session.commit()
    with_all = count_statements(app, client, "/programme/")
    assert with_all == with_one_activity
    assert with_all <= 6  # areas, programmes, projects, activities, SDGs


def test_activity_page_shows_breadcrumb_description_years_and_sdgs(client, programme):
    response, html = page(client, "/programme/activities/I.III.A.2")
    assert response.status_code == 200
    assert 'aria-label="Breadcrumb"' in html
    assert "Thematic area I: Economic recovery" in html
    assert "Programme III: SMEs" in html
    assert "Project A: Productive articulation for stronger SMEs" in html
    assert "adds specific modules on SME digitalisation and business diagnostics" in html
    assert "<dd>2023</dd>" in html
    for number, title in [(5, "Gender equality"), (8, "Decent work and economic growth"),
                          (10, "Reduced inequalities")]:
        assert f'<a href="/programme/sdgs/{number}">SDG {number}: {title}</a>' in html


def test_activity_page_in_spanish(client, programme):
    _, html = page(client, "/programme/activities/I.III.A.3", lang="es")
    assert "Edición para el Caribe del Diplomado con enfoque de género" in html
    assert "funcionarios públicos de los países del Caribe" in html
    # The "SDG" label itself is translated by the lead's catalogue ("ODS"); the title is data.
    assert "5: Igualdad de género</a>" in html


def test_activity_without_stated_years_says_so(client, programme):
    _, html = page(client, "/programme/activities/III.II.A.3")
    assert "Not stated in the work programme" in html


def test_activity_by_id_redirects_to_its_code(client, programme):
    activity_id = activity_by_path("II.I.A.3").id
    response = client.get(f"/programme/activities/{activity_id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/programme/activities/II.I.A.3")


@pytest.mark.parametrize("url", [
    "/programme/activities/I.III.A.99", "/programme/activities/nonsense",
    "/programme/activities/999999", "/programme/activities/99999999999999999999999",
    "/programme/sdgs/18", "/programme/sdgs/0", "/programme/sdgs/99999999999999999999999",
])
def test_unknown_codes_are_404(client, programme, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"does not exist" in response.data


def test_sdg_page_lists_the_activities_serving_it(client, programme):
    response, html = page(client, "/programme/sdgs/5")
    assert response.status_code == 200
    assert "SDG 5: Gender equality" in html
    assert 'href="/programme/activities/I.III.A.2"' in html
    assert 'href="/programme/activities/I.III.A.3"' in html
    assert 'href="/programme/activities/I.II.A.2"' not in html  # ports meeting: SDGs 9, 17
    _, ports = page(client, "/programme/sdgs/9")
    assert 'href="/programme/activities/I.II.A.2"' in ports


def test_sdg_index_counts_activities_per_goal(client, programme):
    response, html = page(client, "/programme/sdgs/")
    assert response.status_code == 200
    assert html.count('href="/programme/sdgs/') == 17
    serving_gender = len(services.activities_for_sdg(5))
    assert serving_gender >= 5
    assert f"SDG 5: Gender equality</a></th>\n    <td>{serving_gender}</td>" in html


def test_other_domains_add_sections_to_the_activity_page(client, programme, monkeypatch):
    def events_section(activity):
        if activity.path_code != "II.I.A.3":
            return None
        return ("Events and courses for this activity", "programme/_section_list.html",
                {"items": [("/hackathons/2023", "Pilot hackathon 2023", "Online")]})

    monkeypatch.setattr(services, "activity_sections", [])
    services.register_activity_section(events_section)
    _, html = page(client, "/programme/activities/II.I.A.3")
    assert "<h2>Events and courses for this activity</h2>" in html
    assert '<a href="/hackathons/2023">Pilot hackathon 2023</a>' in html
    _, other = page(client, "/programme/activities/II.I.A.2")
    assert "Events and courses for this activity" not in other
