"""The Flask extensions, created once and bound in create_app()."""

import sqlite3
import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

# Named constraints so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # SQLite: enforce foreign keys (cascades behave as on PostgreSQL), wait for the writer
    # instead of failing at once, and let readers work during a write.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


# A pooled connection that sat unused longer than this is tested before a request gets it, so
# a database restart or a connection the network dropped costs a reconnect, not an error. One
# handed back a moment ago is not tested: under load (a registration rush) that test was one
# round trip more on every request. (SQLAlchemy's pool_pre_ping tests every checkout.)
TEST_IDLE_CONNECTIONS_AFTER = 2.0  # seconds


@event.listens_for(Pool, "connect")
@event.listens_for(Pool, "checkin")
def _note_checkin(dbapi_connection, connection_record):
    # A connection made just now counts as fresh too (a NullPool makes one per checkout).
    connection_record.info["checked_in_at"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _test_idle_connection(dbapi_connection, connection_record, connection_proxy):
    if isinstance(dbapi_connection, sqlite3.Connection):  # a file: nothing to lose
        return
    checked_in = connection_record.info.get("checked_in_at")
    if checked_in is not None and time.monotonic() - checked_in < TEST_IDLE_CONNECTIONS_AFTER:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()  # end the transaction the test opened
    except Exception as exc:
        # The pool discards this connection and checks out another (up to three tries).
        raise DisconnectionError("the pooled connection no longer works") from exc
