"""Production settings that keep sessions and links unforgeable, and HTTPS enforced (11.10)."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from elearn import create_app
from elearn.accounts.services import tokens
from elearn.config import ConfigError


@pytest.fixture
def production(monkeypatch, tmp_path, production_keys_dir):
    # The rest of a complete production environment (test_production_config.py checks each).
    for name, value in {"ELEARN_ENV": "production", "BASE_URL": "https://elearn.example.org",
                        "DATABASE_URL": "postgresql+psycopg://elearn@127.0.0.1:5432/elearn",
                        "REDIS_URL": "redis://127.0.0.1:6379/11", "MAIL_SERVER": "127.0.0.1",
                        "MAIL_DEFAULT_SENDER": "elearn@example.org",
                        "CREDENTIAL_KEYS_DIR": production_keys_dir}.items():
        monkeypatch.setenv(name, value)

    def make(key):
        monkeypatch.setenv("SECRET_KEY", key)
        return create_app()

    return make


@pytest.mark.parametrize("key", ["", "x", "short-but-not-empty", "k" * 31, "ñ" * 15])
def test_production_refuses_a_short_secret_key(production, key):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        production(key)


@pytest.mark.parametrize("base_url", ["", "http://elearn.example.org"])
def test_production_requires_an_https_base_url(production, monkeypatch, base_url):
    monkeypatch.setenv("BASE_URL", base_url)
    with pytest.raises(ConfigError, match="BASE_URL"):
        production("k" * 40)


def test_production_accepts_32_bytes_or_more(production):
    assert production("k" * 32).config["SECRET_KEY"] == "k" * 32


def test_an_empty_secret_key_is_refused_even_in_development(app_config):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({**app_config, "SECRET_KEY": ""})


def test_a_link_forged_with_an_empty_key_is_refused(client, make_user):
    user = make_user(email="ana@example.org")
    forged = URLSafeTimedSerializer("", salt=tokens.RESET_SALT).dumps(
        {"id": user.id, "v": user.session_version})
    response = client.get(f"/password/reset/{forged}")
    assert response.status_code == 400
    forged_confirm = URLSafeTimedSerializer("", salt=tokens.CONFIRM_SALT).dumps(
        {"id": user.id, "email": user.email})
    assert client.get(f"/confirm/{forged_confirm}").status_code == 400


def test_hsts_in_production(production):
    prod = production("k" * 40).test_client()
    header = prod.get("/health", base_url="https://localhost").headers[
        "Strict-Transport-Security"]
    assert int(header.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 3600


def test_no_hsts_in_development(client):
    assert "Strict-Transport-Security" not in client.get("/health").headers
