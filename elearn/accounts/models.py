"""People: accounts, roles and the participant profile used on certificates and in statistics."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db_types import StrEnumType, UTCDateTime, utcnow
from elearn.extensions import db


class Role(enum.StrEnum):
    """Global roles say what kind of staff a person is; rights over one event or edition come
    from the object (its organisers, its instructors), asked through permissions.can()."""

    PARTICIPANT = "participant"  # everyone holds it; never stored
    INSTRUCTOR = "instructor"  # may be named to teach editions; teaches only those
    ORGANISER = "organiser"  # event organiser: may create events; manages only those they organise
    JUDGE = "judge"
    # The Secretariat: everything in the work programme (every event, edition, hackathon,
    # statistics of drafts), below admin (no platform settings, users or default templates).
    PROGRAMME_MANAGER = "programme_manager"
    ADMIN = "admin"


class Gender(enum.StrEnum):
    """Self-identified and optional. NOT_ANSWERED (None in the column) is distinct from
    PREFER_NOT_TO_SAY: statistics report both separately."""

    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    ANOTHER = "another"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Sector(enum.StrEnum):
    GOVERNMENT = "government"
    PRIVATE = "private"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    INTERNATIONAL = "international"
    OTHER = "other"


class Subregion(enum.StrEnum):
    CARIBBEAN = "caribbean"
    CENTRAL_AMERICA = "central_america"
    SOUTH_AMERICA = "south_america"
    MEXICO = "mexico"


class MemberState(db.Model):
    """The organisation's member states: a data list (loaded from accounts/data, editable by
    admins), not code. Eligibility rules and statistics read sub-region from here."""

    __tablename__ = "member_state"

    country_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    subregion: Mapped[Subregion] = mapped_column(StrEnumType(Subregion), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    @property
    def id(self) -> str:  # the audit trail names subjects by `id`
        return self.country_code

    @property
    def is_caribbean(self) -> bool:
        return self.subregion == Subregion.CARIBBEAN


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(StrEnumType(Role), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped on password change so reset links made before it stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    # Profile
    full_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    institution: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[Sector | None] = mapped_column(StrEnumType(Sector))
    job_title: Mapped[str | None] = mapped_column(String(200))
    is_public_official: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    year_of_birth: Mapped[int | None] = mapped_column(Integer)
    preferred_language: Mapped[str] = mapped_column(String(5), default="en", nullable=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[Gender | None] = mapped_column(StrEnumType(Gender))
    gender_other: Mapped[str | None] = mapped_column(String(100))
    stats_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bio: Mapped[str | None] = mapped_column(Text)
    # Kept after erasure instead of the year of birth, so age statistics survive (e.g. "25-34").
    age_group: Mapped[str | None] = mapped_column(String(10))

    roles: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_set(self) -> set[Role]:
        return {r.role for r in self.roles}

    @property
    def is_active(self) -> bool:  # Flask-Login: refused log-in for blocked or erased accounts
        return self.is_active_account and self.erased_at is None

    # The LoginSession this request runs under (set at log-in and by the user loader): the
    # cookie names it, so log-out and a password change can end it on the server.
    session_token = None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class LoginSession(db.Model):
    """One signed-in browser. The cookie carries the token; only its SHA-256 is stored, so a
    copy of the table does not let anyone sign in. Deleting the row ends that session even for a
    cookie copied before log-out."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True, nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
