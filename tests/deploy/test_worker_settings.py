"""How many gunicorn processes and threads serve the app (deploy/gunicorn.conf.py), and the
database connections each process keeps for them (elearn/config.py): issue 20 chose one
process per core with eight threads, so a process must keep a connection for each thread and
its mail delivery thread, or a crowd opens and closes PostgreSQL backends at every request."""

import multiprocessing
import runpy
from pathlib import Path

import pytest

from elearn.config import engine_options

SETTINGS = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
POSTGRES = "postgresql+psycopg://elearn@db.internal/elearn"


def _gunicorn(monkeypatch, **environment):
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_one_process_per_core_with_eight_threads(monkeypatch):
    settings = _gunicorn(monkeypatch)
    assert settings["workers"] == max(2, multiprocessing.cpu_count())
    assert settings["threads"] == 8 and settings["worker_class"] == "gthread"


def test_the_environment_file_overrides_them(monkeypatch):
    settings = _gunicorn(monkeypatch, GUNICORN_WORKERS="5", GUNICORN_THREADS="3")
    assert (settings["workers"], settings["threads"]) == (5, 3)


def test_each_process_keeps_a_connection_for_every_thread(monkeypatch):
    monkeypatch.delenv("DATABASE_POOL_SIZE", raising=False)
    threads = _gunicorn(monkeypatch)["threads"]
    assert engine_options(POSTGRES)["pool_size"] >= threads + 1  # + the mail delivery thread


@pytest.mark.parametrize("size", ["4", "25"])
def test_the_pool_size_is_the_operators_to_set(monkeypatch, size):
    monkeypatch.setenv("DATABASE_POOL_SIZE", size)
    assert engine_options(POSTGRES) == {"pool_pre_ping": False, "pool_size": int(size)}


def test_sqlite_keeps_sqlalchemys_own_pool(monkeypatch):
    monkeypatch.setenv("DATABASE_POOL_SIZE", "25")
    assert engine_options("sqlite:////tmp/elearn.db") == {"pool_pre_ping": False}
