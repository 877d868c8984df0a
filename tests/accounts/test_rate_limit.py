"""Log-in throttling slows a guesser down without locking the owner out (issue 11.7), and the
pages that send email to a typed address are rate-limited."""

import pytest

from elearn.accounts.services import throttle

PASSWORD = "correct horse battery staple"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True, "LOGIN_FREE_TRIES_PER_PAIR": 3,
            "LOGIN_FREE_TRIES_PER_ADDRESS": 6, "LOGIN_MAX_DELAY": 600,
            "MAIL_LIMIT_PER_EMAIL": "2 per hour"}


def attempt(client, email, password="wrong password", address="10.0.0.1", **headers):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_attacker_is_slowed_but_the_owner_logs_in_from_elsewhere(client, app, make_user):
    make_user(email="ana@example.org")
    for _ in range(3):
        assert attempt(client, "ana@example.org", address="203.0.113.7").status_code == 401
    # The attacker's address now waits, even with the right password...
    blocked = attempt(client, "ana@example.org", password=PASSWORD, address="203.0.113.7")
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 2
    assert "Too many failed attempts" in blocked.get_data(as_text=True)
    # ...while the owner, from her own address, gets straight in: the account is never locked.
    victim = app.test_client()
    assert attempt(victim, "ana@example.org", PASSWORD, address="198.51.100.20").status_code \
        == 302
    assert victim.get("/profile").status_code == 200


def test_the_wait_doubles_and_is_capped(app, make_user):
    with app.test_request_context():
        waits = []
        for _ in range(14):
            throttle.record_failure("ana@example.org", "203.0.113.7")
            waits.append(throttle.wait_seconds("ana@example.org", "203.0.113.7"))
    assert waits[:2] == [0, 0]
    assert waits[2:7] == [2, 4, 8, 16, 32]
    assert max(waits) == 600 and waits[-1] == 600  # never more than LOGIN_MAX_DELAY


def test_address_is_slowed_across_accounts_but_other_addresses_are_not(client, make_user):
    make_user(email="ana@example.org")
    for n in range(6):
        assert attempt(client, f"guess{n}@example.org").status_code == 401
    assert attempt(client, "ana@example.org", password=PASSWORD).status_code == 429
    assert attempt(client, "ana@example.org", PASSWORD, address="10.0.0.2").status_code == 302


def test_successful_logins_do_not_count(client, make_user):
    make_user(email="ana@example.org")
    for _ in range(6):
        assert attempt(client, "ana@example.org", PASSWORD).status_code == 302
        client.post("/logout")


def test_reset_link_signs_the_owner_in_while_her_address_is_throttled(client, make_user,
                                                                       mailbox, link_in):
    """The CAPTCHA-free way in: even when the guesser shares her address, the emailed link
    works and signs her in."""
    make_user(email="ana@example.org")
    for _ in range(6):
        attempt(client, "ana@example.org")
    assert attempt(client, "ana@example.org", PASSWORD).status_code == 429
    client.post("/password/forgot", data={"email": "ana@example.org"},
                environ_base={"REMOTE_ADDR": "10.0.0.1"})
    link = link_in(mailbox.last("ana@example.org"))
    new = "a brand new passphrase"
    response = client.post(link, data={"password": new, "confirm": new},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert client.get("/profile").status_code == 200


def test_spoofed_forwarded_for_is_ignored_without_trusted_proxies(client, make_user):
    """Without TRUSTED_PROXIES a guesser cannot pose as a fresh address on every try."""
    make_user(email="ana@example.org")
    for n in range(3):
        assert attempt(client, "ana@example.org",
                       **{"X-Forwarded-For": f"192.0.2.{n}"}).status_code == 401
    assert attempt(client, "ana@example.org", PASSWORD,
                   **{"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_sign_up_is_rate_limited_per_email_address(client, mailbox):
    data = {"email": "maria@example.org", "full_name": "María", "password": "a quiet bicycle",
            "confirm": "a quiet bicycle", "preferred_language": "es", "country": ""}
    statuses = [client.post("/signup", data=data).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mailbox.to("maria@example.org")) == 2


def test_forgot_password_is_rate_limited_per_email_address(client, mailbox, make_user):
    make_user(email="ana@example.org")
    statuses = [client.post("/password/forgot", data={"email": "ana@example.org"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(mailbox.to("ana@example.org")) == 2
