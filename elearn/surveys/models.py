"""Evaluation surveys: a `Form` (elearn.forms) sent to the people who attended an event, an
edition or the hackathon, each through a personal one-time link.

Anonymity is a property of the rows, not of the pages: an anonymous `SurveyResponse` has no
person, no time and a random key; the `SurveyInvitation` only knows *that* the person answered,
and invitations are written all at once in a shuffled order when the survey opens, so neither
their ids nor their order line up with the responses.
"""

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.models import Gender, Sector, Subregion
from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.events.models import AttendanceMode
from elearn.extensions import db
from elearn.forms.models import Form, FormResponse

OWNER_KINDS = ("event", "edition", "hackathon")


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"          # no date to open on yet (an event without sessions)
    SCHEDULED = "scheduled"  # will open at opens_at, or when the owner's last session ends
    OPEN = "open"
    CLOSED = "closed"


class Survey(db.Model):
    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("owner_kind", "owner_id"),
        Index("ix_survey_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"),
                                         nullable=False)
    owner_kind: Mapped[str] = mapped_column(String(20), nullable=False)
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # None: when the owner's last session ends (read at each scheduler run, so moving a session
    # moves the opening too).
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_after_days: Mapped[int] = mapped_column(Integer, nullable=False, default=7)
    status: Mapped[SurveyStatus] = mapped_column(StrEnumType(SurveyStatus), nullable=False,
                                                 default=SurveyStatus.SCHEDULED)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by the one scheduler run that wins the reminder (conditional UPDATE).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    form: Mapped[Form] = relationship()


class SurveyInvitation(db.Model):
    """A person asked to answer. Nothing here points at their response."""
    __tablename__ = "survey_invitation"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         nullable=False, index=True)
    # sha256 of the personal link's token: a copy of the database cannot answer for anyone.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    answered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    survey: Mapped[Survey] = relationship()


class SurveyResponse(db.Model):
    """Which survey a `FormResponse` answers, and the statistics dimensions the person agreed to
    share (each None when not shared). Anonymous: no person, no time."""
    __tablename__ = "survey_response"

    id: Mapped[str] = mapped_column(
        String(32), ForeignKey("form_response.id", ondelete="CASCADE"), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"),
                                           nullable=False, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                                index=True)
    gender: Mapped[Gender | None] = mapped_column(StrEnumType(Gender))
    country: Mapped[str | None] = mapped_column(String(2))
    subregion: Mapped[Subregion | None] = mapped_column(StrEnumType(Subregion))
    sector: Mapped[Sector | None] = mapped_column(StrEnumType(Sector))
    age_band: Mapped[str | None] = mapped_column(String(10))
    mode: Mapped[AttendanceMode | None] = mapped_column(StrEnumType(AttendanceMode))

    survey: Mapped[Survey] = relationship()
    response: Mapped[FormResponse] = relationship()
