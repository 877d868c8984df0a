"""Emails to participants, each rendered in the recipient's language, with the calendar invite
(REQUEST, or CANCEL) attached where their calendar should change.

One calendar object per message: Outlook and Gmail act on one VEVENT (one UID) per message,
so a change touching several sessions sends the person ONE explanatory email, carrying the
first session's calendar entry, and one short message per further session ("Calendar entry
2 of 3: ..."), all queued in the same transaction (the outbox sends each exactly once).
A single-session event therefore gets one email per change, as before. Every invitation
(REQUEST) offers "I will attend" / "I cannot attend" links (services/replies.py): invites
say RSVP=FALSE, so no calendar REPLY is left unread.
"""

from datetime import timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import exists, select, update
from sqlalchemy.orm import selectinload

from elearn.audit.services import record
from elearn.extensions import db
from elearn.i18n import day_and_time_in_zone
from elearn.mail.models import OutboxMessage
from elearn.mail.services import send_template
from elearn.multilingual import text_in

from ..calendar import invite_ics
from ..calendar_build import session_title
from ..models import (
    Event,
    EventSession,
    EventStatus,
    RegistrantMessage,
    Registration,
    RegistrationStatus,
)
from .common import registrations_with_status, utcnow
from .reply_tokens import reply_links

REMINDER_WINDOW = timedelta(hours=24)


def _title(event: Event) -> str:
    """The event's title in the language being rendered (send_template forces the recipient's)."""
    return text_in(event.title, str(get_locale() or "en"), event.language)


def _when(session: EventSession, event: Event) -> str:
    """'Tue, Mar 10, 2026 10:00 AM' in the event's zone and the language being rendered."""
    return day_and_time_in_zone(session.starts_at, event.timezone)


def _session_words(session: EventSession, event: Event) -> str:
    return f"{session_title(event, session, str(get_locale() or 'en'))}, {_when(session, event)}"


def _concerned(reg: Registration, sessions) -> list[EventSession]:
    """The sessions whose calendar entry changes: those given, or every session not called
    off (a called-off one already left the calendar with its own CANCEL)."""
    if sessions is not None:
        return list(sessions)
    return [s for s in reg.event.sessions if not s.cancelled]


def _send(reg: Registration, template: str, subject, method: str | None = None,
          sessions=None, **context) -> list[OutboxMessage]:
    """The explanatory email (with the first session's calendar entry), then one short
    message per further session. Returns every message queued, the explanatory one first."""
    concerned = _concerned(reg, sessions) if method else []
    first = concerned[0] if concerned else None
    ics = invite_ics(reg, method=method, session=first) if first else None
    links = reply_links(reg) if ics and method == "REQUEST" else None
    messages = [send_template(
        reg.user, f"email/events/{template}", subject,
        registration=reg, event=reg.event, calendar_ics=ics,
        calendar_method=method if ics else None,
        calendar_total=len(concerned), reply_links=links, **context,
    )]
    total = len(concerned)
    for number, session in enumerate(concerned[1:], start=2):
        messages.append(_calendar_entry(reg, method, session, number, total, links))
    return messages


def _calendar_entry(reg: Registration, method: str, session: EventSession, number: int,
                    total: int, links: dict | None) -> OutboxMessage:
    event = reg.event
    if method == "CANCEL":
        def subject():
            return _("Calendar entry %(number)d of %(total)d, cancelled: %(session)s",
                     number=number, total=total, session=_session_words(session, event))
    else:
        def subject():
            return _("Calendar entry %(number)d of %(total)d: %(session)s",
                     number=number, total=total, session=_session_words(session, event))
    return send_template(
        reg.user, "email/events/calendar_entry", subject,
        registration=reg, event=event, session=session, number=number, total=total,
        calendar_ics=invite_ics(reg, method=method, session=session), calendar_method=method,
        reply_links=links,
    )


def withdraw(messages: list[OutboxMessage]) -> None:
    """Take back the messages of one notification (queued in this transaction, not sent)."""
    for message in messages:
        db.session.delete(message)


def confirmed(reg: Registration):
    return _send(reg, "confirmed", lambda: _("Registration confirmed: %(title)s",
                                              title=_title(reg.event)), "REQUEST")


def waitlisted(reg: Registration):
    return _send(reg, "waitlisted", lambda: _("You are on the waiting list: %(title)s",
                                               title=_title(reg.event)))


def pending(reg: Registration):
    return _send(reg, "pending", lambda: _("Registration received, awaiting approval: %(title)s",
                                            title=_title(reg.event)))


def approved(reg: Registration):
    return _send(reg, "approved", lambda: _("Registration approved: %(title)s",
                                             title=_title(reg.event)), "REQUEST")


def rejected(reg: Registration):
    return _send(reg, "rejected", lambda: _("Registration not accepted: %(title)s",
                                             title=_title(reg.event)))


def promoted(reg: Registration):
    return _send(reg, "promoted", lambda: _("A seat is yours: %(title)s",
                                             title=_title(reg.event)), "REQUEST")


def moved(reg: Registration, by_self: bool = False):
    return _send(reg, "moved", lambda: _("Your participation changed: %(title)s",
                                          title=_title(reg.event)), "REQUEST", by_self=by_self)


def event_updated(reg: Registration, sessions: list[EventSession] | None = None):
    """`sessions`: those whose time, place or link changed (default: every live one)."""
    return _send(reg, "updated", lambda: _("Updated: %(title)s", title=_title(reg.event)),
                 "REQUEST", sessions=sessions)


def session_cancelled(reg: Registration, session: EventSession):
    """One session called off: a CANCEL for that session's UID only."""
    return _send(reg, "session_cancelled",
                 lambda: _("Session cancelled: %(title)s", title=_title(reg.event)),
                 "CANCEL", sessions=[session], session=session)


def registration_cancelled(reg: Registration, had_seat: bool, reason: str | None = None):
    """`had_seat`: the person was confirmed, so their calendar holds the event (CANCEL)."""
    return _send(reg, "registration_cancelled",
                 lambda: _("Registration cancelled: %(title)s", title=_title(reg.event)),
                 "CANCEL" if had_seat else None, reason=reason)


def role_set(reg: Registration):
    return _send(reg, "role_set", lambda: _("Your role at %(title)s", title=_title(reg.event)),
                 "REQUEST" if reg.status == RegistrationStatus.CONFIRMED else None)


def event_cancelled(reg: Registration):
    had_seat = reg.status == RegistrationStatus.CONFIRMED
    return _send(reg, "event_cancelled", lambda: _("Cancelled: %(title)s",
                                                    title=_title(reg.event)),
                 "CANCEL" if had_seat else None)


def reminder(reg: Registration, session: EventSession):
    """The reminder carries the reminded session's calendar entry only."""
    return _send(reg, "reminder", lambda: _("Reminder: %(title)s starts soon",
                                             title=_title(reg.event)), "REQUEST",
                 sessions=[session], session=session)


def send_reminders(now=None) -> int:
    """Remind confirmed people whose event's next session starts within 24 hours, once."""
    now = now or utcnow()
    soon = exists().where(
        EventSession.event_id == Registration.event_id,
        EventSession.cancelled.is_(False),
        EventSession.starts_at > now,
        EventSession.starts_at <= now + REMINDER_WINDOW,
    )
    regs = list(db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .options(selectinload(Registration.user),
                 selectinload(Registration.event).selectinload(Event.sessions))
        .where(Registration.status == RegistrationStatus.CONFIRMED,
               Registration.reminder_sent_at.is_(None),
               Event.status == EventStatus.PUBLISHED, soon)
        .order_by(Registration.id)
    ))
    sent = 0
    for reg in regs:
        # Claimed by a conditional UPDATE: a second run at once (two schedulers, a manual run)
        # waits on the row until this one commits, then finds it claimed and sends nothing.
        if db.session.execute(
                update(Registration).where(Registration.id == reg.id,
                                           Registration.reminder_sent_at.is_(None))
                .values(reminder_sent_at=now)
                .execution_options(synchronize_session=False)).rowcount != 1:
            continue
        session = min((s for s in reg.event.sessions if not s.cancelled and s.starts_at > now),
                      key=lambda s: s.starts_at)
        reminder(reg, session)
        reg.reminder_sent_at = now
        sent += 1
    return sent


def sent_messages(event: Event, limit: int = 20) -> list[RegistrantMessage]:
    """The messages sent to the event's registrants, latest first."""
    return list(db.session.scalars(
        select(RegistrantMessage).where(RegistrantMessage.event_id == event.id)
        .order_by(RegistrantMessage.sent_at.desc(), RegistrantMessage.id.desc()).limit(limit)))


def version_for(user, versions: dict, main: str) -> str:
    """The language of the version a person receives: theirs when the organiser wrote it,
    else the main one."""
    language = getattr(user, "preferred_language", None)
    return language if language in versions else main


def email_registrants(event: Event, versions: dict, statuses, actor) -> int:
    """One message per person, in their language when the organiser wrote that version (else
    the event's main language), inside a wrapper in the person's own language. `versions` is
    {language: {"subject", "body"}} and holds the main language (Event.language). What was
    written is kept (RegistrantMessage); the messages are queued through the outbox by a job
    (a worker's, once this transaction commits, when REDIS_URL is set; inline otherwise), so
    a message to hundreds of people does not hold up the organiser's page."""
    from elearn.jobs import enqueue_after_commit

    main = event.language if event.language in versions else next(iter(versions))
    statuses = list(statuses) or [RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
                                  RegistrationStatus.WAITLISTED]
    regs = registrations_with_status(event, statuses)
    message = RegistrantMessage(event_id=event.id, sent_by_id=getattr(actor, "id", None),
                                main_language=main, versions=versions,
                                statuses=[s.value for s in statuses], recipients=len(regs))
    db.session.add(message)
    db.session.flush()
    record("event.emailed", event, actor=actor,
           after={"subject": versions[main]["subject"][:200], "recipients": len(regs),
                  "languages": sorted(versions), "message_id": message.id,
                  "statuses": [s.value for s in statuses]})
    enqueue_after_commit("elearn.events.services.notifications.write_registrant_emails",
                         message.id, [reg.id for reg in regs], actor.display_name)
    return len(regs)


def write_registrant_emails(message_id: int, registration_ids: list[int],
                            sender_name: str) -> int:
    """Job (email_registrants): the messages to the registrations chosen when the organiser
    sent it, in one transaction, so a retried job never writes half of them twice."""
    message = db.session.get(RegistrantMessage, message_id)
    if message is None:
        return 0
    event = db.session.get(Event, message.event_id)
    regs = list(db.session.scalars(
        select(Registration).options(selectinload(Registration.user))
        .where(Registration.id.in_(registration_ids)).order_by(Registration.id)))
    counts: dict[str, int] = {}
    for reg in regs:
        language = version_for(reg.user, message.versions, message.main_language)
        version = message.versions[language]
        send_template(reg.user, "email/events/message", version["subject"], registration=reg,
                      event=event, body=version["body"], sender_name=sender_name,
                      version_language=language)
        counts[language] = counts.get(language, 0) + 1
    message.sent_versions = counts
    return len(regs)
