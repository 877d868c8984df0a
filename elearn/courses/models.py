"""Courses and their editions: the structure (Course > Edition > Module > Lesson), who takes
part (Enrolment) and what they looked at (LessonView). Assessments are in assessment_models,
which builds on this module.

Seats are counted in `Edition.seats_taken`, changed only by an atomic conditional UPDATE in
services.enrolment, so two acceptances can never take the last seat.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
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
from elearn.events import models as _event_models  # noqa: F401  (live_event_id -> event)
from elearn.extensions import db
from elearn.forms.models import Form, FormResponse
from elearn.multilingual import Multilingual, texts_column
from elearn.programme.models import Activity, TitleAndDescription


class EditionStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # taking applications
    RUNNING = "running"
    COMPLETED = "completed"


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def is_participant(self) -> bool:
        """Has (or had) a seat: may open the course material."""
        return self in (EnrolmentStatus.ACCEPTED, EnrolmentStatus.COMPLETED,
                        EnrolmentStatus.NOT_COMPLETED)


PARTICIPANT_STATUSES = (EnrolmentStatus.ACCEPTED, EnrolmentStatus.COMPLETED,
                        EnrolmentStatus.NOT_COMPLETED)


class Course(TitleAndDescription, db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    # Languages the material exists in, e.g. ["es", "en"].
    languages: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    activity: Mapped[Activity | None] = relationship()
    editions: Mapped[list["Edition"]] = relationship(
        back_populates="course", order_by="Edition.starts_on", cascade="all, delete-orphan"
    )

    @property
    def main_language(self) -> str:
        """The first language the material exists in."""
        return (self.languages or ["es"])[0]


class Edition(Multilingual, db.Model):
    __tablename__ = "edition"
    __table_args__ = (Index("ix_edition_status_starts", "status", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # An edition may belong to its own activity (the Caribbean edition is I.III.A.3).
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    # "Regional edition 2026", in any language; the edition's `language` is the main one.
    name: Mapped[dict] = texts_column()
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    language: Mapped[str] = mapped_column(String(5), default="es", nullable=False)
    status: Mapped[EditionStatus] = mapped_column(
        StrEnumType(EditionStatus), default=EditionStatus.DRAFT, nullable=False
    )
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    seats_taken: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    applications_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    applications_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Eligibility: ISO country codes, Subregion and Sector values; empty means anyone.
    eligible_countries: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    eligible_subregions: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    eligible_sectors: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    public_officials_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    # Completion rule; each part is off when None/False.
    min_grade: Mapped[float | None] = mapped_column(Float)  # weighted percent, 0-100
    require_required_passed: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    min_attendance_share: Mapped[float | None] = mapped_column(Float)  # 0-1, e.g. 0.75
    require_final_passed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    # The LIVE_CLASS event whose sessions are this edition's live classes.
    live_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), index=True
    )
    # The questions asked when applying (besides the motivation), if any.
    application_form_id: Mapped[int | None] = mapped_column(
        ForeignKey("form.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    course: Mapped[Course] = relationship(back_populates="editions")
    activity: Mapped[Activity | None] = relationship()
    application_form: Mapped[Form | None] = relationship()
    modules: Mapped[list["Module"]] = relationship(
        back_populates="edition", order_by="[Module.position, Module.id]",
        cascade="all, delete-orphan"
    )
    instructors: Mapped[list["EditionInstructor"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __multilingual__ = ("name",)

    def name_in(self, language: str | None = None) -> str:
        """The name in `language`, else in the edition's language, with no note: what a
        certificate, a message or an export in that language prints."""
        return self.text("name", language)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


class EditionInstructor(db.Model):
    """Object-level right: this user teaches this edition."""

    __tablename__ = "edition_instructor"

    edition_id: Mapped[int] = mapped_column(
        ForeignKey("edition.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    user: Mapped[User] = relationship()


class Module(Multilingual, db.Model):
    __tablename__ = "course_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("edition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    title: Mapped[dict] = texts_column()
    summary: Mapped[dict] = texts_column()
    # Modules open week by week; before opens_at they are listed but locked.
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hours: Mapped[float] = mapped_column(Float, default=0, nullable=False)  # for certificates

    edition: Mapped[Edition] = relationship(back_populates="modules")
    lessons: Mapped[list["Lesson"]] = relationship(
        back_populates="module", order_by="[Lesson.position, Lesson.id]",
        cascade="all, delete-orphan"
    )

    __multilingual__ = ("title", "summary")

    @property
    def main_language(self) -> str:
        return self.edition.language if self.edition else "es"

    def is_open(self, now: datetime) -> bool:
        return self.opens_at is None or self.opens_at <= now


class Lesson(db.Model):
    __tablename__ = "lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_module.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body_markdown: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Rendered and sanitised once on save: what the page shows, never executable.
    body_html: Mapped[str] = mapped_column(Text, nullable=False, default="")
    video_url: Mapped[str | None] = mapped_column(String(500))

    module: Mapped[Module] = relationship(back_populates="lessons")
    files: Mapped[list["LessonFile"]] = relationship(
        back_populates="lesson", order_by="LessonFile.id", cascade="all, delete-orphan"
    )


class LessonFile(db.Model):
    """A download. Stored under a random name in the instance folder; `filename` is the
    sanitised name offered to the browser."""

    __tablename__ = "lesson_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    lesson: Mapped[Lesson] = relationship(back_populates="files")


class LessonView(db.Model):
    __tablename__ = "lesson_view"
    __table_args__ = (UniqueConstraint("lesson_id", "user_id"),
                      Index("ix_lesson_view_user", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    first_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                      nullable=False)


class Enrolment(db.Model):
    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("edition_id", "user_id"),
        Index("ix_enrolment_edition_status", "edition_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("edition.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        StrEnumType(EnrolmentStatus), default=EnrolmentStatus.PENDING, nullable=False
    )
    motivation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    endorsement_filename: Mapped[str | None] = mapped_column(String(200))
    endorsement_stored_name: Mapped[str | None] = mapped_column(String(80))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    # Waiting-list order: first come, first promoted.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_grade: Mapped[float | None] = mapped_column(Float)  # kept when the edition closes
    # The answers to the edition's application questions (kept on withdrawal; erasure
    # removes them).
    form_response_id: Mapped[str | None] = mapped_column(
        ForeignKey("form_response.id", ondelete="SET NULL"))

    edition: Mapped[Edition] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    form_response: Mapped[FormResponse | None] = relationship()

