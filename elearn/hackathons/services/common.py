"""Errors and small helpers shared by the hackathon services."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.base_url import base_url
from elearn.db_types import utcnow  # noqa: F401  (re-exported for the services)
from elearn.extensions import db
from elearn.multilingual import LANGUAGE_NAMES, clean_texts
from elearn.multilingual_forms import LANGUAGE_IN_WORDS

from ..models import Hackathon, HackathonParticipant, Team, TeamMember


def given_texts(data: dict, field: str) -> dict:
    """A multilingual value as callers give it, `field` as a dict by language and/or one key
    per language as the forms name them (title_en=, title_es=): stripped, empty ones left
    out."""
    texts = dict(data.get(field) or {})
    texts.update({lang: data[f"{field}_{lang}"] for lang in LANGUAGE_NAMES
                  if data.get(f"{field}_{lang}") is not None})
    return clean_texts(texts)


def main_language_missing(what: str, hackathon: Hackathon) -> "HackathonError":
    """`what` ("The challenge's title") must be written in the hackathon event's language."""
    main = hackathon.main_language
    return HackathonError(_("%(what)s is required in %(language)s, the hackathon's language.",
                            what=what, language=str(LANGUAGE_IN_WORDS.get(main, main))))


class HackathonError(Exception):
    """A rule said no. `status` is the HTTP status a view should answer with."""

    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class Conflict(HackathonError):
    status = 409


class Forbidden(HackathonError):
    status = 403


def participant_of(hackathon: Hackathon, user) -> HackathonParticipant | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(HackathonParticipant).where(
        HackathonParticipant.hackathon_id == hackathon.id,
        HackathonParticipant.user_id == user.id))


def team_of(hackathon: Hackathon, user) -> Team | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Team).join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.hackathon_id == hackathon.id, TeamMember.user_id == user.id))


def require_participant(hackathon: Hackathon, user) -> HackathonParticipant:
    participant = participant_of(hackathon, user)
    if participant is None:
        raise Forbidden(_("Register for the hackathon first."))
    return participant


def registration_closed(hackathon: Hackathon, now: datetime | None = None) -> bool:
    deadline = hackathon.registration_deadline or hackathon.event.registration_closes_at
    return deadline is not None and (now or utcnow()) >= deadline


def submissions_closed(hackathon: Hackathon, now: datetime | None = None) -> bool:
    """The general submission deadline has passed (a team's extension is for finishing its
    work, not for changing who is in it)."""
    deadline = hackathon.submission_deadline
    return deadline is not None and (now or utcnow()) >= deadline


def require_registration_open(hackathon: Hackathon, now: datetime | None = None) -> None:
    """Teams form only while registration is open: after it, they are final."""
    if registration_closed(hackathon, now):
        raise Conflict(_("Registration for this hackathon has closed; teams can no longer "
                         "change."))


def within(now: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or now >= start) and (end is None or now < end)


def link(endpoint: str, **values) -> str:
    """An absolute link for an email; works from a request, a CLI command or a job."""
    from flask import current_app, has_request_context, url_for

    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return base_url() + path
