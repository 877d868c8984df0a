"""A file prepared for one person: what was asked (kind and parameters), how far it got, and
where the result is kept until it expires."""

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.extensions import db


class DownloadStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"  # the file was deleted after its time; the row says what it was

    @property
    def in_progress(self) -> bool:
        return self in (DownloadStatus.QUEUED, DownloadStatus.RUNNING)


class PreparedDownload(db.Model):
    __tablename__ = "prepared_download"
    __table_args__ = (Index("ix_prepared_download_owner", "owner_id", "created_at"),
                      Index("ix_prepared_download_status", "status", "expires_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                          nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    parameters: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # The owner's language and time zone when asking: the worker has no request to read them.
    locale: Mapped[str] = mapped_column(String(10), nullable=False, default="en")
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC")
    status: Mapped[DownloadStatus] = mapped_column(
        StrEnumType(DownloadStatus), nullable=False, default=DownloadStatus.QUEUED)
    # Each run claims the row and counts itself here; only that run may then finish it.
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    stored_name: Mapped[str | None] = mapped_column(String(80))  # in the `exports` area
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    # The page the person asked from (a path of this site), for the "back" link.
    back_path: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    # By name: this package sits below accounts and never imports it.
    owner = relationship("User", lazy="joined")
