"""Column types shared by every domain.

SQLite keeps no time zone, so UTCDateTime stores naive UTC there and always hands back an aware
UTC datetime; PostgreSQL stores timestamptz. Code never sees a naive datetime from the database.
"""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator):
    """Stores a Python enum by its value as a plain string, so adding a member needs no
    database enum migration and the stored text is readable in SQL exports."""

    impl = String(40)
    cache_ok = True

    def __init__(self, enum_class: type[enum.Enum], length: int = 40):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)
