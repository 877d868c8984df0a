"""The statistics roll-up: one row per fact (a person registered for, attended, completed or
was certified for an event or a course edition, or sat on its panel), with the dimensions a
table groups by copied onto the row.

Why a roll-up: counting distinct people per cell over a million attendance records means
joining attendance, sessions, events, registrations and people, and SQLite needs well over a
second for that here (bench/stats.py). Read from this table, the common tables are one index
scan. It is kept exact by `elearn.stats.rollup`, which re-derives the facts of every person,
event or edition touched by a transaction before it commits; `flask elearn stats-rebuild`
derives it all again.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db_types import UTCDateTime, utcnow
from elearn.extensions import db


class StatsFact(db.Model):
    __tablename__ = "stats_fact"
    __table_args__ = (
        # Ordered as the tables group (dimensions, then gender, then the person counted), so
        # SQLite and PostgreSQL read the rows in group order from the index alone.
        Index("ix_stats_fact_country_year", "measure", "country", "year", "gender", "user_id"),
        Index("ix_stats_fact_year", "measure", "year", "gender", "user_id"),
        Index("ix_stats_fact_activity", "measure", "activity_id", "gender", "user_id"),
        Index("ix_stats_fact_event", "event_id", "measure"),
        Index("ix_stats_fact_edition", "edition_id", "measure"),
        Index("ix_stats_fact_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # registered | attended | completed | certified | panel (see rollup.MEASURES)
    measure: Mapped[str] = mapped_column(String(12), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         nullable=False)
    # The subject: an event, or a course edition; only ids, so that deleting a subject does
    # not need this table's consent (the roll-up is refreshed for it in the same commit).
    event_id: Mapped[int | None] = mapped_column(Integer)
    edition_id: Mapped[int | None] = mapped_column(Integer)
    # Of the subject, when the fact happened.
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    activity_id: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(12), nullable=False)  # "" when unknown
    role: Mapped[str] = mapped_column(String(12), nullable=False)  # panel facts only
    # Of the person; "" (or "not_answered" for gender) when not stated.
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    subregion: Mapped[str] = mapped_column(String(20), nullable=False)
    sector: Mapped[str] = mapped_column(String(20), nullable=False)
    gender: Mapped[str] = mapped_column(String(20), nullable=False)
    age_group: Mapped[str] = mapped_column(String(10), nullable=False)  # in the fact's year


class Publication(db.Model):
    """A published statistics page: the programme overview (scope "all", object_id 0), a
    programme's or a course edition's tables. An event's publication is its own flag
    (Event.public_statistics). Unpublishing deletes the row; the audit log keeps the history."""

    __tablename__ = "stats_publication"
    __table_args__ = (UniqueConstraint("scope", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(12), nullable=False)  # all | programme | edition
    object_id: Mapped[int] = mapped_column(Integer, nullable=False)  # 0 for "all"
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))


class DisclosureResult(db.Model):
    """A disclosure audit's result, stored so that no worker solves the same tables' linear
    programs twice, nor again after a restart (stats/audit_cache.py). The result is a pure
    function of its input: `key` is the SHA-256 of that input (the figures, the threshold,
    the tables' structure) and of the algorithm's version, so an entry is never wrong for
    the input it was stored for, and a new algorithm never reads an old one's entries."""

    __tablename__ = "disclosure_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    hidden: Mapped[str] = mapped_column(Text, nullable=False)  # JSON: the cells to hide
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow,
                                                 index=True)
