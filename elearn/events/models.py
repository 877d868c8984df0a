"""Workshops, virtual seminars, meetings and the like: events, their sessions (the agenda),
organisers, and registrations with capacity and a waiting list.

Seats are counted in `Event.seats_taken_*`, changed only by an atomic conditional UPDATE in
events.services, so two people can never take the last seat (see ARCHITECTURE: capacity is
enforced in the database transaction, never by a count read earlier in Python).
"""

import enum
import secrets
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.accounts.models import User
from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.extensions import db
from elearn.forms.models import Form, FormResponse
from elearn.multilingual import Multilingual, texts_column
from elearn.programme.models import Activity, TitleAndDescription


class EventKind(enum.StrEnum):
    WORKSHOP = "workshop"
    VIRTUAL_SEMINAR = "virtual_seminar"
    MEETING = "meeting"
    ROUND_TABLE = "round_table"
    FORUM = "forum"
    TRAINING = "training"
    HACKATHON = "hackathon"
    LIVE_CLASS = "live_class"  # course live sessions (courses domain)


class EventMode(enum.StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class AttendanceMode(enum.StrEnum):
    """How one person takes part: the seat type of a registration."""

    IN_PERSON = "in_person"
    ONLINE = "online"


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the organiser's approval
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class InviteReply(enum.StrEnum):
    """What the person answered through the links of their invitation email."""

    ATTENDING = "attending"
    DECLINED = "declined"  # the registration was cancelled by that answer


class ParticipantRole(enum.StrEnum):
    """A person's role in an event; statistics report panel parity apart from participants."""

    PARTICIPANT = "participant"
    SPEAKER = "speaker"
    PANELLIST = "panellist"
    CHAIR = "chair"
    MODERATOR = "moderator"
    ORGANISER = "organiser"


class VideoProvider(enum.StrEnum):
    NONE = "none"
    MANUAL = "manual"  # the organiser pastes a URL
    JITSI = "jitsi"
    BIGBLUEBUTTON = "bigbluebutton"


class Event(TitleAndDescription, db.Model):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_status_starts", "status", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(StrEnumType(EventKind), nullable=False)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    mode: Mapped[EventMode] = mapped_column(StrEnumType(EventMode), nullable=False)
    language: Mapped[str] = mapped_column(String(5), default="es", nullable=False)
    status: Mapped[EventStatus] = mapped_column(
        StrEnumType(EventStatus), default=EventStatus.DRAFT, nullable=False
    )
    venue_name: Mapped[str | None] = mapped_column(String(200))
    venue_address: Mapped[str | None] = mapped_column(String(300))
    venue_city: Mapped[str | None] = mapped_column(String(120))
    venue_country: Mapped[str | None] = mapped_column(String(2))
    # First session start / last session end, kept in step by the services for listing.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    capacity_in_person: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    capacity_online: Mapped[int | None] = mapped_column(Integer)
    seats_taken_in_person: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    seats_taken_online: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # Eligibility: lists of ISO country codes and Sector values; empty means anyone.
    eligible_countries: Mapped[list | None] = mapped_column(JSON)
    eligible_subregions: Mapped[list | None] = mapped_column(JSON)
    eligible_sectors: Mapped[list | None] = mapped_column(JSON)
    public_officials_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    video_provider: Mapped[VideoProvider] = mapped_column(
        StrEnumType(VideoProvider), default=VideoProvider.NONE, nullable=False
    )
    video_meeting_id: Mapped[str | None] = mapped_column(String(200))
    video_url: Mapped[str | None] = mapped_column(String(500))  # manual link / Jitsi room URL
    video_error: Mapped[str | None] = mapped_column(Text)  # last provider failure, for retry

    # The questions asked when registering (interpretation, accessibility...), if any.
    registration_form_id: Mapped[int | None] = mapped_column(
        ForeignKey("form.id", ondelete="SET NULL"))
    # Published statistics page opt-in (stats domain).
    public_statistics: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Last change of the row: the calendar files' Last-Modified (If-Modified-Since -> 304).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )

    activity: Mapped[Activity | None] = relationship()
    registration_form: Mapped[Form | None] = relationship()
    sessions: Mapped[list["EventSession"]] = relationship(
        back_populates="event", order_by="EventSession.starts_at", cascade="all, delete-orphan"
    )
    organisers: Mapped[list["EventOrganiser"]] = relationship(cascade="all, delete-orphan")
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class EventOrganiser(db.Model):
    """Object-level right: this user organises this event."""

    __tablename__ = "event_organiser"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    user: Mapped[User] = relationship()


def _new_uid() -> str:
    return f"{uuid.uuid4()}@elearn"


class EventSession(Multilingual, db.Model):
    """One slot of the agenda. Its UID is stable for the life of the session, so calendar
    updates and cancellations replace the same entry in people's calendars."""

    __tablename__ = "event_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[dict] = texts_column()  # optional: "Day 1", "Opening panel"
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    room: Mapped[str | None] = mapped_column(String(200))
    speakers: Mapped[str | None] = mapped_column(String(500))
    virtual_url: Mapped[str | None] = mapped_column(String(500))  # overrides the event's link
    uid: Mapped[str] = mapped_column(String(80), unique=True, default=_new_uid, nullable=False)
    # RFC 5545 SEQUENCE: bumped whenever time, place or link changes.
    sequence: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )

    event: Mapped[Event] = relationship(back_populates="sessions")

    __multilingual__ = ("title",)

    @property
    def main_language(self) -> str:
        return self.event.language if self.event else "es"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(db.Model):
    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_registration_event_status", "event_id", "status", "mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    mode: Mapped[AttendanceMode] = mapped_column(StrEnumType(AttendanceMode), nullable=False)
    status: Mapped[RegistrationStatus] = mapped_column(
        StrEnumType(RegistrationStatus), nullable=False
    )
    role: Mapped[ParticipantRole] = mapped_column(
        StrEnumType(ParticipantRole), default=ParticipantRole.PARTICIPANT, nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # Waiting-list order: the time the person joined the list (first come, first promoted).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when an organiser cancelled the registration; the person was told it.
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The answer given through the invitation's "I will attend" / "I cannot attend" links.
    reply: Mapped[InviteReply | None] = mapped_column(StrEnumType(InviteReply))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Unguessable token on the badge/ticket QR (attendance check-in).
    ticket_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=_new_token, nullable=False
    )
    # A seat given or given up changes the person's calendar feed (its Last-Modified).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
    # The answers to the event's registration questions (kept when the registration is
    # cancelled: organisers may still need them; removed by erasure).
    form_response_id: Mapped[str | None] = mapped_column(
        ForeignKey("form_response.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship(back_populates="registrations")
    user: Mapped[User] = relationship()
    form_response: Mapped[FormResponse | None] = relationship()


class JoinClick(db.Model):
    """A click on the app's own join link: evidence of online attendance intent."""

    __tablename__ = "join_click"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), nullable=False, index=True
    )
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_session.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class CalendarFeed(db.Model):
    """A personal calendar subscription URL. The token is the only credential, so it can be
    revoked (a new one is issued) without touching the account."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True, default=_new_token, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RegistrantMessage(db.Model):
    """A message an organiser sent to the event's registrants: what was written in each
    language ({"es": {"subject": ..., "body": ...}, ...}), the main one being the event's
    language, and how many people received each version (the outbox holds each copy)."""

    __tablename__ = "registrant_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True
    )
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    main_language: Mapped[str] = mapped_column(String(5), nullable=False)
    versions: Mapped[dict] = mapped_column(JSON, nullable=False)
    statuses: Mapped[list] = mapped_column(JSON, nullable=False)
    recipients: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # {"es": 12, "en": 3}: the version each recipient was sent, counted when written
    sent_versions: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))


class CalendarFileCache(db.Model):
    """A built calendar file (an event's public file in one language, a person's feed), kept
    for every worker at the version it was built from (elearn.events.calendar_cache). One row
    per file: a newer version replaces it."""

    __tablename__ = "calendar_file_cache"

    owner: Mapped[str] = mapped_column(String(80), primary_key=True)  # "feed:12:es"...
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    body: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # zlib-compressed
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
