"""Every table comes from an Alembic migration: `flask db upgrade` on an empty database builds
the whole schema, and autogenerate then finds nothing left to do (models == migrations)."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from elearn import create_app
from elearn.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    base = make_url(url)
    name = f"elearn_migr_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_builds_the_schema_the_models_describe(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], diff
        db.engine.dispose()


def test_statistics_roll_up_is_filled_from_records_made_before_it(empty_database_url):
    """A database made before the roll-up existed gets its figures on upgrade."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0e507b998dc3")  # the initial schema, without stats_fact
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO member_state (country_code, subregion, active) "
                              "VALUES ('JM', 'caribbean', true)"))
            conn.execute(text(
                "INSERT INTO \"user\" (id, email, full_name, country, gender, created_at, "
                "is_active_account, session_version, is_public_official, preferred_language, "
                "stats_consent_at) VALUES (1, 'ana@example.org', 'Ana', 'JM', 'woman', "
                "'2025-01-01', true, 1, true, 'es', '2025-01-01')"))
            conn.execute(text(
                "INSERT INTO event (id, kind, timezone, mode, language, status, title_en, "
                "title_es, description_en, description_es, starts_at, ends_at, "
                "seats_taken_in_person, seats_taken_online, requires_approval, "
                "public_officials_only, video_provider, public_statistics, created_at) "
                "VALUES (1, 'workshop', 'America/Jamaica', 'in_person', 'es', 'completed', "
                "'W', '', '', '', '2025-05-06 14:00:00', '2025-05-06 16:00:00', 1, 0, false, "
                "false, 'none', false, '2025-01-01')"))
            conn.execute(text(
                "INSERT INTO registration (id, event_id, user_id, mode, status, role, "
                "created_at, ticket_token) VALUES (1, 1, 1, 'in_person', 'confirmed', "
                "'participant', '2025-01-01', 'token-1')"))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT measure, user_id, event_id, year, country, subregion, gender "
                "FROM stats_fact")).all()
        assert [tuple(r) for r in rows] == [
            ("registered", 1, 1, 2025, "JM", "caribbean", "woman")]
        db.engine.dispose()


def test_organisers_become_programme_managers_on_upgrade(empty_database_url):
    """Before the split the organiser role managed everything: existing organisers keep their
    rights as programme managers (issue 11.2); other roles are untouched."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="6669fe2c1d39")
        with db.engine.begin() as conn:
            for n, email in enumerate(["olivia@x.org", "ines@x.org", "both@x.org"], start=1):
                conn.execute(text(
                    "INSERT INTO \"user\" (id, email, full_name, created_at, "
                    "is_active_account, session_version, is_public_official, "
                    "preferred_language) VALUES (:id, :email, '', '2025-01-01', true, 1, "
                    "false, 'es')"), {"id": n, "email": email})
            conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (1, 'organiser'), "
                              "(2, 'instructor'), (3, 'organiser'), "
                              "(3, 'programme_manager'), (3, 'judge')"))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT user_id, role FROM user_role ORDER BY user_id, role")).all()
        assert [tuple(r) for r in rows] == [
            (1, "programme_manager"), (2, "instructor"), (3, "judge"),
            (3, "programme_manager")]
        db.engine.dispose()
