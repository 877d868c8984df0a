"""Record an audit entry inside the caller's transaction, so the change and its trace commit or
roll back together. Written at once, as one statement (elearn.db_writes): most requests that
change something write one."""

from elearn.db_writes import insert_row

from .models import AuditRecord


def record(action: str, subject, *, actor=None, before: dict | None = None,
           after: dict | None = None) -> AuditRecord:
    return insert_row(AuditRecord, {
        "action": action,
        "subject_type": type(subject).__tablename__ if hasattr(subject, "__tablename__")
        else type(subject).__name__,
        "subject_id": str(getattr(subject, "id", subject)),
        "actor_id": getattr(actor, "id", None),
        "before": before,
        "after": after,
    })
