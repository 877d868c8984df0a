"""One attendance model for event sessions and course live sessions (which are event sessions):
one row per person and session, whatever the source; re-recording updates it."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.models import User
from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.events.models import AttendanceMode, EventSession
from elearn.extensions import db


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def counts_as_attended(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceSource(enum.StrEnum):
    QR_CHECK_IN = "qr_check_in"
    ROLL_CALL = "roll_call"
    SELF_CHECK_IN = "self_check_in"
    PROVIDER_IMPORT = "provider_import"
    CSV_IMPORT = "csv_import"


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        Index("ix_attendance_user_status", "user_id", "status"),
        # Covering index for statistics: attended people per session are read from the index
        # alone (status, session, person, mode), never from the table (bench/stats.py).
        Index("ix_attendance_stats", "status", "session_id", "user_id", "mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_session.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    status: Mapped[AttendanceStatus] = mapped_column(StrEnumType(AttendanceStatus), nullable=False)
    mode: Mapped[AttendanceMode] = mapped_column(StrEnumType(AttendanceMode), nullable=False)
    source: Mapped[AttendanceSource] = mapped_column(StrEnumType(AttendanceSource), nullable=False)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    minutes_online: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )

    session: Mapped[EventSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SessionCode(db.Model):
    """The short code an organiser shows during a session so online participants can check
    themselves in. Only a hash is kept, and it expires: a code read out in one session or posted
    in a chat is useless shortly after."""

    __tablename__ = "attendance_session_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_session.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

