"""One attendance model for event sessions and course live sessions (which are event sessions):
one row per person and session, whatever the source; re-recording updates it."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, UniqueConstraint
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
