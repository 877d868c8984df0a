import itsdangerous.timed
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.accounts.services import reset_token
from elearn.audit.models import AuditRecord
from elearn.extensions import db

PASSWORD = "correct horse battery staple"
NEW = "a brand new passphrase"


def test_forgot_password_same_answer_whether_or_not_the_account_exists(client, make_user,
                                                                        mailbox):
    make_user(email="ana@example.org")
    known = client.post("/password/forgot", data={"email": "Ana@example.org"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    marker = "If an account uses this address"
    assert known.get_data(as_text=True).replace("Ana@example.org", "X") == \
        unknown.get_data(as_text=True).replace("nobody@example.org", "X")
    assert marker in known.get_data(as_text=True)
    # One message each: the owner gets the link, the unknown address a note without one.
    assert sorted(m["To"] for m in mailbox.messages) == ["ana@example.org",
                                                         "nobody@example.org"]
    assert "/password/reset/" in mailbox.text_of(mailbox.last("ana@example.org"))
    note = mailbox.text_of(mailbox.last("nobody@example.org"))
    assert "/password/reset/" not in note and "no active account" in note


def test_forgot_password_only_writes_the_outbox(app, make_user, monkeypatch):
    """Known and unknown addresses cost the same: one queued message each, nothing sent inside
    the service (delivery happens after the response), so timing tells no account apart."""
    from elearn.accounts.services import request_password_reset
    from elearn.mail.models import OutboxMessage

    make_user(email="ana@example.org")
    sent = []
    monkeypatch.setattr("elearn.integrations.smtp.Connection.send",
                        lambda self, message: sent.append(message))
    with app.test_request_context():
        request_password_reset("ana@example.org")
        request_password_reset("nobody@example.org")
        db.session.flush()
        assert sent == []
        assert sorted(db.session.scalars(select(OutboxMessage.to_address))) == [
            "ana@example.org", "nobody@example.org"]
        db.session.rollback()


def test_reset_link_from_email_sets_password_once(client, make_user, mailbox, link_in):
    user = make_user(email="ana@example.org")
    client.post("/password/forgot", data={"email": "ana@example.org"})
    link = link_in(mailbox.last("ana@example.org"))
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.post("/login", data={"email": "ana@example.org",
                                       "password": NEW}).status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": "ana@example.org",
                                       "password": PASSWORD}).status_code == 401
    # Single use: the same link is dead now.
    again = client.post(link, data={"password": "yet another phrase", "confirm":
                                    "yet another phrase"})
    assert again.status_code == 400
    assert "already used" in again.get_data(as_text=True)
    assert db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "accounts.password_reset", AuditRecord.subject_id == str(user.id)))


def test_reset_refuses_weak_or_mismatched_password_and_keeps_the_link(client, make_user,
                                                                      mailbox, link_in):
    make_user(email="ana@example.org")
    client.post("/password/forgot", data={"email": "ana@example.org"})
    link = link_in(mailbox.last("ana@example.org"))
    assert client.post(link, data={"password": "short", "confirm": "short"}).status_code == 400
    assert client.post(link, data={"password": NEW, "confirm": NEW + "x"}).status_code == 400
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_expired_reset_link_is_refused(app, client, make_user, monkeypatch):
    user = make_user(email="ana@example.org")
    real = itsdangerous.timed.TimestampSigner.get_timestamp
    old = real(None) - app.config["RESET_TOKEN_MAX_AGE"] - 5
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: old)
    with app.test_request_context():
        token = reset_token(user)
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", real)
    response = client.post(f"/password/reset/{token}", data={"password": NEW, "confirm": NEW})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == 1


def test_tampered_reset_link_is_refused(client):
    assert client.get("/password/reset/not-a-token").status_code == 400


def test_change_password_keeps_this_session_and_ends_the_others(app, make_user, login):
    user = make_user(email="ana@example.org")
    other = app.test_client()
    other.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert other.get("/profile").status_code == 200

    me = app.test_client()
    me.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    response = me.post("/password/change", data={
        "current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert me.get("/profile").status_code == 200
    assert other.get("/profile").status_code == 302  # sent to log in
    db.session.expire_all()
    assert db.session.get(User, user.id).session_version == 2


def test_change_password_needs_the_current_one(client, make_user, login):
    user = login(make_user(email="ana@example.org")) and None
    response = client.post("/password/change", data={
        "current_password": "wrong wrong wrong", "password": NEW, "confirm": NEW})
    assert response.status_code == 400
    assert "not your current password" in response.get_data(as_text=True)
    assert user is None
    db.session.expire_all()
    assert db.session.scalar(select(User.session_version)) == 1
