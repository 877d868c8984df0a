"""X-Forwarded-For is believed only from the proxies named in TRUSTED_PROXIES (issue 11.7)."""

import pytest
from flask import request

from elearn import create_app


@pytest.fixture
def make_app(app_config, _schema):
    def make(**config):
        app = create_app({**app_config, **config})
        app.add_url_rule("/_whoami", "whoami",
                         lambda: {"address": request.remote_addr, "scheme": request.scheme})
        return app.test_client()

    return make


def whoami(client, peer, forwarded=None, proto=None):
    headers = {}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    if proto:
        headers["X-Forwarded-Proto"] = proto
    return client.get("/_whoami", headers=headers, environ_base={"REMOTE_ADDR": peer}).json


def test_forwarded_for_is_ignored_without_trusted_proxies(make_app):
    client = make_app(TRUSTED_PROXIES=0)
    assert whoami(client, "198.51.100.5", "192.0.2.1", "https") == {
        "address": "198.51.100.5", "scheme": "http"}
    assert whoami(make_app(TRUSTED_PROXIES=[]), "198.51.100.5", "192.0.2.1")["address"] == \
        "198.51.100.5"


def test_one_trusted_hop_takes_the_last_forwarded_address(make_app):
    client = make_app(TRUSTED_PROXIES=1)
    # The client wrote the first entry itself; the proxy appended the real one.
    assert whoami(client, "10.0.0.2", "6.6.6.6, 192.0.2.1", "https") == {
        "address": "192.0.2.1", "scheme": "https"}


def test_listed_proxies_are_believed_and_others_are_not(make_app):
    client = make_app(TRUSTED_PROXIES=["10.0.0.0/8", "172.16.0.9"])
    assert whoami(client, "10.1.2.3", "6.6.6.6, 192.0.2.1, 172.16.0.9")["address"] == \
        "192.0.2.1"
    # A peer that is not a listed proxy is the client, whatever it claims.
    assert whoami(client, "198.51.100.5", "192.0.2.1")["address"] == "198.51.100.5"
    # Junk in the header is not an address.
    assert whoami(client, "10.1.2.3", "not-an-ip")["address"] == "10.1.2.3"


def test_trusted_proxies_setting_is_read_from_the_environment(monkeypatch, tmp_path):
    from elearn.config import from_environment

    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    assert from_environment(str(tmp_path))["TRUSTED_PROXIES"] == 2
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, 10.0.0.0/8")
    assert from_environment(str(tmp_path))["TRUSTED_PROXIES"] == ["10.0.0.1", "10.0.0.0/8"]
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert from_environment(str(tmp_path))["TRUSTED_PROXIES"] == []
