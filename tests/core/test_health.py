"""/healthz says the process is alive; /readyz says whether this host can serve: database,
migrations at head, Redis and a recent worker heartbeat when REDIS_URL is set (issue 15.4)."""

import os
from datetime import UTC, datetime, timedelta

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from redis import Redis
from rq import Worker
from rq.utils import utcformat
from sqlalchemy import create_engine

from elearn import create_app
from elearn.core.health import alembic_config

# Redis database of these tests: a worker registered here is seen by nobody else's tests.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:] or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{11 - 2 * _XDIST_INDEX}"  # odd: see tests/conftest.py


def test_healthz_answers_while_the_process_runs(client):
    for path in ("/healthz", "/health"):
        response = client.get(path)
        assert response.status_code == 200 and response.get_json() == {"status": "ok"}
        assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_green_on_a_healthy_app(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"]["ok"] is True
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["head"]
    assert body["checks"]["redis"]["ok"] and "skipped" in body["checks"]["redis"]


@pytest.mark.parametrize("url", ["sqlite:///{tmp}/no/such/folder/elearn.db",
                                 "postgresql+psycopg://elearn:hunter2@127.0.0.1:1/elearn"])
def test_readyz_503_when_the_database_is_unreachable(app_config, tmp_path, url):
    url = url.format(tmp=tmp_path)
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": url})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["database"]["ok"] is False and "did not answer" in checks["database"]["error"]
    assert checks["migrations"]["ok"] is False
    body = response.get_data(as_text=True)
    assert str(tmp_path) not in body and "hunter2" not in body and "127.0.0.1" not in body


@pytest.fixture
def own_database(app_config, tmp_path):
    """An app on a database of its own, whose alembic_version the test sets."""
    url = f"sqlite:///{tmp_path}/own.db"
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": url})
    script = ScriptDirectory.from_config(alembic_config(app.extensions["migrate"].directory))
    engine = create_engine(url)

    def stamp(revision):
        with engine.begin() as conn:
            MigrationContext.configure(conn).stamp(script, revision)

    app.stamp, app.script = stamp, script
    yield app
    engine.dispose()


def test_readyz_503_when_the_migrations_are_behind(own_database):
    client = own_database.test_client()
    body = client.get("/readyz").get_json()
    assert body["checks"]["migrations"]["ok"] is False
    assert "flask db upgrade" in body["checks"]["migrations"]["error"]

    own_database.stamp("heads")
    assert client.get("/readyz").status_code == 200

    head = own_database.script.get_revision(sorted(own_database.script.get_heads())[0])
    previous = head.down_revision if isinstance(head.down_revision, str) else \
        head.down_revision[0]
    own_database.stamp(previous)
    response = client.get("/readyz")
    assert response.status_code == 503
    migrations = response.get_json()["checks"]["migrations"]
    assert migrations["current"] == [previous] and head.revision in migrations["head"]
    assert "flask db upgrade" in migrations["error"]
    assert response.get_json()["checks"]["database"] == {"ok": True}


# --- Redis and the worker -----------------------------------------------------------------

@pytest.fixture
def redis_app(app_config, _schema):
    return create_app(app_config | {"REDIS_URL": REDIS_URL,
                                    "RATELIMIT_STORAGE_URI": "memory://"})


@pytest.fixture
def worker():
    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception:
        pytest.skip("no Redis on 127.0.0.1:6379")
    found = Worker(["elearn-readyz-test"], connection=connection)
    found.register_birth()
    yield found
    found.register_death()
    connection.close()


def test_readyz_with_redis_and_a_live_worker(redis_app, worker):
    response = redis_app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    checks = response.get_json()["checks"]
    assert checks["redis"] == {"ok": True}
    assert checks["worker"]["ok"] and checks["worker"]["workers"] >= 1
    assert checks["worker"]["last_heartbeat_seconds_ago"] < 60


def test_readyz_503_when_the_worker_stopped_beating(redis_app, worker):
    old = datetime.now(UTC) - timedelta(minutes=redis_app.config[
        "READY_WORKER_HEARTBEAT_MINUTES"] + 1)
    worker.connection.hset(worker.key, "last_heartbeat", utcformat(old))
    response = redis_app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["redis"]["ok"] and not checks["worker"]["ok"]
    assert "heartbeat" in checks["worker"]["error"]


def test_readyz_503_with_no_worker(redis_app, worker):
    worker.register_death()
    checks = redis_app.test_client().get("/readyz").get_json()["checks"]
    assert checks["worker"] == {"ok": False, "workers": 0, "error": "no RQ worker is running"}


def test_readyz_503_when_redis_is_unreachable_and_says_no_secret(app_config, _schema):
    app = create_app(app_config | {"REDIS_URL": "redis://:hunter2@127.0.0.1:1/0",
                                   "RATELIMIT_STORAGE_URI": "memory://"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    checks = response.get_json()["checks"]
    assert not checks["redis"]["ok"] and not checks["worker"]["ok"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"]
    assert "hunter2" not in body and "127.0.0.1" not in body


def test_readyz_503_in_production_until_a_credential_key_exists(app, tmp_path):
    """Badges are signed in production: a host without a key is not ready (the operator runs
    `flask elearn credential-keys generate`, which must start without one)."""
    from elearn.certificates.credential_keys import generate

    empty = tmp_path / "keys"
    app.config.update(ENV_NAME="production", CREDENTIAL_KEYS_DIR=str(empty))
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    check = response.get_json()["checks"]["credential_keys"]
    assert check["ok"] is False and "credential-keys generate" in check["error"]
    assert str(empty) not in response.get_data(as_text=True)
    generate(str(empty))
    assert client.get("/readyz").get_json()["checks"]["credential_keys"] == {"ok": True}


def test_the_head_read_from_the_scripts_is_alembics_head(app):
    """/readyz reads the head revision from the scripts without importing Alembic (memory);
    it must be exactly what Alembic itself calls the head."""
    from elearn.core.health import script_heads

    directory = app.extensions["migrate"].directory
    script = ScriptDirectory.from_config(alembic_config(directory))
    assert script_heads(directory) == frozenset(script.get_heads())
    assert len(list(script.walk_revisions())) > 5


def test_flask_db_commands_are_there_without_loading_alembic_first(app):
    """`flask db` is bound lazily: the group lists Flask-Migrate's commands when asked."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "--help"])
    assert result.exit_code == 0
    assert "upgrade" in result.output and "current" in result.output
    result = runner.invoke(args=["db", "heads"])
    assert result.exit_code == 0, result.output
