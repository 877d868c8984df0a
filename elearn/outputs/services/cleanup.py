"""Outputs' files go with the thing they belong to.

Deleting an activity, an event (or one of its sessions), an edition or a course removes its
outputs' rows by the database's cascade, which the ORM never sees: their stored files would stay
in the `outputs` area with no record pointing at them. Before the flush that deletes the owner,
the files of its outputs are noted; they are removed once the transaction commits (a rolled-back
deletion keeps both the rows and the files). Bulk `DELETE` statements bypass the session and
this listener: delete owners through the session."""

from sqlalchemy import event as orm_event
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from elearn.courses.models import Course, Edition
from elearn.events.models import Event, EventSession
from elearn.programme.models import Activity

from ..models import Output
from . import files

_GOING = "outputs_files_going"


def _conditions(obj) -> list:
    """Which outputs go, by the database's cascades, when `obj` is deleted."""
    if isinstance(obj, Activity):
        return [Output.activity_id == obj.id]
    if isinstance(obj, Event):
        sessions = select(EventSession.id).where(EventSession.event_id == obj.id)
        return [Output.event_id == obj.id, Output.session_id.in_(sessions)]
    if isinstance(obj, EventSession):
        return [Output.session_id == obj.id]
    if isinstance(obj, Edition):
        return [Output.edition_id == obj.id]
    if isinstance(obj, Course):
        editions = select(Edition.id).where(Edition.course_id == obj.id)
        return [Output.edition_id.in_(editions)]
    return []


@orm_event.listens_for(Session, "before_flush")
def _note_files_of_deleted_owners(session, _context, _instances) -> None:
    conditions = [c for obj in session.deleted for c in _conditions(obj) if obj.id is not None]
    if not conditions:
        return
    with session.no_autoflush:
        names = session.scalars(select(Output.stored_name).where(
            Output.stored_name.is_not(None), or_(*conditions))).all()
    if names:
        session.info.setdefault(_GOING, set()).update(names)


@orm_event.listens_for(Session, "after_commit")
def _remove_committed(session) -> None:
    for name in session.info.pop(_GOING, ()):
        files.discard(name)


@orm_event.listens_for(Session, "after_soft_rollback")
def _keep_rolled_back(session, previous_transaction) -> None:
    if not previous_transaction.nested:
        session.info.pop(_GOING, None)
