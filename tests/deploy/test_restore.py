"""Backups as the README tells operators to take them: the demo in a fresh PostgreSQL database,
`pg_dump -Fc`, `pg_restore` into another fresh database; the app serves the restored copy and
its statistics roll-up (`stats_fact`) is exactly what a rebuild derives. A partial restore that
leaves the roll-up behind is put right by `flask elearn stats-rebuild`.

Needs TEST_DATABASE_URL (PostgreSQL) and the PostgreSQL client programs (pg_dump, pg_restore).
"""

import os
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.extensions import db

pytestmark = pytest.mark.postgres

BASE = os.environ.get("TEST_DATABASE_URL", "")
if not BASE.startswith("postgresql"):
    pytest.skip("restore test: TEST_DATABASE_URL is not PostgreSQL", allow_module_level=True)
if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
    pytest.skip("restore test: pg_dump/pg_restore not installed", allow_module_level=True)


def _libpq(url) -> str:
    """The same database as libpq's programs name it (no SQLAlchemy driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Databases:
    def __init__(self):
        self.base = make_url(BASE)
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        self.names = []

    def fresh(self):
        name = f"elearn_restore_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return self.base.set(database=name)

    def drop_all(self):
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        self.admin.dispose()


FILES = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"elearn-restore-{uuid.uuid4().hex[:8]}")


def _app(url):
    # Files (none in the demo, but the folders are made) go to a temporary place, never the
    # checkout's instance folder.
    return create_app({"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
                       "COURSE_FILES_DIR": os.path.join(FILES, "course_files"),
                       "HACKATHON_UPLOAD_DIR": os.path.join(FILES, "hackathon_uploads"),
                       "MAIL_SERVER": None, "REDIS_URL": None,
                       "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": "http://restore.test",
                       "MAIL_DELIVERY": "inline"})


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _rollup_rows(app) -> list:
    from elearn.stats.models import StatsFact

    with app.app_context():
        table = StatsFact.__table__
        columns = [c for c in table.c if c.name != "id"]
        rows = sorted(db.session.execute(select(*columns)).all(), key=repr)
        db.session.remove()
        return rows


def _counts(app) -> dict:
    from elearn.accounts.models import User
    from elearn.attendance.models import Attendance
    from elearn.certificates.models import Certificate
    from elearn.events.models import Registration

    with app.app_context():
        found = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, Registration, Attendance, Certificate)}
        db.session.remove()
        return found


def _restore(dump: str, target, *extra: str) -> None:
    done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname",
                           _libpq(target), *extra, dump], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    """(original app, dump file): the demo loaded as `make run` loads it, then pg_dump -Fc."""
    databases = Databases()
    try:
        original_url = databases.fresh()
        original = _app(original_url)
        _cli(original, "db", "upgrade")
        _cli(original, "elearn", "demo")
        with original.app_context():
            db.engine.dispose()
        dump = str(tmp_path_factory.mktemp("backup") / "elearn.dump")
        done = subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", dump,
                               _libpq(original_url)], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        yield original, dump, databases
    finally:
        databases.drop_all()
        shutil.rmtree(FILES, ignore_errors=True)


def test_a_restored_dump_serves_the_same_data_and_statistics(backup):
    original, dump, databases = backup
    copy_url = databases.fresh()
    _restore(dump, copy_url)
    restored = _app(copy_url)

    assert _counts(restored) == _counts(original)
    assert _counts(restored)["User"] > 50
    client = restored.test_client()
    for path in ("/health", "/", "/events/", "/courses/", "/statistics/"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
    # The migrations recorded in the copy are the code's head: no upgrade is pending.
    from alembic.script import ScriptDirectory

    with restored.app_context():
        config = restored.extensions["migrate"].migrate.get_config()
        heads = set(ScriptDirectory.from_config(config).get_heads())
        recorded = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
        db.session.remove()
    assert recorded == heads

    # The roll-up came with the dump and is exactly what a rebuild derives from the records.
    from elearn.stats import rollup

    before = _rollup_rows(restored)
    assert before == _rollup_rows(original) and before
    with restored.app_context():
        missing, extra = rollup.differences()
        assert not missing and not extra
    _cli(restored, "elearn", "stats-rebuild")
    assert _rollup_rows(restored) == before
    with restored.app_context():
        db.engine.dispose()


def test_a_partial_restore_is_put_right_by_stats_rebuild(backup):
    """Every table but the roll-up restored (as after restoring single tables): the figures
    are wrong until `flask elearn stats-rebuild`, exact after it."""
    original, dump, databases = backup
    copy_url = databases.fresh()
    listing = subprocess.run(["pg_restore", "-l", dump], capture_output=True, text=True,
                             check=True).stdout
    kept = [line for line in listing.splitlines()
            if not ("TABLE DATA" in line and " stats_fact " in line)]
    assert len(kept) == len(listing.splitlines()) - 1
    entries = os.path.join(os.path.dirname(dump), "without-rollup.list")
    with open(entries, "w") as f:
        f.write("\n".join(kept) + "\n")
    _restore(dump, copy_url, "-L", entries)
    restored = _app(copy_url)

    from elearn.stats import rollup

    assert _rollup_rows(restored) == []
    with restored.app_context():
        missing, _extra = rollup.differences()
        assert missing
    _cli(restored, "elearn", "stats-rebuild")
    with restored.app_context():
        missing, extra = rollup.differences()
        assert not missing and not extra
    assert _rollup_rows(restored) == _rollup_rows(original)
    with restored.app_context():
        db.engine.dispose()
