"""Assessments of an edition: auto-graded quizzes (questions, attempts) and assignments graded
by an instructor (submissions). Every score is also kept as a percent so completion and the
gradebook aggregate in SQL without knowing the kind."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.models import User
from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.extensions import db

from .models import Edition, Module


class AssessmentKind(enum.StrEnum):
    QUIZ = "quiz"
    ASSIGNMENT = "assignment"


class LatePolicy(enum.StrEnum):
    FLAG = "flag"  # accepted, marked late
    REFUSE = "refuse"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"


class Assessment(db.Model):
    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("edition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_module.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[AssessmentKind] = mapped_column(StrEnumType(AssessmentKind), nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    instructions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    weight: Mapped[float] = mapped_column(Float, default=1, nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    is_final: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    pass_mark: Mapped[float] = mapped_column(Float, default=60, nullable=False)  # percent
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late_policy: Mapped[LatePolicy] = mapped_column(
        StrEnumType(LatePolicy), default=LatePolicy.FLAG, nullable=False
    )
    # Quiz settings
    max_attempts: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    # Assignment settings: the rubric maximum, and what may be handed in.
    max_score: Mapped[float] = mapped_column(Float, default=100, nullable=False)
    accepts_file: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    accepts_text: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    edition: Mapped["Edition"] = relationship()
    module: Mapped["Module | None"] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="assessment", order_by="[Question.position, Question.id]",
        cascade="all, delete-orphan"
    )

    @property
    def is_quiz(self) -> bool:
        return self.kind == AssessmentKind.QUIZ


class Question(db.Model):
    __tablename__ = "quiz_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    kind: Mapped[QuestionKind] = mapped_column(StrEnumType(QuestionKind), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    choices: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # SINGLE/MULTIPLE: list of choice indexes; TRUE_FALSE: [true|false]; NUMERIC: [number].
    correct: Mapped[list] = mapped_column(JSON, nullable=False)
    tolerance: Mapped[float] = mapped_column(Float, default=0, nullable=False)
    points: Mapped[float] = mapped_column(Float, default=1, nullable=False)

    assessment: Mapped[Assessment] = relationship(back_populates="questions")


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempt"
    __table_args__ = (
        UniqueConstraint("assessment_id", "user_id", "number"),
        Index("ix_quiz_attempt_user", "user_id", "assessment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    # Server-side clock for the time limit: the browser's timer is only a courtesy.
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answers: Mapped[dict | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)

    assessment: Mapped[Assessment] = relationship()
    user: Mapped[User] = relationship()


class Submission(db.Model):
    """One participant's hand-in for an assignment (re-submitting before grading replaces it)."""

    __tablename__ = "assignment_submission"
    __table_args__ = (UniqueConstraint("assessment_id", "user_id"),
                      Index("ix_submission_user", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    text: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(200))
    stored_name: Mapped[str | None] = mapped_column(String(80))
    content_type: Mapped[str | None] = mapped_column(String(120))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    is_late: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    comments: Mapped[str | None] = mapped_column(Text)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
