"""What a certificate can be about: an event, a course edition, a hackathon.

Each subject type knows how to load its row, print its title in a language, give its dates and
hours of training, and list the subjects a person looks after. Certificates sit above events,
courses and hackathons in the dependency order, so those domains are imported plainly.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from elearn.courses.models import Edition, EditionInstructor, Module
from elearn.events.models import Event, EventOrganiser
from elearn.extensions import db
from elearn.hackathons.models import Hackathon

from .models import SubjectType

MAX_SUBJECT_ID = 2**31 - 1  # larger ids exist nowhere and overflow PostgreSQL's integer


@dataclass
class SubjectFacts:
    title: str
    starts_on: date | None
    ends_on: date | None
    hours: float | None


def _bilingual(obj, field: str, language: str) -> str:
    """The title in the certificate's language, else in the event's or course's main
    language (no note: a certificate prints the title as it is)."""
    return obj.text(field, language)


def _round_hours(hours: float) -> float:
    return round(hours * 2) / 2  # half hours: what a certificate prints


class _Subject:
    type: SubjectType
    model: type

    def load(self, subject_id: int):
        if not 0 < subject_id <= MAX_SUBJECT_ID:
            return None
        return db.session.get(self.model, subject_id)


class EventSubject(_Subject):
    type = SubjectType.EVENT
    model = Event

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

    def looked_after(self, user) -> set[int]:
        return set(db.session.scalars(select(EventOrganiser.event_id).where(
            EventOrganiser.user_id == user.id)))

    def title(self, event, language: str) -> str:
        return _bilingual(event, "title", language)


class EditionSubject(_Subject):
    type = SubjectType.EDITION
    model = Edition

    def facts(self, edition, language: str) -> SubjectFacts:
        hours = db.session.scalar(
            select(func.coalesce(func.sum(Module.hours), 0)).where(
                Module.edition_id == edition.id)
        ) or 0
        return SubjectFacts(
            title=self.title(edition, language),
            starts_on=edition.starts_on, ends_on=edition.ends_on,
            hours=_round_hours(float(hours)) if hours else None,
        )

    def looked_after(self, user) -> set[int]:
        return set(db.session.scalars(select(EditionInstructor.edition_id).where(
            EditionInstructor.user_id == user.id)))

    def title(self, edition, language: str) -> str:
        """"<course> — <edition>", both in `language`: a Spanish diploma prints the
        edition's Spanish name; other languages (and Spanish without one) the English."""
        title = _bilingual(edition.course, "title", language)
        name = edition.name_in(language)
        return f"{title} — {name}" if name else title


class HackathonSubject(_Subject):
    """The hackathons domain's `Hackathon` (settings of an Event of kind HACKATHON)."""

    type = SubjectType.HACKATHON
    model = Hackathon

    def facts(self, hackathon, language: str) -> SubjectFacts:
        # A hackathon is run as an Event of kind HACKATHON: its title and dates are the event's.
        return EventSubject().facts(hackathon.event, language)

    def looked_after(self, user) -> set[int]:
        return set(db.session.scalars(
            select(Hackathon.id).join(EventOrganiser,
                                      EventOrganiser.event_id == Hackathon.event_id)
            .where(EventOrganiser.user_id == user.id)))

    def title(self, hackathon, language: str) -> str:
        return _bilingual(hackathon.event, "title", language)


SUBJECTS = {s.type: s for s in (EventSubject(), EditionSubject(), HackathonSubject())}


def subject_adapter(subject_type: SubjectType | str):
    return SUBJECTS[SubjectType(subject_type)]


def load_subject(subject_type: SubjectType | str, subject_id: int):
    return subject_adapter(subject_type).load(subject_id)


def subject_type_of(subject) -> SubjectType | None:
    for adapter in SUBJECTS.values():
        if isinstance(subject, adapter.model):
            return adapter.type
    return None
