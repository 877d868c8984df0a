"""Certificates and what they are made from: templates (design, texts, signatories), the issued
certificate (a frozen snapshot plus the PDF rendered once), and bulk-issue jobs.

A certificate names its subject by type and id (an event, a course edition, a hackathon), so
this domain reads the others without them knowing about certificates.
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
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from elearn.accounts.models import User
from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.extensions import db


class CertificateKind(enum.StrEnum):
    PARTICIPATION = "participation"  # event: attended enough sessions
    DIPLOMA = "diploma"  # course edition: completed
    HACKATHON_PARTICIPATION = "hackathon_participation"
    HACKATHON_AWARD = "hackathon_award"  # a placing in the published results
    SPEAKER = "speaker"  # event: spoke, chaired, moderated
    INSTRUCTOR = "instructor"  # course edition: taught


class SubjectType(enum.StrEnum):
    EVENT = "event"
    EDITION = "edition"
    HACKATHON = "hackathon"


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


# The revocation reason of the certificates of a person whose account was erased.
HOLDER_ERASED = "holder erased"


class CertificateTemplate(db.Model):
    """The design and wording for one kind; tied to one event/edition or, when subject_id is
    empty, the default for every subject of that kind."""

    __tablename__ = "certificate_template"
    __table_args__ = (Index("ix_certificate_template_kind_subject", "kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CertificateKind] = mapped_column(StrEnumType(CertificateKind), nullable=False)
    subject_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation_name: Mapped[str] = mapped_column(String(300), nullable=False)
    # Participation: share of the sessions a person must have attended (present or late).
    min_attendance_percent: Mapped[int] = mapped_column(Integer, default=75, nullable=False)
    # Printed hours when the subject's own (sessions / modules) should not be used.
    hours_override: Mapped[float | None] = mapped_column(Float)
    # {"es": {"title": ..., "intro": ..., "reason": ...}, ...}: overrides of the default wording.
    texts: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # The logo (PNG or JPEG despite the column's name); None prints the organisation's
    # default logo (pdf.DEFAULT_LOGO or CERTIFICATE_LOGO_PATH).
    logo_png: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # An optional seal (PNG or JPEG), printed in the lower left corner beside the signatures.
    seal_image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    # Where the certificate is issued ("Panamá"); None prints CERTIFICATE_PLACE.
    place: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )

    signatories: Mapped[list["Signatory"]] = relationship(
        back_populates="template", order_by="Signatory.position", cascade="all, delete-orphan",
        lazy="selectin",
    )


class Signatory(db.Model):
    __tablename__ = "certificate_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("certificate_template.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The title in English, also printed in any language without its own in `titles`.
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    # {"es": "Secretaria Permanente", "fr": ...}: the title in the other languages.
    titles: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)

    template: Mapped[CertificateTemplate] = relationship(back_populates="signatories")

    def title_in(self, language: str) -> str:
        return (self.titles or {}).get(language) or self.title


class Certificate(db.Model):
    """What was certified, frozen at issue: later changes to the profile or the event do not
    alter it. The PDF is rendered once and kept with its SHA-256."""

    __tablename__ = "certificate"
    __table_args__ = (
        # One current certificate per kind, subject and holder; superseded ones stay as history.
        Index("uq_certificate_current", "kind", "subject_type", "subject_id", "holder_id",
              unique=True, sqlite_where=db.text("superseded_at IS NULL"),
              postgresql_where=db.text("superseded_at IS NULL")),
        Index("ix_certificate_subject", "subject_type", "subject_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    kind: Mapped[CertificateKind] = mapped_column(StrEnumType(CertificateKind), nullable=False)
    subject_type: Mapped[SubjectType] = mapped_column(StrEnumType(SubjectType), nullable=False)
    subject_id: Mapped[int] = mapped_column(Integer, nullable=False)
    holder_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_template.id", ondelete="SET NULL")
    )
    status: Mapped[CertificateStatus] = mapped_column(
        StrEnumType(CertificateStatus), default=CertificateStatus.VALID, nullable=False
    )
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    # A bilingual certificate: its main text also in this language, under `language`'s.
    second_language: Mapped[str | None] = mapped_column(String(5))

    # The snapshot: exactly what the PDF says.
    holder_name: Mapped[str] = mapped_column(String(200), nullable=False)
    organisation_name: Mapped[str] = mapped_column(String(300), nullable=False)
    subject_title: Mapped[str] = mapped_column(String(400), nullable=False)
    hours: Mapped[float | None] = mapped_column(Float)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    details: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # e.g. placing, role
    printed: Mapped[dict] = mapped_column(JSON, nullable=False)  # the lines as printed

    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    signed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    override_justification: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="SET NULL")
    )
    # The bulk job that issued it: a resumed job counts what it already issued, never twice.
    issue_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_issue_job.id", ondelete="SET NULL")
    )

    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    template: Mapped[CertificateTemplate | None] = relationship()
    superseded_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    @property
    def display_code(self) -> str:
        from .codes import display

        return display(self.code)

    @property
    def withdrawn(self) -> bool:
        """Revoked because the holder's account was erased: nothing about them is shown."""
        return self.status == CertificateStatus.REVOKED and self.revoked_reason == HOLDER_ERASED


class IssueJob(db.Model):
    """Progress of a bulk issue, read by the page (auto-refresh) and the CLI."""

    __tablename__ = "certificate_issue_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CertificateKind] = mapped_column(StrEnumType(CertificateKind), nullable=False)
    subject_type: Mapped[SubjectType] = mapped_column(StrEnumType(SubjectType), nullable=False)
    subject_id: Mapped[int] = mapped_column(Integer, nullable=False)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate_template.id", ondelete="SET NULL")
    )
    # The language chosen for every certificate (None: each holder's preferred one), and a
    # second one for bilingual certificates.
    language: Mapped[str | None] = mapped_column(String(5))
    second_language: Mapped[str | None] = mapped_column(String(5))
    status: Mapped[JobStatus] = mapped_column(
        StrEnumType(JobStatus), default=JobStatus.QUEUED, nullable=False
    )
    total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    done: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    issued: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    already: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    skipped: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Touched by the running job at every batch: a job that stopped touching it has died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

