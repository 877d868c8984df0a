import pytest

from elearn import create_app
from elearn.config import ConfigError


def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"<main" in response.data


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"does not exist" in response.data


def test_production_refuses_the_development_secret_key(monkeypatch):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_production_sets_secure_cookies(monkeypatch, tmp_path, production_keys_dir):
    for name, value in {"ELEARN_ENV": "production", "SECRET_KEY": "x" * 40,
                        "DATABASE_URL": "postgresql+psycopg://elearn@127.0.0.1:5432/elearn",
                        "BASE_URL": "https://elearn.example.org",
                        "REDIS_URL": "redis://127.0.0.1:6379/11", "MAIL_SERVER": "127.0.0.1",
                        "MAIL_DEFAULT_SENDER": "elearn@example.org",
                        "CREDENTIAL_KEYS_DIR": production_keys_dir}.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["WTF_CSRF_ENABLED"] is True


def test_language_switcher_changes_the_page_language(client):
    response = client.post("/language", data={"language": "es", "next": "/"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert b'<html lang="es">' in response.data


def test_language_switcher_rejects_unknown_language(client):
    assert client.post("/language", data={"language": "xx"}).status_code == 400


def test_accept_language_picks_spanish(client):
    response = client.get("/", headers={"Accept-Language": "es-VE,es;q=0.9"})
    assert b'<html lang="es">' in response.data


# --- every 4xx is the site's page, in the reader's language, with a way back (issue 13 #8) ----

ERROR_TITLES = {
    400: ("The request could not be understood", "No se pudo entender la solicitud"),
    401: ("Please log in", "Inicie sesión"),
    403: ("Not allowed", "No permitido"),
    404: ("Page not found", "Página no encontrada"),
    405: ("Not possible here", "No es posible aquí"),
    409: ("This cannot be done now", "Esto no se puede hacer ahora"),
    410: ("No longer available", "Ya no está disponible"),
    413: ("The file is too large", "El archivo es demasiado grande"),
    429: ("Too many attempts", "Demasiados intentos"),
}


@pytest.fixture
def failing_app(app):
    from flask import abort

    # A route that answers with any status, registered before the first request.
    app.add_url_rule("/test-error/<int:code>", "test_error", lambda code: abort(code))
    return app


@pytest.mark.parametrize("code", sorted(ERROR_TITLES))
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_4xx_is_the_site_page_in_the_readers_language(failing_app, code, language):
    client = failing_app.test_client()
    response = client.get(f"/test-error/{code}", headers={"Accept-Language": language})
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert f'<html lang="{language}">' in html
    assert f"<h1>{ERROR_TITLES[code][language == 'es']}</h1>" in html
    assert '<nav aria-label=' in html and '<footer class="site">' in html  # the site's layout
    home = "Back to the home page" if language == "en" else "Volver a la página de inicio"
    assert f'<a href="/">{home}</a>' in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_method_not_allowed_and_csrf_pages(app, client, language):
    headers = {"Accept-Language": language}
    response = client.get("/logout", headers=headers)
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert ERROR_TITLES[405][language == "es"] in response.get_data(as_text=True)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/language", data={"language": "es"}, headers=headers)
    assert response.status_code == 400
    expected = ("The form expired or was not sent from this site" if language == "en"
                else "El formulario venció o no se envió desde este sitio")
    assert expected in response.get_data(as_text=True)


def test_the_way_back_is_the_previous_page_only_when_it_was_on_this_site(client):
    from_here = client.get("/no-such-page",
                           headers={"Referer": "http://localhost/programme/?page=2"})
    assert 'href="/programme/?page=2">Back to the previous page' in from_here.get_data(
        as_text=True)
    from_elsewhere = client.get("/no-such-page",
                                headers={"Referer": "http://evil.example/programme/"})
    html = from_elsewhere.get_data(as_text=True)
    assert "Back to the previous page" not in html and "evil.example" not in html


def test_forbidden_offers_a_log_in_link_to_visitors_only(client, make_user, login):
    html = client.get("/test-403-missing").get_data(as_text=True)
    assert "/login?next" not in html.split("<main")[1]  # a 404 needs no log-in link
    user = make_user()
    response = client.get("/admin/users")  # visitors are sent to log in by Flask-Login
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    login(user)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Not allowed" in html and 'href="/login' not in html.split("<main")[1]


def test_forbidden_page_for_a_visitor_links_to_log_in_back_here(failing_app):
    html = failing_app.test_client().get("/test-error/403").get_data(as_text=True)
    main = html.split("<main")[1]
    assert 'href="/login?next=/test-error/403">Log in</a>' in main


# --- the organisation's name follows the language (issue 13 #10) -----------------------------

@pytest.mark.parametrize("language,name", [
    ("en", "Latin American and Caribbean Economic System (SELA)"),
    ("es", "Sistema Económico Latinoamericano y del Caribe (SELA)"),
    ("pt", "Sistema Econômico Latino-Americano e do Caribe (SELA)"),
    ("fr", "Système économique latino-américain et caribéen (SELA)"),
])
def test_footer_names_the_organisation_in_the_readers_language(client, language, name):
    html = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    assert f'<footer class="site">\n  <p>{name}</p>' in html
