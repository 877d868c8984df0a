"""What the work programme's activities produced: materials and outputs (minutes, presentations,
recordings, reports, best-practice compilations), and the programme managers' verdict on each
activity (delivered, or not delivered and why).

An Output belongs to exactly one thing: a programme Activity, an Event, one EventSession of an
event's agenda, or a course Edition. Four nullable foreign keys with a CHECK that exactly one is
set (rather than a generic "subject type + id" pair) keep real foreign keys, so the database
cascades when the thing goes and joins stay plain SQL for the progress figures.
An Output is either a stored file (through elearn.uploads) or an https link, never both.
"""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.models import User
from elearn.courses.models import Edition
from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.events.models import Event, EventSession
from elearn.extensions import db
from elearn.multilingual import Multilingual, texts_column
from elearn.programme.models import Activity


class OutputKind(enum.StrEnum):
    PRESENTATION = "presentation"
    MINUTES = "minutes"
    REPORT = "report"
    RECORDING = "recording"
    DATASET = "dataset"
    BEST_PRACTICES = "best_practices"  # a compilation of best practices
    OTHER = "other"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    PARTICIPANTS = "participants"  # confirmed registrants of the event / enrolled in the edition
    ORGANISERS = "organisers"  # those who may manage the thing it belongs to


OUTPUT_LANGUAGES = ("es", "en", "pt", "fr")

_ONE = "CASE WHEN {} IS NOT NULL THEN 1 ELSE 0 END"
_EXACTLY_ONE_OWNER = " + ".join(
    _ONE.format(c) for c in ("activity_id", "event_id", "session_id", "edition_id")) + " = 1"


class Output(Multilingual, db.Model):
    __tablename__ = "output"
    __table_args__ = (
        CheckConstraint(_EXACTLY_ONE_OWNER, name="exactly_one_owner"),
        CheckConstraint("(stored_name IS NULL) <> (url IS NULL)", name="file_or_link"),
        # A title in some language ({} is what an empty JSON object is stored as).
        CheckConstraint("CAST(title AS TEXT) <> '{}'", name="has_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_session.id", ondelete="CASCADE"), index=True)
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("edition.id", ondelete="CASCADE"), index=True)

    kind: Mapped[OutputKind] = mapped_column(StrEnumType(OutputKind), nullable=False)
    # In any language; the output's own `language` (what the document is written in) is the
    # main one.
    __multilingual__ = ("title",)
    title: Mapped[dict] = texts_column()
    # A file: its random name in the storage area, the name offered on download, what it is.
    stored_name: Mapped[str | None] = mapped_column(String(80))
    file_name: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    # ... or a link (a recording on a video platform, an external publication).
    url: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[str] = mapped_column(String(2), nullable=False, default="es")
    published_on: Mapped[date] = mapped_column(Date, nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        StrEnumType(Visibility), nullable=False, default=Visibility.PUBLIC, index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    activity: Mapped[Activity | None] = relationship()
    event: Mapped[Event | None] = relationship()
    session: Mapped[EventSession | None] = relationship()
    edition: Mapped[Edition | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def is_file(self) -> bool:
        return self.stored_name is not None

    @property
    def owner(self):
        """The one thing this output belongs to."""
        return self.activity or self.event or self.session or self.edition


class ActivityVerdict(enum.StrEnum):
    """What a programme manager decided; "planned" and "in progress" are computed, not stored."""

    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"


class ActivityStatus(db.Model):
    """A programme manager's verdict on an activity (at most one row per activity)."""

    __tablename__ = "activity_status"
    __table_args__ = (
        CheckConstraint("state <> 'not_delivered' OR (reason IS NOT NULL AND reason <> '')",
                        name="not_delivered_has_reason"),
    )

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[ActivityVerdict] = mapped_column(StrEnumType(ActivityVerdict), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    activity: Mapped[Activity] = relationship()
