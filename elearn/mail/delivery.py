"""Delivery: message by message, each outcome written down as soon as the server answers.

- Claim: a message is taken with one `UPDATE ... WHERE status = 'pending'`, committed before it
  is sent, so two deliverers running at once (the thread after a request and `flask elearn
  send-mail`, two RQ workers) never both send it: the database serialises the two UPDATEs and
  only one still finds the row pending.
- Outcome: sent; refused for good (5xx) or impossible to build (a line break in a header):
  failed, with the reason, for that message alone; refused for now (4xx), timed out or
  disconnected: pending again, not before `next_attempt_at` (1, 2, 4, 8 minutes), failed after
  MAX_ATTEMPTS. A dropped connection is reopened for the next message; a server that cannot be
  reached at all ends the run (every other message would wait for the same timeout).
- A claim left by a process that died while sending is never retried: the server may have
  accepted that message, and one lost email is better than a repeated one; it is marked failed
  with that reason.
- One delivery thread per process at a time: requests that commit mail while it runs ask it
  for one more pass instead of starting threads of their own, which would all read the same
  outbox and race for the same claims (under a crowd of registrations, hundreds of threads
  taking CPU and commits from the requests).
- Without a mail server (development) a message is only written to the log: the due
  messages are marked logged in one UPDATE that returns them, so each is logged once.
"""

import logging
import threading
import time
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, or_, select, update

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.integrations import smtp
from elearn.jobs import enqueue

from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)  # doubled after each temporary failure
INTERRUPTED_AFTER = timedelta(hours=1)  # far longer than any send with MAIL_TIMEOUT
MODES = ("inline", "thread", "rq")
_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


def delivery_mode(config) -> str:
    """MAIL_DELIVERY, or by default an RQ job with REDIS_URL and a background thread without."""
    mode = config.get("MAIL_DELIVERY") or ("rq" if config.get("REDIS_URL") else "thread")
    if mode not in MODES:
        raise ValueError(f"MAIL_DELIVERY must be one of {MODES}, not {mode!r}")
    return "thread" if mode == "rq" and not config.get("REDIS_URL") else mode


def hand_over(ids: list[int], mode: str | None = None) -> None:
    """Deliver committed messages: inline, or after the response in a thread or an RQ job
    (which also send whatever else is due, e.g. retries)."""
    mode = mode or delivery_mode(current_app.config)
    if mode == "rq":
        enqueue("elearn.mail.delivery.deliver")
    elif mode == "thread":
        _start_thread(current_app._get_current_object())
    else:
        deliver(ids)


def deliver(ids: list[int] | None = None) -> int:
    """Send the due pending messages (the given ones, or all); returns how many went out."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return _log_instead(ids)
    due = _due_ids(ids)
    sent = 0
    with smtp.Connection(config) as connection:
        for message_id in due:
            message = _claim(message_id)
            if message is None:  # another deliverer has it, or it is gone
                continue
            outcome = _send(connection, message, config["MAIL_DEFAULT_SENDER"])
            _record(message, outcome)
            sent += outcome.status == smtp.SENT
            if outcome.unreachable:
                break
    return sent


def _send(connection: smtp.Connection, message: OutboxMessage, sender: str) -> smtp.Outcome:
    try:
        email = smtp.build_message(message, sender)
    except Exception as exc:  # a header with a line break, an unencodable address...
        return smtp.Outcome(smtp.PERMANENT, f"the message could not be built: {exc}")
    try:
        return connection.send(email)
    except smtp.ConnectError as exc:
        return smtp.Outcome(smtp.TEMPORARY, str(exc), unreachable=True)
    except Exception as exc:  # never leave a claimed message behind on an unexpected error
        log.exception("sending outbox message %s failed", message.id)
        connection.close()
        return smtp.Outcome(smtp.TEMPORARY, f"unexpected error: {exc}")


def _due(now):
    return (OutboxMessage.status == OutboxStatus.PENDING) & or_(
        OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now
    )


def _due_ids(ids: list[int] | None) -> list[int]:
    _give_up_interrupted()
    query = select(OutboxMessage.id).where(_due(utcnow()))
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    found = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    db.session.commit()  # end the reading transaction before claiming, one message at a time
    return found


def _claim(message_id: int) -> OutboxMessage | None:
    now = utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _due(now))
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        return None
    return db.session.get(OutboxMessage, message_id, populate_existing=True)


def _record(message: OutboxMessage, outcome: smtp.Outcome) -> None:
    now = utcnow()
    if outcome.status == smtp.SENT:
        values = {"status": OutboxStatus.SENT, "sent_at": now, "last_error": None}
    elif outcome.status == smtp.PERMANENT:
        values = {"status": OutboxStatus.FAILED, "last_error": outcome.reason}
    elif message.attempts >= MAX_ATTEMPTS:
        values = {"status": OutboxStatus.FAILED,
                  "last_error": f"gave up after {message.attempts} attempts: {outcome.reason}"}
    else:
        retry_at = now + FIRST_RETRY * 2 ** (message.attempts - 1)
        values = {"status": OutboxStatus.PENDING, "next_attempt_at": retry_at,
                  "last_error": outcome.reason}
    if values.get("last_error"):
        values["last_error"] = values["last_error"][:2000]
        log.warning("outbox message %s to %s: %s (%s)", message.id, message.to_address,
                    outcome.status, values["last_error"])
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == OutboxStatus.SENDING)
        .values(claimed_at=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _log_instead(ids: list[int] | None) -> int:
    """No SMTP configured (development): the messages go to the log. Nothing leaves the
    machine, so there is no claim to keep apart from the outcome: one UPDATE marks the due
    messages logged and returns them, and only the deliverer whose UPDATE took a row logs it;
    one commit for the whole pass."""
    _give_up_interrupted()
    rows = db.session.connection().execute(_log_statement(ids is not None),
                                           {"now": utcnow(), "ids": ids or []}).all()
    db.session.commit()
    for to_address, subject, body_text in rows:
        log.info("Email (no SMTP configured) to %s: %s\n%s", to_address, subject, body_text)
    return len(rows)


@lru_cache(maxsize=2)
def _log_statement(given: bool):
    """Built once (a pass runs after nearly every request that queued mail): the due
    messages, or the due ones of the given ids, marked logged and returned."""
    table = OutboxMessage.__table__
    query = update(table).where(_due(bindparam("now", type_=OutboxMessage.next_attempt_at.type)))
    if given:
        query = query.where(table.c.id.in_(bindparam("ids", expanding=True)))
    return (query.values(status=OutboxStatus.LOGGED, claimed_at=None,
                         attempts=table.c.attempts + 1)
            .returning(table.c.to_address, table.c.subject, table.c.body_text))


def _give_up_interrupted() -> None:
    """Mark failed the claims older than INTERRUPTED_AFTER. At most once a minute in a process:
    a claim only becomes that old in an hour, and under a crowd a pass runs after nearly every
    request (this UPDATE was a third of the delivery thread's work)."""
    now = time.monotonic()
    last = current_app.extensions.get("mail_interrupted_checked_at")
    if last is not None and now - last < 60:
        return
    current_app.extensions["mail_interrupted_checked_at"] = now
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING,
               OutboxMessage.claimed_at < utcnow() - INTERRUPTED_AFTER)
        .values(status=OutboxStatus.FAILED, claimed_at=None,
                last_error="delivery was interrupted while sending; not sent again, since "
                           "the mail server may already have accepted it")
        .execution_options(synchronize_session=False)
    )


class _Deliverer:
    """The delivery thread of one app in this process: asked for a pass after each request
    that committed mail; asks arriving during a pass make one more pass after it (it may have
    read the outbox before their messages were committed). The thread stays for IDLE_SECONDS
    after its last pass, so a crowd of requests starts no thread at all."""

    IDLE_SECONDS = 30

    def __init__(self, app):
        self.app = app
        self.condition = threading.Condition()
        self.wanted = self.busy = self.alive = self.stopping = False
        self.thread: threading.Thread | None = None

    def stop(self) -> None:
        """End the thread after its current pass (a shutdown, or an app a test is done with:
        an idle thread keeps its app, and the app's pooled database connection, alive)."""
        with self.condition:
            self.stopping = True
            self.condition.notify_all()

    def ask(self) -> None:
        with self.condition:
            self.wanted = True
            if self.alive:
                self.condition.notify()
                return
            self.alive = True
        thread = self.thread = threading.Thread(target=self._run, name="elearn-mail",
                                                daemon=True)
        with _threads_lock:  # never taken while holding the condition (see _run)
            _threads.add(thread)
        thread.start()

    def _run(self) -> None:
        ended = False  # by _next, which already said so (a later ask starts a new thread)
        try:
            while self._next():
                try:
                    with self.app.app_context():
                        deliver()
                except Exception:  # the messages stay in the outbox for the next run
                    log.exception("background mail delivery failed")
            ended = True
        finally:
            if not ended:
                with self.condition:
                    self.alive = self.busy = False
                    self.condition.notify_all()
            with _threads_lock:
                _threads.discard(threading.current_thread())
                with self.condition:
                    if not self.alive and _deliverers.get(id(self.app)) is self:
                        del _deliverers[id(self.app)]  # let the app go

    def _next(self) -> bool:
        """Wait for an ask; False after IDLE_SECONDS without one (the thread ends)."""
        with self.condition:
            self.busy = False
            self.condition.notify_all()
            if not self.wanted and not self.stopping:
                self.condition.wait(self.IDLE_SECONDS)
            if not self.wanted:
                self.alive = False
                return False
            self.wanted, self.busy = False, True
            return True

    def idle(self) -> bool:
        return not (self.wanted or self.busy)


_deliverers: dict[int, _Deliverer] = {}


def _start_thread(app) -> None:
    with _threads_lock:
        deliverer = _deliverers.get(id(app))
        if deliverer is None or deliverer.app is not app:
            deliverer = _deliverers[id(app)] = _Deliverer(app)
    deliverer.ask()


def stop_background_delivery(app, timeout: float = 10) -> None:
    """Let app's delivery thread finish its pass and end now instead of idling."""
    with _threads_lock:
        deliverer = _deliverers.get(id(app))
    if deliverer is None or deliverer.app is not app:
        return
    deliverer.stop()
    if deliverer.thread is not None and deliverer.thread is not threading.current_thread():
        deliverer.thread.join(timeout)


def wait_for_background_delivery(timeout: float | None = None) -> bool:
    """Wait until the delivery threads have nothing left to do (tests, a clean shutdown);
    True when done."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with _threads_lock:
        deliverers = list(_deliverers.values())
    for deliverer in deliverers:
        with deliverer.condition:
            while not deliverer.idle():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                deliverer.condition.wait(left)
    return True
