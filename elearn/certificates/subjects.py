"""What a certificate can be about: an event, a course edition, a hackathon.

Each subject type knows how to load its row, print its title in a language, give its dates and
hours of training, and say who may issue certificates for it. Other domains are imported inside
functions, so a domain that is not built yet only makes its subject type unavailable.
"""

import importlib
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from elearn.extensions import db

from .models import SubjectType


@dataclass
class SubjectFacts:
    title: str
    starts_on: date | None
    ends_on: date | None
    hours: float | None


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def _bilingual(obj, field: str, language: str) -> str:
    """Events and courses carry English and Spanish; pt/fr print the English title."""
    if language == "es":
        return getattr(obj, f"{field}_es", "") or getattr(obj, f"{field}_en", "")
    return getattr(obj, f"{field}_en", "") or getattr(obj, f"{field}_es", "")


def _round_hours(hours: float) -> float:
    return round(hours * 2) / 2  # half hours: what a certificate prints


class EventSubject:
    type = SubjectType.EVENT

    def model(self):
        mod = _module("elearn.events.models")
        return mod.Event if mod else None

    def load(self, subject_id: int):
        model = self.model()
        return db.session.get(model, subject_id) if model else None

    def facts(self, event, language: str) -> SubjectFacts:
        sessions = [s for s in event.sessions if not s.cancelled]
        zone = ZoneInfo(event.timezone)
        start = event.starts_at or (sessions[0].starts_at if sessions else None)
        end = event.ends_at or (sessions[-1].ends_at if sessions else None)
        seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in sessions)
        return SubjectFacts(
            title=_bilingual(event, "title", language),
            starts_on=start.astimezone(zone).date() if start else None,
            ends_on=end.astimezone(zone).date() if end else None,
            hours=_round_hours(seconds / 3600) if seconds else None,
        )

    def may_issue(self, user, event) -> bool:
        from elearn.accounts.permissions import can

        return can(user, "manage", event)


class EditionSubject:
    type = SubjectType.EDITION

    def model(self):
        mod = _module("elearn.courses.models")
        return mod.Edition if mod else None

    def load(self, subject_id: int):
        model = self.model()
        return db.session.get(model, subject_id) if model else None

    def facts(self, edition, language: str) -> SubjectFacts:
        from elearn.courses.models import Module

        hours = db.session.scalar(
            select(func.coalesce(func.sum(Module.hours), 0)).where(
                Module.edition_id == edition.id)
        ) or 0
        title = _bilingual(edition.course, "title", language)
        return SubjectFacts(
            title=f"{title} — {edition.name}" if edition.name else title,
            starts_on=edition.starts_on, ends_on=edition.ends_on,
            hours=_round_hours(float(hours)) if hours else None,
        )

    def may_issue(self, user, edition) -> bool:
        from elearn.accounts.permissions import can

        return can(user, "teach", edition)


class HackathonSubject:
    """The hackathons domain's `Hackathon` (settings of an Event of kind HACKATHON)."""

    type = SubjectType.HACKATHON

    def model(self):
        mod = _module("elearn.hackathons.models")
        return getattr(mod, "Hackathon", None) if mod else None

    def load(self, subject_id: int):
        model = self.model()
        return db.session.get(model, subject_id) if model else None

    def facts(self, hackathon, language: str) -> SubjectFacts:
        # A hackathon is run as an Event of kind HACKATHON: its title and dates are the event's.
        return EventSubject().facts(hackathon.event, language)

    def may_issue(self, user, hackathon) -> bool:
        from elearn.accounts.permissions import can

        return can(user, "manage", hackathon)


SUBJECTS = {s.type: s for s in (EventSubject(), EditionSubject(), HackathonSubject())}


def subject_adapter(subject_type: SubjectType | str):
    return SUBJECTS[SubjectType(subject_type)]


def load_subject(subject_type: SubjectType | str, subject_id: int):
    return subject_adapter(subject_type).load(subject_id)
