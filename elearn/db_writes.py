"""Writes shared by every domain that a crowd makes at once (registrations, door check-ins, and
the audit entry and the mail each of them queues).

Each is ONE statement built once per table and run on the session's connection, not the ORM's
unit of work (whose flush cost about a millisecond for the two rows a registration adds beside
its own). Only the new row's key comes back (RETURNING); with what was sent, defaults filled in,
it becomes an ordinary persistent object of the session, as if just loaded, so the callers go
on using it (and changing it: a change is an UPDATE at the next flush).

`insert_if_absent` writes a row unless one with the same unique key exists (INSERT ... ON
CONFLICT DO NOTHING RETURNING, PostgreSQL and SQLite): no SELECT before it and no SAVEPOINT
around it, and two requests at once still make one row.

Whoever must hear of such rows (the statistics roll-up, which the ORM's events no longer reach)
registers with `@after_insert` and is called with (session, model, values) for each.
"""

from functools import lru_cache

from sqlalchemy import insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from .extensions import db

AFTER_INSERT: list = []


def after_insert(work):
    """Register `work(session, model, values)` to run after each row written here."""
    if work not in AFTER_INSERT:
        AFTER_INSERT.append(work)
    return work


@lru_cache(maxsize=64)
def _attributes(model) -> tuple[tuple[str, str, bool], ...]:
    """(column name, attribute name, NULL when not given) of every column of the model's
    table: a column the INSERT leaves out is NULL, unless the database fills it in."""
    mapper = inspect(model)
    return tuple((column.name, mapper.get_property_by_column(column).key,
                  column.server_default is None)
                 for column in mapper.local_table.columns)


@lru_cache(maxsize=32)
def _statement(model, unique: tuple[str, ...] | None, dialect: str):
    """Built once per table: building it cost about as much as running it."""
    table = inspect(model).local_table
    # What the row is made of is known here (the values and the column defaults the statement
    # filled in): only its key comes back.
    if unique is None:
        return insert(table).returning(*table.primary_key.columns)
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (dialect_insert(table).on_conflict_do_nothing(index_elements=list(unique))
            .returning(*table.primary_key.columns))


def _persistent(session, model, row: dict):
    """The row (its columns by name) as a persistent object of `session`, with no further
    SQL.

    Made as the ORM makes a loaded row (a new instance, its attributes put in its __dict__):
    through the constructor, each attribute's history was recorded and then thrown away, half
    of what this costs (micro-benchmark: 47 -> 20 us an object; three objects a
    registration)."""
    obj = inspect(model).class_manager.new_instance()
    loaded = obj.__dict__
    for column, attribute, null in _attributes(model):
        if column in row:
            loaded[attribute] = row[column]
        elif null:
            loaded[attribute] = None
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


def _written(session, model, values: dict, row):
    obj = _persistent(session, model, row)
    for work in AFTER_INSERT:
        work(session, model, values)
    return obj


def insert_row(model, values: dict):
    """The new `model` row made of `values` (columns by attribute name; defaults filled in),
    written now."""
    session = db.session()
    result = session.connection().execute(_statement(model, None, ""), _by_column(model, values))
    return _written(session, model, values, _row(result, result.one()))


def insert_if_absent(model, values: dict, unique: tuple[str, ...]):
    """The new `model` row made of `values`, written; None when a row with the same values
    of the `unique` columns (a unique constraint of the table) exists already."""
    session = db.session()
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        result = session.connection().execute(_statement(model, unique, dialect),
                                              _by_column(model, values))
        key = result.first()
        return None if key is None else _written(session, model, values, _row(result, key))
    same = select(model).where(*(getattr(model, c) == values[c] for c in unique))
    if session.scalar(same) is not None:
        return None
    obj = model(**values)
    try:
        with session.begin_nested():
            session.add(obj)
            session.flush()
    except IntegrityError:
        return None
    return obj


def _row(result, key) -> dict:
    """The written row's columns by name: what was sent (defaults filled in) and its key."""
    return {**result.last_inserted_params(), **key._mapping}


def _by_column(model, values: dict) -> dict:
    """`values` keyed by column name (the statement's parameters), from attribute names."""
    names = {attribute: column for column, attribute, _null in _attributes(model)}
    return {names[key]: value for key, value in values.items()}
