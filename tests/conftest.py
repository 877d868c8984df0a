"""Shared fixtures: a real database (SQLite file, or a fresh PostgreSQL database when
TEST_DATABASE_URL is set), a real SMTP server (aiosmtpd) the app sends to, and helpers to make
users and log them in.

The schema is created once per run; after each test every table is emptied, so tests are
independent and the PostgreSQL database is dropped at the end (nothing is left behind).
"""

import email
import email.policy
import functools
import os
import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.extensions import db, limiter
from elearn.mail.delivery import stop_background_delivery

PASSWORD = "correct horse battery staple"


# --- which tests run -------------------------------------------------------------------------

def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="run only the tests that use the database (the PostgreSQL pass of `make test`: "
             "a pure computation gains nothing from a second run)")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if "database_url" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


# --- database -------------------------------------------------------------------------------

def _fresh_postgres_database(url: str):
    base = make_url(url)
    name = f"elearn_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name), admin, name


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
        return
    fresh, admin, name = _fresh_postgres_database(url)
    yield fresh.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
        ), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def is_postgres(database_url):
    return database_url.startswith("postgresql")


# --- a real SMTP server ---------------------------------------------------------------------

class Mailbox:
    """What the local SMTP server received, parsed with the standard library."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    def clear(self):
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def last(self, address: str | None = None):
        found = self.to(address) if address else self.messages
        assert found, f"no email arrived for {address or 'anyone'}"
        return found[-1]

    @staticmethod
    def text_of(message) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            with mailbox.lock:
                mailbox.messages.append(parsed)
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.clear()
    return smtp_server


# --- the app --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def _schema(database_url):
    app = create_app(_test_config(database_url, port=25))
    with app.app_context():
        db.drop_all()
        db.create_all()
        from elearn.accounts.services import load_member_states

        load_member_states()
        db.session.commit()
        _stamp_migrations_head(app)
    return True


def _stamp_migrations_head(app):
    """create_all builds what the migrations' head builds (test_migrations proves it): record
    that in alembic_version, as `flask db upgrade` would, so /readyz finds the schema at head."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from elearn.core.health import alembic_config

    script = ScriptDirectory.from_config(alembic_config(app.extensions["migrate"].directory))
    with db.engine.begin() as conn:
        MigrationContext.configure(conn).stamp(script, "heads")


def _test_config(database_url: str, port: int) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_DEFAULT_SENDER": "events@elearn.test",
        "MAIL_DELIVERY": "inline",  # so a test finds the mail in the mailbox after a request
        "REDIS_URL": None,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "CREDENTIAL_KEYS_DIR": _credential_keys_dir(),
        "EXPORTS_DIR": _exports_dir(),  # prepared downloads, never in the work tree
    }


@functools.cache
def _credential_keys_dir() -> str:
    """One development signing key for the run (made on first use), never in the work tree."""
    import tempfile

    return tempfile.mkdtemp(prefix="elearn-credential-keys-")


@functools.cache
def _exports_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="elearn-exports-")


@pytest.fixture
def production_keys_dir(tmp_path):
    """A directory holding a real Ed25519 signing key, as production requires."""
    from elearn.certificates.credential_keys import generate

    directory = tmp_path / "credential_keys"
    generate(str(directory))
    return str(directory)


@pytest.fixture
def app_config(request, database_url, smtp_server):
    """Override in a test module (or update the dict) to change settings for its tests.
    TEST_STORAGE=s3 keeps every test's files in a real S3-compatible server instead of a
    directory (each test under a prefix of its own)."""
    config = _test_config(database_url, smtp_server.port)
    if os.environ.get("TEST_STORAGE") == "s3":
        config.update(s3_settings(request.getfixturevalue("s3_server")))
    return config


# --- files: a real S3-compatible server (moto) on loopback ----------------------------------

@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free loopback port with one empty bucket: (endpoint, bucket)."""
    import boto3
    from moto.server import ThreadedMotoServer

    for name, value in [("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")]:
        os.environ.setdefault(name, value)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(
        Bucket="elearn-test")
    yield endpoint, "elearn-test"
    server.stop()


def s3_settings(server, prefix: str | None = None) -> dict:
    endpoint, bucket = server
    return {"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": bucket,
            "STORAGE_S3_ENDPOINT_URL": endpoint, "STORAGE_S3_REGION": "us-east-1",
            "STORAGE_S3_PREFIX": prefix or f"test-{uuid.uuid4().hex[:12]}/"}


@pytest.fixture
def stored_keys(app):
    """stored_keys("course_files") -> every key the app's storage holds in that area."""
    from elearn import storage

    return lambda area_name: list(storage.backend(app).keys(area_name))


@pytest.fixture
def app(app_config, _schema, mailbox):
    app = create_app(app_config)
    with app.app_context():
        if app.config["RATELIMIT_ENABLED"]:
            limiter.reset()
        yield app
        # An idle delivery thread would keep this app, and a pooled connection, for 30 s:
        # enough of them exhaust PostgreSQL's connections.
        stop_background_delivery(app)
        db.session.rollback()
        _check_statistics_rollup()
        db.session.remove()
        _empty_all_tables(app)
        db.engine.dispose()  # its pooled connections now, not when the app is collected


def _check_statistics_rollup():
    """Every test doubles as a check that the statistics roll-up followed its writes: what
    the test committed must read the same from the roll-up as derived afresh."""
    from elearn.stats import rollup

    missing, extra = rollup.differences()
    db.session.rollback()
    assert not missing and not extra, \
        f"statistics roll-up out of date: missing {missing[:5]}, extra {extra[:5]}"


def _empty_all_tables(app):
    keep = {"member_state"}  # reference data loaded once per run
    tables = [t for t in db.metadata.sorted_tables if t.name not in keep]
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


# --- people ---------------------------------------------------------------------------------

@pytest.fixture
def make_user(app):
    """make_user(email=..., roles=[...], **profile) -> a confirmed user with PASSWORD."""
    from elearn.accounts.models import Role, User, UserRole
    counter = {"n": 0}
    # argon2 is slow on purpose; one hash serves every test user.
    password_hash = _password_hash()

    def make(email=None, roles=(), confirmed=True, **profile):
        # Test people agree to the statistical use of their profile, as most do (statistics
        # ignore the profile of those who do not): pass stats_consent_at=None to refuse.
        profile.setdefault("stats_consent_at", datetime.now(UTC))
        counter["n"] += 1
        user = User(
            email=(email or f"person{counter['n']}@example.org").lower(),
            password_hash=password_hash,
            full_name=profile.pop("full_name", f"Person {counter['n']}"),
            email_confirmed_at=datetime.now(UTC) if confirmed else None,
            **profile,
        )
        for role in roles:
            user.roles.append(UserRole(role=Role(role)))
        db.session.add(user)
        db.session.commit()
        return user

    return make


@functools.cache
def _password_hash() -> str:
    from elearn.accounts.services import hash_password

    return hash_password(PASSWORD)


@pytest.fixture
def login(client):
    def do(user, password=PASSWORD):
        response = client.post(
            "/login", data={"email": user.email, "password": password}, follow_redirects=False
        )
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    return do


# --- events made directly as rows (attendance, statistics) ----------------------------------

@pytest.fixture
def make_event(app):
    """make_event(organiser, starts_at=..., minutes=..., sessions=..., **Event fields)."""
    from elearn.events.models import (
        Event,
        EventKind,
        EventMode,
        EventOrganiser,
        EventSession,
        EventStatus,
    )

    def make(organiser=None, *, starts_at=None, minutes=120, sessions=1, **fields):
        starts_at = starts_at or datetime.now(UTC) - timedelta(minutes=5)
        event = Event(kind=fields.pop("kind", EventKind.WORKSHOP),
                      mode=fields.pop("mode", EventMode.HYBRID),
                      title_en=fields.pop("title_en", "Gender and SME policy workshop"),
                      timezone=fields.pop("timezone", "America/Caracas"),
                      status=fields.pop("status", EventStatus.PUBLISHED),
                      starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes),
                      **fields)
        for n in range(sessions):
            start = starts_at + timedelta(days=n)
            event.sessions.append(EventSession(title_en=f"Day {n + 1}", starts_at=start,
                                               ends_at=start + timedelta(minutes=minutes)))
        if organiser is not None:
            event.organisers.append(EventOrganiser(user_id=organiser.id))
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def register(app):
    from elearn.events.models import AttendanceMode, Registration, RegistrationStatus

    def make(event, user, status=RegistrationStatus.CONFIRMED, mode=AttendanceMode.IN_PERSON,
             **fields):
        registration = Registration(event_id=event.id, user_id=user.id, status=status,
                                    mode=mode, **fields)
        db.session.add(registration)
        db.session.commit()
        return registration

    return make


# --- an RQ worker on the local Redis --------------------------------------------------------

# One database number per xdist worker (gw0: 14, gw1: 12, ... even numbers; the health tests
# take odd ones, prod-check 13), so parallel runs never share RQ's queues or scheduler locks.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL",
                                f"redis://127.0.0.1:6379/{14 - 2 * _XDIST_INDEX}")


class RQWorker:
    """The app's queue on a real Redis, and a worker that runs what is queued in this process
    (burst mode) inside an app it builds from the environment, as `flask elearn worker` does."""

    def __init__(self, url, connection, queue):
        self.url, self.connection, self.queue = url, connection, queue

    def work(self) -> None:
        from rq import SimpleWorker

        SimpleWorker([self.queue], connection=self.connection).work(burst=True)


@pytest.fixture
def rq_worker(app, monkeypatch, database_url, smtp_server):
    """Sets REDIS_URL on the test app (so it queues) and the environment a worker's app is
    built from; skips where no Redis answers. Starts and leaves RQ's keys and the scheduler's
    locks empty (in the test database number only: never FLUSHALL)."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from rq import Queue

    queue = Queue("elearn", connection=connection)

    def clean():  # RQ's jobs and registries and the scheduler's locks, in this database only
        for pattern in ("rq:*", "elearn:schedule:*"):
            for key in connection.scan_iter(pattern):
                connection.delete(key)

    clean()
    for name, value in {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_server.port),
                        "MAIL_DEFAULT_SENDER": "events@elearn.test",
                        "BASE_URL": "http://localhost", "REDIS_URL": TEST_REDIS_URL}.items():
        monkeypatch.setenv(name, value)
    for name in ("MAIL_DELIVERY", "ELEARN_ENV"):
        monkeypatch.delenv(name, raising=False)
    app.config["REDIS_URL"] = TEST_REDIS_URL
    yield RQWorker(TEST_REDIS_URL, connection, queue)
    clean()
