"""Record an audit entry inside the caller's transaction, so the change and its trace commit or
roll back together."""

from elearn.extensions import db

from .models import AuditRecord


def record(action: str, subject, *, actor=None, before: dict | None = None,
           after: dict | None = None) -> AuditRecord:
    entry = AuditRecord(
        action=action,
        subject_type=type(subject).__tablename__ if hasattr(subject, "__tablename__")
        else type(subject).__name__,
        subject_id=str(getattr(subject, "id", subject)),
        actor_id=getattr(actor, "id", None),
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
