"""The session cookie (elearn.core.session_cookie): signed as Flask signs it, not compressed,
its signer made once, and cookies signed the stock way still read."""

from flask import request, session
from flask.sessions import SecureCookieSessionInterface

from elearn.core.session_cookie import SessionCookie


def _stock_cookie(app, data: dict, key: str | None = None) -> str:
    """What Flask's own interface signs (compressed when that is shorter)."""
    original = app.secret_key
    if key is not None:
        app.secret_key = key
    try:
        return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)
    finally:
        app.secret_key = original


def _read(app, cookie: str) -> dict:
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        return dict(app.session_interface.open_session(app, request))


def test_the_app_uses_it(app):
    assert isinstance(app.session_interface, SessionCookie)


def test_a_cookie_signed_by_flasks_own_interface_still_reads(app):
    data = {"_user_id": "7:" + "a" * 43, "csrf_token": "b" * 40, "_flashes": [["x", "y"] * 20]}
    cookie = _stock_cookie(app, data)
    assert cookie.startswith(".")  # compressed: the old form
    assert _read(app, cookie)["_user_id"] == "7:" + "a" * 43


def test_what_it_writes_is_uncompressed_and_reads_back(app):
    with app.test_request_context():
        session["csrf_token"] = "c" * 40
        session["_flashes"] = [("success", "On the waiting list") for _ in range(5)]
        response = app.response_class()
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert not cookie.startswith(".")
    assert _read(app, cookie)["csrf_token"] == "c" * 40


def test_a_forged_or_foreign_cookie_reads_as_empty(app):
    assert _read(app, _stock_cookie(app, {"_user_id": "1:x"}, key="k" * 40)) == {}
    assert _read(app, "eyJfdXNlcl9pZCI6IjE6eCJ9.forged.signature") == {}


def test_an_old_key_still_reads_while_it_is_a_fallback(app):
    old = "o" * 40
    cookie = _stock_cookie(app, {"_user_id": "3:t"}, key=old)
    assert _read(app, cookie) == {}
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    try:
        assert _read(app, cookie) == {"_user_id": "3:t"}
    finally:
        app.config["SECRET_KEY_FALLBACKS"] = []
    assert _read(app, cookie) == {}
