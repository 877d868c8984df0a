"""Pooled connections are tested before use only when they sat idle (extensions.py): a
restarted database or a dropped connection costs a reconnect, while a connection handed back
a moment ago goes straight to the next request, without the round trip pool_pre_ping spent
on every checkout."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DisconnectionError, OperationalError

from elearn import extensions


class FakeConnection:
    """A DB-API connection that records what it was asked to run."""

    def __init__(self, broken=False):
        self.broken, self.ran, self.rolled_back = broken, [], 0

    def cursor(self):
        connection = self

        class Cursor:
            def execute(self, sql):
                if connection.broken:
                    raise OSError("server closed the connection unexpectedly")
                connection.ran.append(sql)

            def close(self):
                pass

        return Cursor()

    def rollback(self):
        self.rolled_back += 1


class Record:
    def __init__(self, checked_in_at=None):
        self.info = {} if checked_in_at is None else {"checked_in_at": checked_in_at}


def test_a_connection_back_a_moment_ago_is_not_tested():
    connection = FakeConnection()
    extensions._test_idle_connection(connection, Record(time.monotonic()), None)
    assert connection.ran == []


@pytest.mark.parametrize("record", [Record(), Record(time.monotonic() - 60)],
                         ids=["new", "idle"])
def test_a_new_or_idle_connection_is_tested_and_left_outside_a_transaction(record):
    connection = FakeConnection()
    extensions._test_idle_connection(connection, record, None)
    assert connection.ran == ["SELECT 1"] and connection.rolled_back == 1


def test_a_dead_idle_connection_is_given_up_so_the_pool_takes_another():
    with pytest.raises(DisconnectionError):
        extensions._test_idle_connection(FakeConnection(broken=True),
                                         Record(time.monotonic() - 60), None)


@pytest.fixture
def pool_whose_connection_the_server_ended(is_postgres, app):
    """A one-connection pool whose connection the server ended while it waited in the pool
    (a restart, an idle timeout): (engine, the ended backend's pid)."""
    if not is_postgres:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url, pool_size=1, max_overflow=0)
    admin = create_engine(url)
    try:
        with engine.connect() as conn:
            pid = conn.scalar(text("SELECT pg_backend_pid()"))
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            gone = text("SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = :pid")
            for _ in range(100):  # it ends asynchronously
                if conn.scalar(gone, {"pid": pid}):
                    break
                time.sleep(0.05)
        yield engine, pid
    finally:
        engine.dispose()
        admin.dispose()


def test_an_idle_connection_the_server_ended_is_replaced(pool_whose_connection_the_server_ended,
                                                         monkeypatch):
    engine, ended = pool_whose_connection_the_server_ended
    monkeypatch.setattr(extensions, "TEST_IDLE_CONNECTIONS_AFTER", 0)  # it is idle now
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_backend_pid()")) != ended


def test_without_the_test_a_dead_connection_would_fail_the_request(
        pool_whose_connection_the_server_ended, monkeypatch):
    """The other side: the test above passes because of the test of idle connections."""
    engine, _ended = pool_whose_connection_the_server_ended
    monkeypatch.setattr(extensions, "TEST_IDLE_CONNECTIONS_AFTER", 3600)  # used just now
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.scalar(text("SELECT 1"))


def test_a_connection_made_just_now_is_not_tested_again(app):
    """A pool without reuse (NullPool, e.g. the calendar store's writer) connects at each
    checkout: the fresh connection goes straight to work."""
    from sqlalchemy import event
    from sqlalchemy.pool import NullPool

    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    tested = []
    event.listen(engine, "checkout", lambda c, record, proxy: tested.append(
        time.monotonic() - record.info["checked_in_at"] < extensions.TEST_IDLE_CONNECTIONS_AFTER))
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    finally:
        engine.dispose()
    assert tested == [True]
