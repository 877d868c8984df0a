"""The one mail service: queue messages in the outbox, deliver them after the transaction that
queued them commits, retry what failed; forget what was queued for an erased person.

Callers use `queue()` (or `send_template()` for a message rendered in the recipient's language)
inside their own transaction and commit as usual; `deliver_committed()` runs after each request
and each CLI command and hands what was committed to a deliverer (a background thread, an RQ
job, or inline in tests), so no request waits for the mail server. `deliver()` (delivery.py)
sends message by message and records each outcome as soon as the server answers.
"""

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from elearn.db_writes import insert_row
from elearn.extensions import db
from elearn.i18n import template_gettext

from .delivery import MAX_ATTEMPTS, deliver, hand_over, wait_for_background_delivery
from .models import OutboxAttachment, OutboxMessage

__all__ = ["MAX_ATTEMPTS", "deliver", "deliver_committed", "forget_recipient", "queue",
           "send_template", "wait_for_background_delivery"]
_PENDING = "outbox_flushed_ids"
_COMMITTED = "outbox_committed_ids"


def queue(to: str, subject: str, text: str, *, html: str | None = None,
          calendar_ics: str | None = None, calendar_method: str | None = None,
          attachments: list[tuple[str, str, bytes]] | None = None) -> OutboxMessage:
    values = {"to_address": to, "subject": subject[:300], "body_text": text, "body_html": html,
              "calendar_ics": calendar_ics, "calendar_method": calendar_method}
    if not attachments:  # written at once, one statement (elearn.db_writes): a crowd registers
        message = insert_row(OutboxMessage, values)
        db.session.info.setdefault(_PENDING, []).append(message.id)
        return message
    message = OutboxMessage(**values)
    for filename, content_type, data in attachments:
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
        # The catalogue found once for each body, not at each of its words.
        text = render_template(f"{template}.txt", user=user, **context,
                               **template_gettext(markup=False))
        html = None
        if current_app.jinja_env.loader and _template_exists(f"{template}.html"):
            html = render_template(f"{template}.html", user=user, **context,
                                   **template_gettext())
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


def forget_recipient(address: str) -> int:
    """Delete every outbox message to `address` (any letter case), with its attachments, in
    the caller's transaction (erasure of a person). Returns how many messages went."""
    ids = list(db.session.scalars(
        select(OutboxMessage.id).where(func.lower(OutboxMessage.to_address) == address.lower())
    ))
    if not ids:
        return 0
    # attachments first: SQLite does not enforce the ON DELETE CASCADE unless told to
    db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(ids)))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return len(ids)


def deliver_committed(mode: str | None = None) -> None:
    """Hand the messages whose transaction has committed to a deliverer (after each request
    and command). `mode` overrides MAIL_DELIVERY: "inline", "thread" or "rq"."""
    ids = db.session.info.pop(_COMMITTED, None)
    if ids:
        hand_over(ids, mode)


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
