"""elearn.db_writes: a row written as one prebuilt INSERT becomes an ordinary persistent object
of the session, the same as the row read back, with no further SQL; it can be changed and
deleted like any other; it rolls back with its transaction; the roll-up hears of it."""

from contextlib import contextmanager

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select

from elearn.audit.models import AuditRecord
from elearn.audit.services import record
from elearn.db_writes import insert_if_absent, insert_row
from elearn.events.models import AttendanceMode, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import queue
from elearn.stats import rollup


@contextmanager
def statements():
    sent = []

    def note(_conn, _cursor, statement, *_args):
        sent.append(statement.split()[0].upper())

    sa_event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", note)


def _columns(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in inspect(type(obj)).column_attrs}


def test_a_written_row_is_the_row_read_back_with_no_further_sql(app, make_user):
    person = make_user()
    assert person.id  # loaded before counting
    with statements() as sent:
        entry = record("test.written", person, actor=person, before=None,
                       after={"status": "confirmed", "note": "<b>&</b>"})
        message = queue("ana@example.org", "Subject", "Text", html="<p>Text</p>")
        written = (_columns(entry), _columns(message))
    assert sent == ["INSERT", "INSERT"]  # reading every attribute after it asked for nothing
    assert inspect(entry).persistent and inspect(message).persistent
    assert message.status == OutboxStatus.PENDING and message.attempts == 0  # defaults
    assert message.next_attempt_at is None and entry.id and message.id
    db.session.commit()
    db.session.expunge_all()
    assert _columns(db.session.get(AuditRecord, written[0]["id"])) == written[0]
    assert _columns(db.session.get(OutboxMessage, written[1]["id"])) == written[1]


def test_a_written_row_changes_deletes_and_rolls_back_like_any_other(app, make_user):
    person = make_user()
    entry = record("test.changed", person, after={"status": "waitlisted"})
    gone = queue("bob@example.org", "Gone", "Text")
    entry_id, gone_id = entry.id, gone.id
    entry.after = {"status": "confirmed"}
    db.session.delete(gone)
    db.session.commit()
    db.session.expunge_all()
    assert db.session.get(AuditRecord, entry_id).after == {"status": "confirmed"}
    assert db.session.get(OutboxMessage, gone_id) is None

    undone = record("test.undone", db.session.merge(person))
    undone_id = undone.id
    db.session.rollback()
    assert db.session.get(AuditRecord, undone_id) is None


def test_insert_if_absent_writes_once_and_the_rollup_hears_of_it(app, make_user, make_event):
    person, event = make_user(), make_event()
    values = {"event_id": event.id, "user_id": person.id, "mode": AttendanceMode.ONLINE,
              "status": RegistrationStatus.CONFIRMED}
    first = insert_if_absent(Registration, values, ("event_id", "user_id"))
    assert first is not None and inspect(first).persistent and first.event is event
    assert insert_if_absent(Registration, values, ("event_id", "user_id")) is None
    db.session.commit()
    assert db.session.scalar(select(Registration.id).where(
        Registration.event_id == event.id, Registration.user_id == person.id)) == first.id
    assert rollup.differences() == ([], [])  # the person's facts followed the new row


def test_insert_row_takes_attribute_names(app, make_user):
    person = make_user()
    entry = insert_row(AuditRecord, {"action": "test.names", "subject_type": "user",
                                     "subject_id": str(person.id), "actor_id": person.id})
    assert entry.before is None and entry.after is None and entry.at is not None
