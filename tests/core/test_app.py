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


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("ELEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.db")
    monkeypatch.setenv("BASE_URL", "https://elearn.example.org")
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
