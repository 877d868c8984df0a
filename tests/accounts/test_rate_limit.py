"""Log-in attempts are limited per account and per client address (Flask-Limiter)."""

import pytest

PASSWORD = "correct horse battery staple"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True,
            "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
            "LOGIN_LIMIT_PER_ADDRESS": "5 per 15 minutes"}


def attempt(client, email, password="wrong password", address="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_account_is_limited_even_from_different_addresses(client, make_user):
    make_user(email="ana@example.org")
    for n in range(3):
        assert attempt(client, "ana@example.org", address=f"10.0.0.{n + 1}").status_code == 401
    # Even the right password is refused now: the attacker must not learn it by trying.
    blocked = attempt(client, "ANA@example.org", password=PASSWORD, address="10.0.0.9")
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # Another account from a fresh address is not affected.
    make_user(email="bea@example.org")
    assert attempt(client, "bea@example.org", PASSWORD, address="10.0.0.10").status_code == 302


def test_address_is_limited_across_accounts(client, make_user):
    make_user(email="ana@example.org")
    for n in range(5):
        assert attempt(client, f"guess{n}@example.org").status_code == 401
    blocked = attempt(client, "ana@example.org", password=PASSWORD)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)
    # The same person from another address still gets in.
    assert attempt(client, "ana@example.org", PASSWORD, address="10.0.0.2").status_code == 302


def test_successful_logins_do_not_count(client, make_user):
    make_user(email="ana@example.org")
    for _ in range(6):
        assert attempt(client, "ana@example.org", PASSWORD).status_code == 302
        client.post("/logout")
