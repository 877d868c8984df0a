from sqlalchemy import select

from elearn.accounts.models import User
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
    assert client.post("/login?next=//evil.example", data=data).headers["Location"] == "/"


def test_blocked_account_cannot_log_in(client, make_user):
    make_user(email="ana@example.org", is_active_account=False)
    response = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 401
