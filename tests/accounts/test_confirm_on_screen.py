"""Issue 13 #2: without a mail server in development the confirmation link is shown on the
page (never in production, never when mail works); admins confirm or resend from the Users
page. And #5: the page the visitor came from survives sign-up, confirmation and log-in."""

import re

import pytest
from sqlalchemy import select

from elearn.accounts.models import User, user_by_email
from elearn.audit.models import AuditRecord
from elearn.extensions import db
from tests.conftest import PASSWORD

GOOD = "a quiet orange bicycle"


def signup(client, email="maria@example.org", query=""):
    return client.post("/signup" + query, data={
        "email": email, "full_name": "María Pérez", "password": GOOD, "confirm": GOOD,
        "preferred_language": "en", "country": ""})


def on_screen_link(html: str) -> str | None:
    match = re.search(r'<a[^>]*href="([^"]+)"[^>]*>Confirm my email address</a>', html)
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def no_mail(app):
    app.config["MAIL_SERVER"] = None
    return app


def test_without_mail_in_development_the_link_is_on_screen_and_works(client, no_mail,
                                                                     mailbox):
    response = signup(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mail is not configured" in html and "maria@example.org" in html
    link = on_screen_link(html)
    assert link and link.startswith("/confirm/")
    assert user_by_email("maria@example.org").email_confirmed_at is None
    confirmed = client.get(link)
    assert confirmed.status_code == 302 and "/login" in confirmed.headers["Location"]
    db.session.expire_all()
    assert user_by_email("maria@example.org").email_confirmed_at is not None
    assert not mailbox.messages  # nothing reached any mail server


def test_with_a_mail_server_the_link_is_only_in_the_email(client, mailbox):
    response = signup(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert on_screen_link(page) is None and "Mail is not configured" not in page
    assert "/confirm/" in mailbox.text_of(mailbox.last("maria@example.org"))


def test_never_on_screen_in_production(client, no_mail):
    no_mail.config["ENV_NAME"] = "production"
    response = signup(client)
    assert response.status_code == 302
    html = response.get_data(as_text=True) + client.get("/login").get_data(as_text=True)
    assert on_screen_link(html) is None and "Mail is not configured" not in html
    client.post("/login", data={"email": "maria@example.org", "password": GOOD})
    resent = client.post("/confirm/resend")
    assert resent.status_code == 302 and on_screen_link(resent.get_data(as_text=True)) is None


def test_a_taken_address_gets_no_link_on_screen(client, no_mail, make_user):
    make_user(email="maria@example.org", confirmed=False)
    response = signup(client)
    assert response.status_code == 302 and on_screen_link(response.get_data(as_text=True)) is None


def test_resend_shows_the_link_on_screen_without_mail(client, no_mail, make_user, login):
    user = make_user(email="late@example.org", confirmed=False)
    anonymous = client.post("/confirm/resend", data={"email": "LATE@example.org"})
    assert anonymous.status_code == 200
    assert on_screen_link(anonymous.get_data(as_text=True)).startswith("/confirm/")
    unknown = client.post("/confirm/resend", data={"email": "nobody@example.org"})
    assert unknown.status_code == 302 and on_screen_link(unknown.get_data(as_text=True)) is None
    login(user)
    own = client.post("/confirm/resend")
    link = on_screen_link(own.get_data(as_text=True))
    assert own.status_code == 200 and link
    assert client.get(link).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None


# --- admins ---------------------------------------------------------------------------------

def audit(action):
    return list(db.session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


def test_admin_confirms_an_address_and_it_is_audited(client, make_user, login):
    admin = make_user(roles=["admin"])
    waiting = make_user(email="waiting@example.org", confirmed=False)
    login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'action="/admin/users/{waiting.id}/confirm-email"' in page
    response = client.post(f"/admin/users/{waiting.id}/confirm-email", data={"q": "wait"})
    assert response.status_code == 302 and "q=wait" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(User, waiting.id).email_confirmed_at is not None
    [entry] = audit("accounts.email_confirmed_by_admin")
    assert entry.actor_id == admin.id and entry.subject_id == str(waiting.id)
    # Already confirmed: nothing more is written, and the page no longer offers the buttons.
    client.post(f"/admin/users/{waiting.id}/confirm-email")
    assert len(audit("accounts.email_confirmed_by_admin")) == 1
    assert f"/admin/users/{waiting.id}/confirm-email" not in client.get(
        "/admin/users").get_data(as_text=True)


def test_admin_resends_the_confirmation(client, make_user, login, mailbox):
    admin = make_user(roles=["admin"])
    waiting = make_user(email="waiting@example.org", confirmed=False)
    login(admin)
    assert client.post(f"/admin/users/{waiting.id}/resend-confirmation").status_code == 302
    assert "/confirm/" in mailbox.text_of(mailbox.last("waiting@example.org"))
    [entry] = audit("accounts.confirmation_resent_by_admin")
    assert entry.actor_id == admin.id
    db.session.expire_all()
    assert db.session.get(User, waiting.id).email_confirmed_at is None


def test_admin_resend_without_mail_shows_the_link(client, make_user, login, no_mail):
    login(make_user(roles=["admin"]))
    waiting = make_user(email="waiting@example.org", confirmed=False)
    response = client.post(f"/admin/users/{waiting.id}/resend-confirmation")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Mail is not configured" in html
    assert on_screen_link(html).startswith("/confirm/")


@pytest.mark.parametrize("roles", [[], ["organiser"], ["programme_manager"]])
def test_non_admins_cannot_confirm_or_resend(client, make_user, login, roles, mailbox):
    waiting = make_user(email="waiting@example.org", confirmed=False)
    login(make_user(roles=roles))
    for action in ("confirm-email", "resend-confirmation"):
        assert client.post(f"/admin/users/{waiting.id}/{action}").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, waiting.id).email_confirmed_at is None
    assert not mailbox.to("waiting@example.org")


def test_anonymous_is_sent_to_log_in_and_unknown_users_404(client, make_user, login):
    waiting = make_user(confirmed=False)
    response = client.post(f"/admin/users/{waiting.id}/confirm-email")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(make_user(roles=["admin"]))
    assert client.post("/admin/users/999999/confirm-email").status_code == 404


# --- links built on the address people use (#2, first half) ---------------------------------

def test_without_base_url_emailed_links_use_the_host_the_request_came_to(app, client, mailbox,
                                                                         make_user):
    app.config["BASE_URL"] = ""
    host = "http://elearn.example:8080"
    signup(client, "new@example.org").close()
    client.post("/signup", base_url=host, data={
        "email": "other@example.org", "full_name": "O", "password": GOOD, "confirm": GOOD,
        "preferred_language": "en", "country": ""})
    assert re.search(r"http://elearn\.example:8080/confirm/\S+",
                     mailbox.text_of(mailbox.last("other@example.org")))
    assert "http://localhost/confirm/" in mailbox.text_of(mailbox.last("new@example.org"))
    client.post("/password/forgot", base_url=host, data={"email": "other@example.org"})
    assert "http://elearn.example:8080/password/reset/" in mailbox.text_of(
        mailbox.last("other@example.org"))
    make_user(email="mover@example.org")
    client.post("/login", base_url=host, data={"email": "mover@example.org",
                                               "password": PASSWORD})
    client.post("/profile/email", base_url=host,
                data={"email": "moved@example.org", "password": PASSWORD})
    assert "http://elearn.example:8080/profile/email/confirm/" in mailbox.text_of(
        mailbox.last("moved@example.org"))


# --- coming back to the page one came from (#5) ---------------------------------------------

def test_sign_up_confirm_and_log_in_come_back_to_the_page(client, no_mail):
    nav = client.get("/programme/").get_data(as_text=True)
    assert 'href="/signup?next=/programme/"' in nav
    assert 'href="/login?next=/programme/"' in nav
    form = client.get("/signup?next=/programme/").get_data(as_text=True)
    assert 'href="/login?next=/programme/"' in form  # "Already have an account? Log in"
    link = on_screen_link(signup(client, query="?next=/programme/").get_data(as_text=True))
    assert "next=/programme/" in link
    confirmed = client.get(link)
    assert confirmed.headers["Location"].endswith("/login?next=/programme/")
    logged_in = client.post("/login?next=%2Fprogramme%2F",
                            data={"email": "maria@example.org", "password": GOOD})
    assert logged_in.headers["Location"].endswith("/programme/")


def test_a_foreign_next_is_dropped_along_the_way(client, no_mail):
    link = on_screen_link(signup(client, query="?next=//evil.example/x").get_data(as_text=True))
    assert "next" not in link and "evil" not in link
    page = client.get("/signup?next=//evil.example/").get_data(as_text=True)
    assert not re.search(r'href="[^"]*evil', page)


def test_log_in_from_the_front_page_leads_to_my_elearn(client, make_user):
    front = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in front and "next=/\"" not in front
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/me"


def test_log_in_without_next_goes_to_my_elearn(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/me"
