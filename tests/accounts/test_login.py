import pytest
from sqlalchemy import func, select

from elearn.accounts.models import LoginSession, User
from elearn.extensions import db

PASSWORD = "correct horse battery staple"  # the conftest's make_user password


def test_login_with_any_letter_case_and_logout(client, make_user):
    make_user(email="ana@example.org")
    response = client.post("/login", data={"email": "ANA@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
    assert db.session.scalar(select(User.last_login_at)) is not None
    client.post("/logout")
    assert client.get("/profile").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user(email="ana@example.org")
    wrong = client.post("/login", data={"email": "ana@example.org", "password": "nope nope"})
    unknown = client.post("/login", data={"email": "x@example.org", "password": "nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong email or password" in wrong.get_data(as_text=True)
    assert "Wrong email or password" in unknown.get_data(as_text=True)


def test_next_parameter_only_goes_to_this_site(client, make_user):
    make_user(email="ana@example.org")
    data = {"email": "ana@example.org", "password": PASSWORD}
    assert client.post("/login?next=/profile", data=data).headers["Location"] == "/profile"
    client.post("/logout")
    assert client.post("/login?next=//evil.example", data=data).headers["Location"] == "/me"


def test_blocked_account_cannot_log_in(client, make_user):
    make_user(email="ana@example.org", is_active_account=False)
    response = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 401


# The classic open-redirect bypasses (issue 11.9): each must land on the home page.
HOSTILE_NEXT = [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example",
    "\\/evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example",
    "/\r\n/evil.example", " //evil.example", "/ /evil.example", "/%09/evil.example",
    "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%5Cevil.example",
    "/%5C%5Cevil.example", "/%252F/evil.example", "/%25252F%25252Fevil.example",
    "https:evil.example", "https://evil.example", "http:/evil.example", "HTTPS://evil.example",
    "javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "evil.example", "@evil.example",
    "//user@evil.example", "//evil.example@example.org", "/\u3000/evil.example",
    "/\x00/evil.example", "/\x7f/evil.example", "\u2028//evil.example", "", "/" + "a" * 3000,
]
SAFE_NEXT = ["/profile", "/events/3?page=2", "/courses/#lesson", "/@ana/profile", "/a:b"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_after_login_stays_on_this_site(client, make_user, target):
    make_user(email="ana@example.org")
    response = client.post("/login", query_string={"next": target},
                           data={"email": "ana@example.org", "password": PASSWORD})
    _stays_on_this_site(response, target, landing="/me")  # My elearn


def _stays_on_this_site(response, target, landing="/"):
    if "\x00" in target:  # refused before any view (elearn/converters.py): no redirect at all
        assert response.status_code == 400
        assert "Location" not in response.headers
        return
    assert response.status_code == 302
    assert response.headers["Location"] == landing


def test_the_reported_encoded_tab_bypass_is_closed(client, make_user):
    make_user(email="ana@example.org")
    response = client.post("/login?next=%2F%09%2Fevil.example",
                           data={"email": "ana@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/me"  # My elearn


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_on_language_switch_stays_on_this_site(client, target):
    response = client.post("/language", data={"language": "es", "next": target})
    _stays_on_this_site(response, target)


@pytest.mark.parametrize("target", SAFE_NEXT)
def test_same_site_paths_are_kept(client, make_user, target):
    make_user(email="ana@example.org")
    response = client.post("/login", query_string={"next": target},
                           data={"email": "ana@example.org", "password": PASSWORD})
    assert response.headers["Location"] == target
    assert client.post("/language", data={"language": "en", "next": target}).headers[
        "Location"] == target


def test_cookie_copied_before_log_out_does_not_work_after_it(app, client, make_user):
    """The server ends the session at log-out: replaying the old cookie is not logged in."""
    make_user(email="ana@example.org")
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    stolen = client.get_cookie("session").value
    assert client.get("/profile").status_code == 200
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(LoginSession.id))) == 0


def test_log_out_ends_only_this_browser(app, make_user):
    make_user(email="ana@example.org")
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        browser.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    laptop.post("/logout")
    assert laptop.get("/profile").status_code == 302
    assert phone.get("/profile").status_code == 200


def test_session_cookie_names_a_random_token_not_a_guessable_version(app, client, make_user):
    user = make_user(email="ana@example.org")
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    forger = app.test_client()
    with forger.session_transaction() as session:  # the old cookie format: "<id>:<version>"
        session["_user_id"] = f"{user.id}:1"
        session["_fresh"] = True
    assert forger.get("/profile").status_code == 302
    stored = db.session.scalar(select(LoginSession.token_hash))
    assert len(stored) == 64 and stored not in client.get_cookie("session").value
