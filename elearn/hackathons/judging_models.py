"""Submissions (one per team, versioned) and judging: criteria, assignments, scores,
declared conflicts of interest, and the published result of each submission."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.models import User
from elearn.db_types import UTCDateTime, utcnow
from elearn.extensions import db
from elearn.multilingual import Multilingual, texts_column

from .models import Challenge, Hackathon, Team


class Submission(db.Model):
    __tablename__ = "hackathon_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # One submission per team (and a team belongs to one hackathon).
    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_challenge.id"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    problem: Mapped[str] = mapped_column(Text, nullable=False)
    repository_url: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    original_work: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    file_stored_name: Mapped[str | None] = mapped_column(String(80))  # random, never the user's
    file_original_name: Mapped[str | None] = mapped_column(String(200))
    file_type: Mapped[str | None] = mapped_column(String(10))  # "pdf" / "pptx"
    file_size: Mapped[int | None] = mapped_column(Integer)
    # Version of the last save; a form carries it so a stale or replayed form is refused.
    version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # Filled when results are published.
    final_score: Mapped[float | None] = mapped_column(Float)
    final_rank: Mapped[int | None] = mapped_column(Integer)
    challenge_rank: Mapped[int | None] = mapped_column(Integer)

    team: Mapped[Team] = relationship(lazy="joined")
    challenge: Mapped[Challenge] = relationship(lazy="joined")
    versions: Mapped[list["SubmissionVersion"]] = relationship(
        order_by="SubmissionVersion.number", cascade="all, delete-orphan"
    )


class SubmissionVersion(db.Model):
    __tablename__ = "hackathon_submission_version"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_submission.id", ondelete="CASCADE"), nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    snapshot: Mapped[dict] = mapped_column(JSON, nullable=False)

    saved_by: Mapped[User | None] = relationship()


class Criterion(Multilingual, db.Model):
    __tablename__ = "hackathon_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), nullable=False, index=True
    )
    __multilingual__ = ("name",)

    name: Mapped[dict] = texts_column()  # "Impact", "Feasibility", in any language
    weight: Mapped[float] = mapped_column(Float, default=1.0, nullable=False)
    scale_min: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    scale_max: Mapped[int] = mapped_column(Integer, default=10, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    hackathon: Mapped[Hackathon] = relationship()

    @property
    def main_language(self) -> str:
        """The hackathon event's language, as for its challenges."""
        return self.hackathon.main_language if self.hackathon else "es"


class JudgeAssignment(db.Model):
    __tablename__ = "hackathon_judge_assignment"
    __table_args__ = (UniqueConstraint("submission_id", "judge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_submission.id", ondelete="CASCADE"), nullable=False
    )
    judge_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    submission: Mapped[Submission] = relationship(lazy="joined")
    judge: Mapped[User] = relationship()


class Score(db.Model):
    __tablename__ = "hackathon_score"
    __table_args__ = (UniqueConstraint("submission_id", "judge_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_submission.id", ondelete="CASCADE"), nullable=False, index=True
    )
    judge_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_criterion.id", ondelete="CASCADE"), nullable=False
    )
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    criterion: Mapped[Criterion] = relationship(lazy="joined")


class DeclaredConflict(db.Model):
    """A judge's declared conflict of interest with a team (beyond a shared institution)."""

    __tablename__ = "hackathon_declared_conflict"
    __table_args__ = (UniqueConstraint("judge_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reason: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
