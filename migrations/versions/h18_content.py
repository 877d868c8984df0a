"""content in any language (issue 18.2): each pair of *_en/*_es columns becomes one JSON
column with one key per language

Revision ID: h18_content
Revises: h20_calendar_cache
Create Date: 2026-12-09 10:00:00

Every text is kept: for each table and field the upgrade counts the non-empty English and
Spanish texts before, and the keys written after, and stops (rolling back) if they differ.
The counts are logged ("event.title: 40 rows; en 40 -> 40, es 38 -> 38").
Downgrading keeps English and Spanish; texts in other languages are lost.
"""
import json
import logging

import sqlalchemy as sa
from alembic import op

revision = 'h18_content'
down_revision = 'h20_calendar_cache'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# table -> (primary key, {new field: (English column, Spanish column)})
FIELDS = {
    "thematic_area": ("id", {"title": ("title_en", "title_es"),
                             "description": ("description_en", "description_es")}),
    "programme": ("id", {"title": ("title_en", "title_es"),
                         "description": ("description_en", "description_es")}),
    "project": ("id", {"title": ("title_en", "title_es"),
                       "description": ("description_en", "description_es")}),
    "activity": ("id", {"title": ("title_en", "title_es"),
                        "description": ("description_en", "description_es")}),
    "sdg": ("number", {"title": ("title_en", "title_es")}),
    "event": ("id", {"title": ("title_en", "title_es"),
                     "description": ("description_en", "description_es")}),
    "event_session": ("id", {"title": ("title_en", "title_es")}),
    "course": ("id", {"title": ("title_en", "title_es"),
                      "description": ("description_en", "description_es")}),
    "edition": ("id", {"name": ("name", "name_es")}),
    "course_module": ("id", {"title": ("title_en", "title_es"),
                             "summary": ("summary_en", "summary_es")}),
    "hackathon": ("id", {"rules": ("rules_en", "rules_es")}),
    "hackathon_challenge": ("id", {"title": ("title_en", "title_es"),
                                   "description": ("description_en", "description_es")}),
    "hackathon_criterion": ("id", {"name": ("name_en", "name_es")}),
    "output": ("id", {"title": ("title_en", "title_es")}),
}

# Old column types, for the downgrade.
OLD_TYPES = {
    ("thematic_area", "title"): sa.String(400), ("programme", "title"): sa.String(400),
    ("project", "title"): sa.String(400), ("activity", "title"): sa.String(400),
    ("event", "title"): sa.String(300), ("sdg", "title"): sa.String(200),
    ("event_session", "title"): sa.String(300), ("course", "title"): sa.String(400),
    ("edition", "name"): sa.String(200), ("course_module", "title"): sa.String(300),
    ("hackathon_challenge", "title"): sa.String(300), ("hackathon_criterion", "name"): sa.String(200),
    ("output", "title"): sa.String(300),
}


def _texts(en, es) -> dict:
    texts = {}
    if en and en.strip():
        texts["en"] = en.strip()
    if es and es.strip():
        texts["es"] = es.strip()
    return texts


def upgrade():
    bind = op.get_bind()
    for table, (pk, fields) in FIELDS.items():
        for field in fields:
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column(f"{field}_texts", sa.JSON(), nullable=True))
        columns = [pk] + [c for pair in fields.values() for c in pair]
        rows = bind.execute(sa.text(f'SELECT {", ".join(columns)} FROM "{table}"')).all()
        target = sa.table(table, sa.column(pk),
                          *(sa.column(f"{f}_texts", sa.JSON()) for f in fields))
        before = {f: [0, 0] for f in fields}
        for row in rows:
            values = {}
            for field, (en_col, es_col) in fields.items():
                en, es = getattr(row, en_col), getattr(row, es_col)
                before[field][0] += bool(en and en.strip())
                before[field][1] += bool(es and es.strip())
                values[f"{field}_texts"] = _texts(en, es)
            bind.execute(target.update().where(target.c[pk] == getattr(row, pk)).values(**values))
        for field in fields:
            stored = bind.execute(sa.text(f'SELECT {field}_texts FROM "{table}"')).scalars().all()
            decoded = [v if isinstance(v, dict) else json.loads(v) for v in stored]
            after = [sum("en" in d for d in decoded), sum("es" in d for d in decoded)]
            log.info("%s.%s: %d rows; en %d -> %d, es %d -> %d", table, field, len(rows),
                     before[field][0], after[0], before[field][1], after[1])
            if after != before[field] or len(decoded) != len(rows):
                raise RuntimeError(f"{table}.{field}: texts would be lost "
                                   f"(before {before[field]}, after {after})")
        with op.batch_alter_table(table) as batch:
            if table == "output":  # its CHECK named the old columns
                batch.drop_constraint(op.f("ck_output_has_title"), type_="check")
            for field, (en_col, es_col) in fields.items():
                batch.drop_column(en_col)
                batch.drop_column(es_col)
            for field in fields:
                batch.alter_column(f"{field}_texts", new_column_name=field,
                                   existing_type=sa.JSON(), nullable=False)
        if table == "output":
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f("ck_output_has_title"),
                                              "CAST(title AS TEXT) <> '{}'")


def downgrade():
    bind = op.get_bind()
    for table, (pk, fields) in FIELDS.items():
        with op.batch_alter_table(table) as batch:
            if table == "output":
                batch.drop_constraint(op.f("ck_output_has_title"), type_="check")
            for field, (en_col, es_col) in fields.items():
                batch.alter_column(field, new_column_name=f"{field}_texts",
                                   existing_type=sa.JSON())
        with op.batch_alter_table(table) as batch:  # edition's English column is "name"
            for field, (en_col, es_col) in fields.items():
                kind = OLD_TYPES.get((table, field), sa.Text())
                batch.add_column(sa.Column(en_col, kind, nullable=True))
                batch.add_column(sa.Column(es_col, kind, nullable=True))
        rows = bind.execute(sa.text(
            f'SELECT {pk}, {", ".join(f + "_texts" for f in fields)} FROM "{table}"')).all()
        target = sa.table(table, sa.column(pk),
                          *(sa.column(c) for pair in fields.values() for c in pair))
        for row in rows:
            values = {}
            for field, (en_col, es_col) in fields.items():
                texts = getattr(row, f"{field}_texts") or {}
                texts = texts if isinstance(texts, dict) else json.loads(texts)
                # The old English column was required: fall back to any text.
                values[en_col] = texts.get("en") or next(iter(texts.values()), "")
                values[es_col] = texts.get("es", "")
            bind.execute(target.update().where(target.c[pk] == getattr(row, pk)).values(**values))
        with op.batch_alter_table(table) as batch:
            for field, (en_col, es_col) in fields.items():
                batch.drop_column(f"{field}_texts")
                kind = OLD_TYPES.get((table, field), sa.Text())
                batch.alter_column(en_col, existing_type=kind, nullable=False)
                # edition.name_es was nullable; every other Spanish column had "" by default.
                batch.alter_column(es_col, existing_type=kind, nullable=(table == "edition"))
        if table == "output":
            with op.batch_alter_table(table) as batch:
                batch.create_check_constraint(op.f("ck_output_has_title"),
                                              "title_en <> '' OR title_es <> ''")
