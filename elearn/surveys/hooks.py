"""Every new event, edition and hackathon gets the standard evaluation survey.

Events, courses and hackathons sit below surveys and must not know of them, so the surveys
domain listens to the ORM session instead: after each flush it notes the new owners, and just
before the transaction commits it gives each one its survey, in the same transaction (a
rolled-back event leaves no survey behind). An edition's live-class event and a hackathon's
event get none: the edition and the hackathon are what people evaluate.
"""

from sqlalchemy import event
from sqlalchemy.orm import Session

from elearn.courses.models import Edition
from elearn.events.models import Event
from elearn.extensions import db
from elearn.hackathons.models import Hackathon

from .owners import NOT_SURVEYED_KINDS
from .services.setup import attach

_NEW = "surveys_new_owners"


def _owner_key(obj) -> tuple[str, int] | None:
    if isinstance(obj, Event):
        return None if obj.kind in NOT_SURVEYED_KINDS else ("event", obj.id)
    if isinstance(obj, Edition):
        return ("edition", obj.id)
    if isinstance(obj, Hackathon):
        return ("hackathon", obj.id)
    return None


@event.listens_for(Session, "after_flush")
def _note_new_owners(session, flush_context):
    for obj in session.new:
        key = _owner_key(obj)
        if key is not None:
            session.info.setdefault(_NEW, []).append(key)


@event.listens_for(Session, "before_commit")
def _attach_surveys(session):
    if session is not db.session():
        return
    session.flush()
    pending = session.info.pop(_NEW, [])
    if not pending:
        return
    for kind, owner_id in dict.fromkeys(pending):
        attach(kind, owner_id)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_NEW, None)
