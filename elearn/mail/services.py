"""The one mail service: queue messages in the outbox, deliver them after the transaction that
queued them commits, retry what failed.

Callers use `queue()` (or `send_template()` for a message rendered in the recipient's language)
inside their own transaction and commit as usual; `deliver_committed()` runs after each request
and each CLI command and sends what was committed. With REDIS_URL set, delivery is an RQ job.
"""

import logging

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.integrations import smtp

from .models import OutboxAttachment, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
_PENDING = "outbox_flushed_ids"
_COMMITTED = "outbox_committed_ids"


def queue(to: str, subject: str, text: str, *, html: str | None = None,
          calendar_ics: str | None = None, calendar_method: str | None = None,
          attachments: list[tuple[str, str, bytes]] | None = None) -> OutboxMessage:
    message = OutboxMessage(
        to_address=to, subject=subject[:300], body_text=text, body_html=html,
        calendar_ics=calendar_ics, calendar_method=calendar_method,
    )
    for filename, content_type, data in attachments or []:
        message.attachments.append(
            OutboxAttachment(filename=filename, content_type=content_type, data=data)
        )
    db.session.add(message)
    return message


def send_template(user, template: str, subject: str, **context) -> OutboxMessage:
    """Render `templates/<template>.txt` (and `.html` when it exists) in the user's language.

    `subject` is a callable or lazy string so it is translated inside the user's locale.
    """
    language = getattr(user, "preferred_language", None) or "en"
    with force_locale(language):
        text = render_template(f"{template}.txt", user=user, **context)
        html = None
        if current_app.jinja_env.loader and _template_exists(f"{template}.html"):
            html = render_template(f"{template}.html", user=user, **context)
        subject_text = str(subject() if callable(subject) else subject)
    return queue(user.email, subject_text, text, html=html,
                 calendar_ics=context.get("calendar_ics"),
                 calendar_method=context.get("calendar_method"),
                 attachments=context.get("attachments"))


def _template_exists(name: str) -> bool:
    try:
        current_app.jinja_env.get_template(name)
        return True
    except Exception:  # TemplateNotFound: plain-text only message
        return False


@event.listens_for(Session, "after_flush")
def _collect_new(session, flush_context):
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        session.info.setdefault(_PENDING, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _mark_committed(session):
    ids = session.info.pop(_PENDING, None)
    if ids:
        session.info.setdefault(_COMMITTED, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_PENDING, None)


def deliver_committed() -> None:
    """Send the messages whose transaction has committed (called after requests/commands)."""
    ids = db.session.info.pop(_COMMITTED, None)
    if not ids:
        return
    if current_app.config.get("REDIS_URL") and not current_app.config.get("MAIL_INLINE"):
        from elearn.jobs import enqueue

        enqueue("elearn.mail.services.deliver", ids)
        return
    deliver(ids)


def deliver(ids: list[int] | None = None) -> int:
    """Send pending messages (the given ones, or every pending one); returns how many left."""
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    messages = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    if not messages:
        return 0
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        for message in messages:
            log.info("Email (no SMTP configured) to %s: %s\n%s",
                     message.to_address, message.subject, message.body_text)
            message.status = OutboxStatus.LOGGED
        db.session.commit()
        return len(messages)
    sender = config["MAIL_DEFAULT_SENDER"]
    try:
        smtp.send([smtp.build_message(m, sender) for m in messages], config)
    except (OSError, Exception) as exc:  # smtplib errors and network failures alike
        log.warning("SMTP delivery failed, kept in outbox: %s", exc)
        for message in messages:
            message.attempts += 1
            message.last_error = str(exc)[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
        db.session.commit()
        return 0
    now = utcnow()
    for message in messages:
        message.attempts += 1
        message.status = OutboxStatus.SENT
        message.sent_at = now
    db.session.commit()
    return len(messages)


def forget_recipient(address: str) -> int:
    """Delete every outbox message to `address` (erasure of its owner); returns how many."""
    messages = db.session.scalars(select(OutboxMessage).where(
        db.func.lower(OutboxMessage.to_address) == (address or "").strip().lower()))
    count = 0
    for message in messages:
        db.session.delete(message)  # attachments go with it (cascade)
        count += 1
    return count
