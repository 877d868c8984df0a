"""The organisation's name per language, each overridable from the environment."""

from elearn.config import ORGANISATION_NAMES, from_environment


def test_defaults_cover_every_language(monkeypatch, tmp_path):
    for lang in ("EN", "ES", "PT", "FR"):
        monkeypatch.delenv(f"ORGANISATION_NAME_{lang}", raising=False)
    monkeypatch.delenv("ORGANISATION_NAME", raising=False)
    config = from_environment(str(tmp_path))
    assert config["ORGANISATION_NAMES"] == ORGANISATION_NAMES
    assert set(config["ORGANISATION_NAMES"]) == set(config["LANGUAGES"])
    assert config["ORGANISATION_NAME"] == ORGANISATION_NAMES["en"]


def test_one_language_is_overridden_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ORGANISATION_NAME_ES", "Secretaría Permanente del SELA")
    monkeypatch.setenv("ORGANISATION_NAME", "SELA Permanent Secretariat")
    names = from_environment(str(tmp_path))["ORGANISATION_NAMES"]
    assert names["es"] == "Secretaría Permanente del SELA"
    assert names["en"] == "SELA Permanent Secretariat"
    assert names["fr"] == ORGANISATION_NAMES["fr"]


def test_the_footer_uses_the_override(monkeypatch, app_config, _schema, mailbox):
    from elearn import create_app

    monkeypatch.setenv("ORGANISATION_NAME_ES", "Secretaría Permanente del SELA")
    app = create_app(app_config)
    html = app.test_client().get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "<p>Secretaría Permanente del SELA</p>" in html
