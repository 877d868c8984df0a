"""With ELEARN_ENV=production the app starts only when every setting a real deployment needs is
right, and says everything that is wrong in one error (issue 15.1)."""

import re
from pathlib import Path

import pytest

from elearn import config as config_module
from elearn import create_app
from elearn.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]

COMPLETE = {
    "ELEARN_ENV": "production",
    "SECRET_KEY": "k" * 64,
    "DATABASE_URL": "postgresql+psycopg://elearn:secret@db.internal:5432/elearn",
    "BASE_URL": "https://elearn.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "MAIL_SERVER": "smtp.example.org",
    "MAIL_DEFAULT_SENDER": "elearn@example.org",
    "CREDENTIAL_KEYS_DIR": "",  # filled with a directory holding a real key by `environment`
}
# What the operator finds wrong in the error for each setting left out.
NAMED = ["SECRET_KEY", "DATABASE_URL", "BASE_URL", "REDIS_URL", "MAIL_SERVER",
         "MAIL_DEFAULT_SENDER"]


@pytest.fixture
def environment(monkeypatch, production_keys_dir, tmp_path):
    """Set exactly these variables (and no leftover of the machine's own). Left out, the
    signing-key directory is an empty one (the default under instance/ may hold a developer's
    key)."""
    def use(values: dict):
        for name in list(COMPLETE) + ["LOG_FORMAT"]:
            monkeypatch.delenv(name, raising=False)
        values = {"CREDENTIAL_KEYS_DIR": str(tmp_path / "no-keys")} | values
        for name, value in values.items():
            if name == "CREDENTIAL_KEYS_DIR" and value == "":
                value = production_keys_dir
            monkeypatch.setenv(name, value)
    return use


def refusal(environment, values) -> str:
    environment(values)
    with pytest.raises(ConfigError) as raised:
        create_app()
    return str(raised.value)


def test_a_complete_production_configuration_starts(environment):
    environment(COMPLETE)
    app = create_app()
    assert app.config["ENV_NAME"] == "production"
    assert app.config["LOG_FORMAT"] == "json"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("name", [n for n in COMPLETE if n not in ("ELEARN_ENV",
                                                                   "CREDENTIAL_KEYS_DIR")])
def test_each_missing_setting_is_named(environment, name):
    message = refusal(environment, {k: v for k, v in COMPLETE.items() if k != name})
    assert name in message and "1 setting(s)" in message


def test_everything_missing_is_named_in_one_error(environment):
    message = refusal(environment, {"ELEARN_ENV": "production"})
    problems = [line for line in message.splitlines() if line.startswith("  - ")]
    assert [p.split()[1] for p in problems] == NAMED
    assert f"{len(NAMED)} setting(s)" in message
    for problem in problems:
        assert "set " in problem  # each one says what to do


@pytest.mark.parametrize("name, value", [
    ("SECRET_KEY", config_module.DEV_SECRET_KEY), ("SECRET_KEY", "k" * 31),
    ("DATABASE_URL", "sqlite:////srv/elearn/elearn.db"), ("DATABASE_URL", "mysql://x@y/z"),
    ("BASE_URL", "http://elearn.example.org"), ("BASE_URL", "elearn.example.org"),
    ("MAIL_DEFAULT_SENDER", config_module.DEV_MAIL_SENDER),
])
def test_wrong_values_are_named(environment, name, value):
    message = refusal(environment, COMPLETE | {name: value})
    assert f"  - {name} " in message and "1 setting(s)" in message


def test_the_error_shows_no_secret(environment):
    message = refusal(environment, COMPLETE | {"SECRET_KEY": "short-secret-value",
                                               "BASE_URL": "http://x"})
    assert "short-secret-value" not in message and "secret@" not in message


def test_development_needs_none_of_it(environment):
    environment({})
    app = create_app()
    assert app.config["ENV_NAME"] == "development" and app.config["LOG_FORMAT"] == "text"


def test_a_bad_log_format_is_refused_anywhere(environment):
    assert "LOG_FORMAT" in refusal(environment, {"LOG_FORMAT": "xml"})


def test_another_domain_adds_a_check(environment, monkeypatch):
    """How storage or certificates add theirs: a registered function's problems join the
    others in the one error."""
    monkeypatch.setattr(config_module, "PRODUCTION_CHECKS", list(config_module.PRODUCTION_CHECKS))

    @config_module.production_check
    def _storage(config):
        if config.get("STORAGE_BACKEND_FOR_TEST") != "s3":
            yield "STORAGE_S3_BUCKET is not set: set STORAGE_S3_BUCKET to the bucket name."

    message = refusal(environment, COMPLETE | {"BASE_URL": "http://x"})
    assert "BASE_URL" in message and "STORAGE_S3_BUCKET" in message
    assert "2 setting(s)" in message


def test_every_variable_is_in_the_readme_table():
    """Each environment variable config.py reads has a row in README's Configuration table."""
    source = (ROOT / "elearn" / "config.py").read_text()
    read = set(re.findall(r'environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', source))
    read |= {f"ORGANISATION_NAME_{lang.upper()}" for lang in config_module.ORGANISATION_NAMES}
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", " ".join(rows)))
    documented |= {f"ORGANISATION_NAME_{lang.upper()}" for lang in config_module.ORGANISATION_NAMES
                   if "ORGANISATION_NAME_<LANG>" in " ".join(rows)}
    assert not read - documented, f"add to the README Configuration table: {read - documented}"
