"""Forms that organisers build (registration questions, evaluation surveys) and the answers
given to them.

A `Form` is the stable thing an event, an edition or the hackathon points at; its wording lives
in `FormVersion`s. Editing a form that already has answers makes a new version (copying every
section, question and option with the same `key`s) so old answers keep the wording they were
given under, and results and exports can still line answers up across versions by key.

Texts are JSON objects with one entry per language ({"en": ..., "es": ..., "pt": ...}): a form
can be written in any interface language without a column per language.

A `FormResponse` belongs to whoever holds its id (a registration, an enrolment, a survey's
anonymous pool): this table says nothing about the person, so an anonymous survey answer
cannot be joined back to anyone from here. Its key is random, not a counter, and it has no time.
"""

import enum
import uuid
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

from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.extensions import db


class QuestionType(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
    RATING = "rating"          # 1..5, labels at the ends (and optionally on each point)
    NUMBER = "number"
    DATE = "date"
    COUNTRY = "country"
    FILE = "file"
    INFO = "info"              # a paragraph to read, no answer

    @property
    def has_options(self) -> bool:
        return self in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)

    @property
    def answered(self) -> bool:
        return self is not QuestionType.INFO


class FormPurpose(enum.StrEnum):
    REGISTRATION = "registration"
    SURVEY = "survey"


def _uuid() -> str:
    return uuid.uuid4().hex


class Form(db.Model):
    __tablename__ = "form"
    __table_args__ = (Index("ix_form_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[FormPurpose] = mapped_column(StrEnumType(FormPurpose), nullable=False)
    # Who may edit it: resolved through elearn.forms.rules' owner registry ("event", "edition",
    # "hackathon"), or None for a template shipped with the app / kept by programme managers.
    owner_kind: Mapped[str | None] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(Integer)
    # The template a form was copied from, if any (the standard evaluation, ...).
    template_key: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("form_version.id", use_alter=True, name="fk_form_current_version",
                   ondelete="SET NULL"))

    versions: Mapped[list["FormVersion"]] = relationship(
        back_populates="form", foreign_keys="FormVersion.form_id",
        order_by="FormVersion.number", cascade="all, delete-orphan")
    current_version: Mapped["FormVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True)


class FormVersion(db.Model):
    __tablename__ = "form_version"
    __table_args__ = (UniqueConstraint("form_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("form.id", ondelete="CASCADE"),
                                         nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    form: Mapped[Form] = relationship(back_populates="versions", foreign_keys=[form_id])
    sections: Mapped[list["FormSection"]] = relationship(
        back_populates="version", order_by="FormSection.position",
        cascade="all, delete-orphan")
    questions: Mapped[list["FormQuestion"]] = relationship(
        back_populates="version",
        order_by=lambda: [FormQuestion.section_position, FormQuestion.position],
        cascade="all, delete-orphan", overlaps="section,questions")


class FormSection(db.Model):
    __tablename__ = "form_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("form_version.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    title: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    version: Mapped[FormVersion] = relationship(back_populates="sections")
    questions: Mapped[list["FormQuestion"]] = relationship(
        back_populates="section", order_by="FormQuestion.position", overlaps="questions,version")


class FormQuestion(db.Model):
    __tablename__ = "form_question"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("form_version.id", ondelete="CASCADE"), nullable=False, index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("form_section.id", ondelete="CASCADE"), nullable=False)
    # Copied from the section so a version's questions sort in one ORDER BY.
    section_position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Stable across versions: exports' columns and results line answers up by it.
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    type: Mapped[QuestionType] = mapped_column(StrEnumType(QuestionType), nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Health, accessibility...: only the organisers of the form's owner see these answers.
    sensitive: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    text: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    help: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # RATING: {"low": {lang: text}, "high": {lang: text}}; NUMBER: {"min": n, "max": n}.
    settings: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    # Shown only when the question with this key was answered with one of these values
    # (option keys, or "yes"/"no").
    condition_key: Mapped[str | None] = mapped_column(String(40))
    condition_values: Mapped[list | None] = mapped_column(JSON)

    version: Mapped[FormVersion] = relationship(back_populates="questions",
                                                overlaps="questions,section")
    section: Mapped[FormSection] = relationship(back_populates="questions",
                                                overlaps="questions,version")
    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", order_by="QuestionOption.position",
        cascade="all, delete-orphan")


class QuestionOption(db.Model):
    __tablename__ = "form_option"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("form_question.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    label: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    question: Mapped[FormQuestion] = relationship(back_populates="options")


class FormResponse(db.Model):
    """One person's answers to one version. Nothing here names the person or the time."""
    __tablename__ = "form_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_uuid)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("form_version.id", ondelete="RESTRICT"), nullable=False, index=True)

    version: Mapped[FormVersion] = relationship()
    answers: Mapped[list["FormAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True)


class FormAnswer(db.Model):
    """One value: a choice question has a row per chosen option; a yes/no is 1/0 in `number`."""
    __tablename__ = "form_answer"
    __table_args__ = (
        Index("ix_form_answer_question_option", "question_id", "option_id"),
        # Also the foreign key's index. Covering: survey results count each response's
        # answers from the index alone (elearn.surveys.results_queries.tallies).
        Index("ix_form_answer_response", "response_id", "question_id", "option_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[str] = mapped_column(
        ForeignKey("form_response.id", ondelete="CASCADE"), nullable=False)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("form_question.id", ondelete="RESTRICT"), nullable=False)
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("form_option.id", ondelete="RESTRICT"))
    text: Mapped[str | None] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)
    day: Mapped[date | None] = mapped_column(Date)
    # FILE: the stored name in the `form_files` area and the name the person gave it.
    stored_name: Mapped[str | None] = mapped_column(String(80))
    filename: Mapped[str | None] = mapped_column(String(255))

    response: Mapped[FormResponse] = relationship(back_populates="answers")
    question: Mapped[FormQuestion] = relationship()
    option: Mapped[QuestionOption | None] = relationship()
