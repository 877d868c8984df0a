"""The hackathon: settings (1:1 with an Event of kind HACKATHON), challenges, participants,
teams, invitations and deadline extensions. Submissions and judging live in judging_models.

Team size is enforced by `Team.member_count`, changed only by a conditional UPDATE in
services.teams, so two people joining at once can never take the last place twice.
"""

import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
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
from elearn.events.models import Event
from elearn.extensions import db
from elearn.multilingual import Multilingual, texts_column


class Normalisation(enum.StrEnum):
    RAW = "raw"
    ZSCORE = "zscore"  # per judge and criterion, so a harsh judge does not sink a team


class Declaration(enum.StrEnum):
    """What a participant declares at registration (the pilot is for the academic sector)."""

    STUDENT = "student"
    STAFF = "staff"  # academic or research staff


# Join codes are read out in video calls and typed on phones: no 0/O, no 1/l/I, no U (read
# as V), upper case only (Crockford-like). 30 symbols, 8 of them: about 6.5 × 10^11 codes,
# not guessable in the life of a hackathon.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str | None) -> str:
    """What a person typed, as compared: upper case, without spaces or dashes. Codes made
    before the alphabet changed (token_urlsafe) are compared the same way, so they still
    work typed in any case."""
    return "".join(ch for ch in (typed or "").upper() if not ch.isspace() and ch != "-")


def grouped_join_code(code: str) -> str:
    """A code shown in groups of four ("K7M2-Q9PX"), easier to read out and to copy."""
    if len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code):
        return f"{code[:4]}-{code[4:]}"
    return code


class Hackathon(Multilingual, db.Model):
    __tablename__ = "hackathon"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    team_size_min: Mapped[int] = mapped_column(Integer, default=2, nullable=False)
    team_size_max: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    # 0: no discipline mix required.
    min_disciplines: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submission_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judging_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    judging_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rules: Mapped[dict] = texts_column()  # rules and terms, in any language
    judges_per_submission: Mapped[int] = mapped_column(Integer, default=3, nullable=False)
    normalisation: Mapped[Normalisation] = mapped_column(
        StrEnumType(Normalisation), default=Normalisation.ZSCORE, nullable=False
    )

    event: Mapped[Event] = relationship(lazy="joined")
    challenges: Mapped[list["Challenge"]] = relationship(
        back_populates="hackathon", order_by="Challenge.position, Challenge.id",
        cascade="all, delete-orphan",
    )

    __multilingual__ = ("rules",)

    @property
    def main_language(self) -> str:
        return self.event.language if self.event else "es"

    @property
    def timezone(self) -> str:
        return self.event.timezone

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Challenge(Multilingual, db.Model):
    """A track teams choose; winners are announced per challenge and overall."""

    __tablename__ = "hackathon_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[dict] = texts_column()
    description: Mapped[dict] = texts_column()
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    hackathon: Mapped[Hackathon] = relationship(back_populates="challenges")

    __multilingual__ = ("title", "description")

    @property
    def main_language(self) -> str:
        return self.hackathon.main_language if self.hackathon else "es"


class HackathonParticipant(db.Model):
    __tablename__ = "hackathon_participant"
    __table_args__ = (
        UniqueConstraint("hackathon_id", "user_id"),
        Index("ix_hackathon_participant_looking", "hackathon_id", "looking_for_team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    discipline: Mapped[str] = mapped_column(String(120), nullable=False)
    skills: Mapped[str] = mapped_column(Text, default="", nullable=False)
    declaration: Mapped[Declaration] = mapped_column(StrEnumType(Declaration), nullable=False)
    looking_for_team: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    terms_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(lazy="joined")


class Team(db.Model):
    __tablename__ = "hackathon_team"
    __table_args__ = (
        UniqueConstraint("hackathon_id", "name"),
        CheckConstraint("member_count >= 0", name="member_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    captain_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    join_code: Mapped[str] = mapped_column(
        String(32), unique=True, default=new_join_code, nullable=False
    )
    # Bumped when the captain rotates the code: invitations carry it, so old links stop working.
    code_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    member_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    hackathon: Mapped[Hackathon] = relationship()
    captain: Mapped[User | None] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(
        back_populates="team", order_by="TeamMember.joined_at, TeamMember.id",
        cascade="all, delete-orphan",
    )


class TeamMember(db.Model):
    __tablename__ = "hackathon_team_member"
    # One team per person per hackathon, decided by the database.
    __table_args__ = (UniqueConstraint("hackathon_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), nullable=False, index=True
    )
    hackathon_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_participant.id", ondelete="CASCADE"), nullable=False
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    team: Mapped[Team] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")
    participant: Mapped[HackathonParticipant] = relationship(lazy="joined")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(db.Model):
    __tablename__ = "hackathon_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    token: Mapped[str] = mapped_column(String(64), unique=True, default=_new_token,
                                       nullable=False)
    code_version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    team: Mapped[Team] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TeamExtension(db.Model):
    """An organiser's exception: this team may still edit its submission until `deadline`."""

    __tablename__ = "hackathon_team_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("hackathon_team.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    reason: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
