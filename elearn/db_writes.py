"""Writes shared by every domain that a crowd makes at once (registrations, door check-ins).

`insert_if_absent` writes a row unless one with the same unique key exists, as ONE statement
where the database has it (INSERT ... ON CONFLICT DO NOTHING RETURNING, PostgreSQL and
SQLite): no SELECT before it and no SAVEPOINT around it, three round trips fewer, and two
requests at once still make one row. The ORM sees the row (RETURNING the entity), and the
statistics roll-up sees the insert (stats/rollup.py notes ORM-enabled INSERTs by their
parameters).
"""

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from .extensions import db


@lru_cache(maxsize=32)
def _statement(model, unique: tuple[str, ...], dialect: str):
    """Built once per table: building it cost about as much as running it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=list(unique)).returning(model)


def insert_if_absent(model, values: dict, unique: tuple[str, ...]):
    """The new `model` row made of `values`, written; None when a row with the same values
    of the `unique` columns (a unique constraint of the table) exists already."""
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        return db.session.scalars(_statement(model, unique, dialect), [values]).first()
    same = select(model).where(*(getattr(model, c) == values[c] for c in unique))
    if db.session.scalar(same) is not None:
        return None
    row = model(**values)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return None
    return row
