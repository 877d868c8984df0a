"""Every request has an id, echoed in X-Request-ID, written on the one JSON line the request
leaves on logger elearn.request, and shown on error pages for a person to quote (issue 15.4)."""

import json
import re
from pathlib import Path

import pytest
from babel.support import Translations
from flask import g
from sqlalchemy import event

from elearn.core import request_log
from elearn.extensions import db

GENERATED = re.compile(r"[0-9a-f]{16}")
REFERENCE = "Reference: %(reference)s — quote it if you contact us"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "elearn" / "translations"


@pytest.fixture
def app_config(app_config):
    return app_config | {"LOG_FORMAT": "json"}


@pytest.fixture
def request_lines(capsys):
    """The elearn.request lines written to stderr so far, parsed."""
    def read() -> list[dict]:
        lines = capsys.readouterr().err.splitlines()
        found = [json.loads(line) for line in lines if '"elearn.request"' in line]
        assert all(entry["logger"] == "elearn.request" for entry in found)
        return found
    return read


def test_a_sane_incoming_id_is_kept_and_echoed(client):
    for sane in ("abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "A" * 64):
        assert client.get("/healthz", headers={"X-Request-ID": sane}).headers[
            "X-Request-ID"] == sane


@pytest.mark.parametrize("hostile", ["A" * 65, "abc 123", "abc_123", "<script>", "a\u00e9b",
                                     "x\" injected=1", "abc;rm"])
def test_a_hostile_incoming_id_is_replaced(client, hostile):
    echoed = client.get("/healthz", headers={"X-Request-ID": hostile}).headers["X-Request-ID"]
    assert echoed != hostile and GENERATED.fullmatch(echoed)


def test_each_request_without_one_gets_its_own(client):
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5 and all(GENERATED.fullmatch(i) for i in ids)


def test_one_json_line_per_request(client, make_user, login, request_lines):
    user = make_user()
    login(user)
    request_lines()  # forget the log-in's lines
    response = client.get("/profile", headers={"X-Request-ID": "trace-42"})
    assert response.status_code == 200
    lines = request_lines()
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "trace-42" == response.headers["X-Request-ID"]
    assert line["user_id"] == user.id
    assert line["route"] == "/profile" and line["method"] == "GET" and line["status"] == 200
    assert isinstance(line["duration_ms"], int | float) and 0 <= line["duration_ms"] < 60_000
    assert line["level"] == "INFO" and "time" in line


def test_the_route_is_the_rule_not_the_path(client, request_lines):
    response = client.get("/events/987654")
    lines = request_lines()
    assert lines[-1]["route"] == "/events/<int:event_id>"
    assert lines[-1]["status"] == response.status_code == 404
    assert lines[-1]["user_id"] is None
    assert "987654" not in json.dumps(lines[-1])
    client.post("/no/such/page")
    assert request_lines()[-1]["route"] is None


def test_the_line_costs_no_query(app, make_user):
    """Even after a commit expired the logged-in user's row, reading the id asks nothing."""
    user = make_user()
    user_id = user.id
    statements = []

    def count(conn, cursor, statement, *_args):
        statements.append(statement)

    with app.test_request_context("/"):
        g._login_user = user
        db.session.commit()  # expires the row's attributes
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert request_log._user_id() == user_id
            response = request_log._finish(app.response_class("x"))
            for _ in range(100):  # its cost is measured in bench/, never asserted as a time
                request_log._finish(response)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []


def _reference(language: str) -> str:
    if language == "en":
        return REFERENCE
    return Translations.load(str(TRANSLATIONS), [language]).gettext(REFERENCE)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_error_page_gives_the_reference(client, language):
    client.post("/language", data={"language": language})
    response = client.get("/no/such/page", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert _reference(language) % {"reference": "abc-123"} in html


def test_a_server_error_page_gives_the_reference_of_its_log_lines(app_config, _schema, capsys):
    from elearn import create_app

    app = create_app(app_config | {"PROPAGATE_EXCEPTIONS": False})

    def broken():
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    capsys.readouterr()
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    html = response.get_data(as_text=True)
    assert REFERENCE % {"reference": reference} in html and "a bug" not in html
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    # The traceback and the request line both carry the reference the person quotes.
    traceback = [entry for entry in lines if "exception" in entry]
    assert traceback and traceback[0]["request_id"] == reference
    assert "RuntimeError: a bug" in traceback[0]["exception"]
    request = [entry for entry in lines if entry["logger"] == "elearn.request"]
    assert request[-1]["status"] == 500 and request[-1]["request_id"] == reference
    assert request[-1]["route"] == "/broken"


def test_the_reference_is_shown_even_when_the_database_is_down(app_config, tmp_path, capsys):
    from sqlalchemy import text

    from elearn import create_app

    app = create_app(app_config | {"PROPAGATE_EXCEPTIONS": False, "SQLALCHEMY_DATABASE_URI":
                                   f"sqlite:///{tmp_path}/no/such/folder/elearn.db"})
    app.add_url_rule("/reads", "reads", lambda: str(db.session.execute(text("SELECT 1"))))
    client = app.test_client()
    client.set_cookie("session", "garbage")  # a visitor's stale cookie changes nothing
    response = client.get("/reads", headers={"X-Request-ID": "db-down-1"})
    assert response.status_code == 500
    assert "db-down-1" in response.get_data(as_text=True)


def test_a_page_that_cannot_be_drawn_still_gives_the_reference(app_config, _schema, monkeypatch):
    import elearn
    from elearn import create_app

    app = create_app(app_config | {"PROPAGATE_EXCEPTIONS": False})

    def broken():
        raise RuntimeError("a bug")

    def no_templates(*_args, **_kwargs):
        raise RuntimeError("the templates are broken too")

    app.add_url_rule("/broken", "broken", broken)
    monkeypatch.setattr(elearn, "render_template", no_templates)
    response = app.test_client().get("/broken", headers={"X-Request-ID": "<b>x</b>"})
    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    assert f"Reference: {reference}" in response.get_data(as_text=True)
