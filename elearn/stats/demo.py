"""Demo publications: the Secretariat publishes the programme overview and the statistics of
the past event that reached most people, so /statistics shows something on `make run`.
Both go through the audited switches, as a programme manager's clicks would."""

from sqlalchemy import func, select

from elearn.accounts.models import user_by_email
from elearn.events.models import Event, EventStatus
from elearn.extensions import db

from . import publishing
from .models import StatsFact

PUBLISHER = "organiser@elearn.demo"  # the demo's programme manager


def _busiest_event() -> Event | None:
    people = func.count(StatsFact.user_id.distinct())
    event_id = db.session.scalar(
        select(StatsFact.event_id).join(Event, Event.id == StatsFact.event_id)
        .where(StatsFact.measure == "attended",
               Event.status.in_([EventStatus.PUBLISHED, EventStatus.COMPLETED]))
        .group_by(StatsFact.event_id).order_by(people.desc(), StatsFact.event_id).limit(1))
    return db.session.get(Event, event_id) if event_id is not None else None


def populate(rng=None) -> list[str]:
    from . import rollup

    rollup.apply_pending()  # the facts of the earlier steps, before choosing the event
    actor = user_by_email(PUBLISHER)
    publishing.set_published("all", 0, True, actor=actor)
    lines = ["Statistics: the programme overview is published on /statistics"]
    event = _busiest_event()
    if event is not None:
        publishing.set_public(event, True, actor=actor)
        lines.append(f"Statistics: event {event.id} is published on /statistics")
    return lines
