"""Every table comes from an Alembic migration: `flask db upgrade` on an empty database builds
the whole schema, and autogenerate then finds nothing left to do (models == migrations)."""

import json
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

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


# Revision h18_content (issue 18.2): each pair of *_en/*_es columns becomes one JSON column.
# table -> (rows' own values, {new field: (English column, Spanish column)}), in the order the
# rows must be written (each points at the ones before).
CONTENT_ROWS = {
    "thematic_area": ({"id": 1, "code": "I", "position": 1},
                      {"title": ("title_en", "title_es"),
                       "description": ("description_en", "description_es")}),
    "programme": ({"id": 1, "area_id": 1, "code": "III", "position": 1},
                  {"title": ("title_en", "title_es"),
                   "description": ("description_en", "description_es")}),
    "project": ({"id": 1, "programme_id": 1, "code": "A", "position": 1},
                {"title": ("title_en", "title_es"),
                 "description": ("description_en", "description_es")}),
    "activity": ({"id": 1, "project_id": 1, "code": "2", "path_code": "I.III.A.2",
                  "position": 1},
                 {"title": ("title_en", "title_es"),
                  "description": ("description_en", "description_es")}),
    "sdg": ({"number": 5}, {"title": ("title_en", "title_es")}),
    "event": ({"id": 1, "activity_id": 1, "kind": "workshop", "timezone": "America/Caracas",
               "mode": "virtual", "language": "es", "status": "published",
               "video_provider": "none"},
              {"title": ("title_en", "title_es"),
               "description": ("description_en", "description_es")}),
    "event_session": ({"id": 1, "event_id": 1, "uid": "s1@elearn", "sequence": 0},
                      {"title": ("title_en", "title_es")}),
    "course": ({"id": 1, "activity_id": 1, "languages": '["es"]'},
               {"title": ("title_en", "title_es"),
                "description": ("description_en", "description_es")}),
    "edition": ({"id": 1, "course_id": 1, "timezone": "America/Caracas", "language": "es",
                 "status": "open", "eligible_countries": "[]", "eligible_subregions": "[]",
                 "eligible_sectors": "[]"},
                {"name": ("name", "name_es")}),
    "course_module": ({"id": 1, "edition_id": 1, "position": 1},
                      {"title": ("title_en", "title_es"), "summary": ("summary_en", "summary_es")}),
    "hackathon": ({"id": 1, "event_id": 1, "team_size_min": 2, "team_size_max": 5,
                   "normalisation": "none"},
                  {"rules": ("rules_en", "rules_es")}),
    "hackathon_challenge": ({"id": 1, "hackathon_id": 1, "position": 1},
                            {"title": ("title_en", "title_es"),
                             "description": ("description_en", "description_es")}),
    "hackathon_criterion": ({"id": 1, "hackathon_id": 1, "position": 1, "weight": 1.0,
                             "scale_min": 1, "scale_max": 5},
                            {"name": ("name_en", "name_es")}),
    "output": ({"id": 1, "event_id": 1, "kind": "minutes", "language": "es",
                "visibility": "public", "url": "https://example.org/acta"},
               {"title": ("title_en", "title_es")}),
}


def _filler(column):
    """A value for a required column the test does not care about."""
    kind = str(column["type"]).upper()
    if "INT" in kind:
        return 1
    if "FLOAT" in kind or "NUMERIC" in kind or "REAL" in kind or "DOUBLE" in kind:
        return 1.0
    if "BOOL" in kind:
        return False
    if "TIMESTAMP" in kind or "DATETIME" in kind:
        return "2025-01-01 12:00:00"
    if "DATE" in kind:
        return "2025-01-01"
    if "JSON" in kind:
        return "{}"
    return "x"


def _texts(table, en_col, es_col, empty_spanish):
    """The row's English and Spanish texts; some Spanish ones are empty on purpose."""
    return f"{table}.{en_col}: Workshop “one”", "" if empty_spanish else f"{table}: Taller ñ"


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else value


def test_content_columns_become_one_json_column_and_back(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="h20_disclosure_cache")
        written = {}
        with db.engine.begin() as conn:
            columns = {t: inspect(conn).get_columns(t) for t in CONTENT_ROWS}
            for n, (table, (values, fields)) in enumerate(CONTENT_ROWS.items()):
                row = dict(values)
                for field, (en_col, es_col) in fields.items():
                    en, es = _texts(table, en_col, es_col, empty_spanish=n % 3 == 0)
                    row[en_col], row[es_col] = en, es
                    written[(table, field)] = (en, es)
                for column in columns[table]:
                    if (column["name"] not in row and not column["nullable"]
                            and column.get("default") is None):
                        row[column["name"]] = _filler(column)
                names = ", ".join(f'"{c}"' for c in row)
                conn.execute(text(f'INSERT INTO "{table}" ({names}) VALUES '
                                  f'({", ".join(":" + c for c in row)})'), row)

        upgrade()  # to h18_content and beyond
        with db.engine.connect() as conn:
            for (table, field), (en, es) in written.items():
                stored = _decoded(conn.execute(text(f'SELECT "{field}" FROM "{table}"')).scalar())
                assert stored == ({"en": en, "es": es} if es else {"en": en}), (table, field)
                old = {c["name"] for c in inspect(conn).get_columns(table)}
                assert not old & set(CONTENT_ROWS[table][1][field]) - {field}, table
        # The output's CHECK now asks for a title in some language.
        with pytest.raises(IntegrityError):
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO output (id, event_id, kind, title, language, "
                    "published_on, visibility, url, created_at) VALUES (2, 1, 'minutes', "
                    "'{}', 'es', '2025-01-01', 'public', 'https://example.org/b', "
                    "'2025-01-01 12:00:00')"))

        from flask_migrate import downgrade

        downgrade(revision="h20_disclosure_cache")
        with db.engine.connect() as conn:
            for (table, field), (en, es) in written.items():
                en_col, es_col = CONTENT_ROWS[table][1][field]
                row = conn.execute(text(f'SELECT "{en_col}", "{es_col}" FROM "{table}"')).one()
                assert (row[0], row[1] or "") == (en, es), (table, field)
        db.engine.dispose()
