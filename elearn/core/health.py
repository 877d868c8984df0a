"""Is this app host ready to serve? The checks behind /readyz, each answering
{"ok": bool, ...} with what an operator needs and nothing secret (no addresses, no passwords,
no exception text, which can quote a connection string: only the exception's class).
"""

import ast
import functools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from elearn.config import credential_key_problems

TIMEOUT_SECONDS = 2  # a probe that hangs is itself an answer: not ready


def _failure(what: str, error: Exception) -> dict:
    return {"ok": False, "error": f"{what} ({type(error).__name__})"}


def database(engine: Engine) -> dict:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not reachable"
        return _failure("the database did not answer", error)
    return {"ok": True}


def alembic_config(directory: str):
    """Enough of Alembic's config to read the migration scripts (env.py is not run)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", directory)
    return config


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.M)


@functools.cache
def script_heads(directory: str) -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code: every revision no other
    script names as its `down_revision`. Read from the scripts' two assignments rather than
    through Alembic, whose import costs every web worker about 11 MB for this one question
    (tests/core/test_health.py checks the answer against Alembic's own). Once per process:
    the files do not change under a running app."""
    revisions, parents = set(), set()
    for script in Path(directory, "versions").glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            continue
        revisions.add(ast.literal_eval(found["revision"].strip()))
        down = ast.literal_eval(found.get("down_revision", "None").strip())
        parents.update(down if isinstance(down, tuple | list) else [down] if down else [])
    return frozenset(revisions - parents)


def _recorded_heads(conn) -> frozenset[str]:
    if not inspect(conn).has_table("alembic_version"):
        return frozenset()
    return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def migrations(engine: Engine, directory: str) -> dict:
    heads = script_heads(directory)
    try:
        with engine.connect() as conn:
            current = _recorded_heads(conn)
    except Exception as error:
        return _failure("the database did not answer", error)
    found = {"current": sorted(current), "head": sorted(heads)}
    if current == heads:
        return {"ok": True, **found}
    if not current:
        advice = "the database has no migration version: run flask db upgrade"
    else:
        advice = "the database is not at this code's migrations head: run flask db upgrade " \
                 "(or deploy the code that made it, if the database is newer)"
    return {"ok": False, "error": advice, **found}


def _redis(url: str):
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS,
                          socket_timeout=TIMEOUT_SECONDS)


def redis(url: str) -> dict:
    client = _redis(url)
    try:
        client.ping()
    except Exception as error:
        return _failure("Redis did not answer", error)
    finally:
        client.close()
    return {"ok": True}


def worker(url: str, within_minutes: int, now: datetime | None = None) -> dict:
    """An RQ worker beat within the last minutes (an idle one beats about every 7)."""
    from rq import Worker

    client = _redis(url)
    try:
        beats = [w.last_heartbeat for w in Worker.all(connection=client) if w.last_heartbeat]
    except Exception as error:
        return _failure("the workers could not be listed", error)
    finally:
        client.close()
    now = now or datetime.now(UTC)
    if not beats:
        return {"ok": False, "workers": 0, "error": "no RQ worker is running"}
    age = (now - max(beats)).total_seconds()
    found = {"workers": len(beats), "last_heartbeat_seconds_ago": max(0, round(age))}
    if age > timedelta(minutes=within_minutes).total_seconds():
        return {"ok": False, **found,
                "error": f"no RQ worker heartbeat in the last {within_minutes} minutes"}
    return {"ok": True, **found}


def readiness(config, engine: Engine, migrations_directory: str) -> dict:
    checks = {"database": database(engine)}
    checks["migrations"] = (migrations(engine, migrations_directory)
                            if checks["database"]["ok"]
                            else {"ok": False, "error": "not checked: no database"})
    url = config.get("REDIS_URL")
    if url:
        checks["redis"] = redis(url)
        checks["worker"] = (worker(url, config["READY_WORKER_HEARTBEAT_MINUTES"])
                            if checks["redis"]["ok"]
                            else {"ok": False, "error": "not checked: no Redis"})
    else:
        skipped = {"ok": True, "skipped": "REDIS_URL is not set"}
        checks["redis"], checks["worker"] = skipped, dict(skipped)
    # Production signs Open Badges: without a key they answer 503 (the path is not shown).
    checks["credential_keys"] = (
        {"ok": False, "error": "no signing key in CREDENTIAL_KEYS_DIR: run "
                               "`flask elearn credential-keys generate`"}
        if any(credential_key_problems(config)) else {"ok": True})
    ready = all(check["ok"] for check in checks.values())
    return {"status": "ok" if ready else "unavailable", "checks": checks}
