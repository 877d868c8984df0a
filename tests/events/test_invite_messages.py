"""One iTIP object per message (issue 14 point 2): Outlook and Gmail act on one VEVENT per
message, so every email carries at most one VEVENT (one UID). A change touching several
sessions sends one explanatory email (with the first session's entry) and one short
"Calendar entry n of N" message per further session; a single-session event gets one email.
Each message is read back with two independent parsers (icalendar and vobject) from what the
real SMTP server received."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import icalendar
import vobject
from babel.dates import format_skeleton
from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import Registration, RegistrationStatus
from elearn.events.services.notifications import send_reminders
from elearn.extensions import db
from elearn.mail.models import OutboxMessage, OutboxStatus
from elearn.mail.services import deliver, deliver_committed


def three_session_event(make_event, organiser, **fields):
    event = make_event(publish=False, **fields)
    first = event.sessions[0]
    for day, title in ((1, "Panel"), (2, "Closing")):
        start = services.utc_to_local(first.starts_at + timedelta(days=day), event.timezone)
        services.add_session(event, {"title_en": title, "starts_local": start,
                                     "ends_local": start + timedelta(hours=2)}, organiser)
    services.publish_event(event, organiser)
    db.session.commit()
    deliver_committed()
    return event


def calendar_parts(message):
    """(inline text/calendar part, .ics attachment text) of one email."""
    inline = attachment = None
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            inline = part
        elif part.get_content_type() == "application/ics":
            attachment = part.get_content().decode("utf-8")
    return inline, attachment


def one_vevent(message):
    """Check the message holds exactly one VEVENT for both parsers; return (method, uid,
    vobject VEVENT, raw text)."""
    inline, attachment = calendar_parts(message)
    assert inline is not None, message["Subject"]
    text = inline.get_content()
    assert attachment.replace("\r\n", "\n") == text.replace("\r\n", "\n")
    cal = icalendar.Calendar.from_ical(text)
    vevents = cal.walk("VEVENT")
    assert len(vevents) == 1, message["Subject"]
    assert len(cal.walk("VCALENDAR")) == 1
    method = str(cal["METHOD"])
    assert inline.get_param("method") == method
    vars(vobject.icalendar)["__tzidMap"].clear()
    parsed = vobject.readOne(text)
    assert len(parsed.vevent_list) == 1
    assert parsed.method.value == method
    assert parsed.vevent.uid.value == str(vevents[0]["UID"])
    return method, str(vevents[0]["UID"]), parsed.vevent, text


def test_three_sessions_confirmation_is_one_email_and_two_calendar_entries(
        app, mailbox, make_event, organiser, make_user):
    event = three_session_event(make_event, organiser)
    ana = make_user(email="ana@example.org")
    services.register(event, ana)
    db.session.commit()
    deliver_committed()

    received = mailbox.to("ana@example.org")
    assert len(received) == 3
    subjects = [m["Subject"] for m in received]
    assert subjects[0] == "Registration confirmed: Port logistics workshop"
    assert subjects[1].startswith("Calendar entry 2 of 3: Port logistics workshop – Panel, ")
    assert subjects[2].startswith("Calendar entry 3 of 3: Port logistics workshop – Closing, ")
    found = [one_vevent(m) for m in received]
    assert [method for method, *_ in found] == ["REQUEST"] * 3
    assert [uid for _m, uid, *_ in found] == [s.uid for s in event.sessions]
    # The explanatory email says more entries follow; each entry message says what it is.
    assert "first of 3 sessions" in mailbox.text_of(received[0])
    assert "entry 2 of 3" in mailbox.text_of(received[1])
    for message in received:
        text = mailbox.text_of(message)
        assert re.search(r"I will attend: http://localhost/events/reply/\S+/attend", text)
        assert re.search(r"I cannot attend: http://localhost/events/reply/\S+/decline", text)
        _m, _uid, vevent, raw = one_vevent(message)
        assert vevent.attendee.params["RSVP"] == ["FALSE"]
        assert "RSVP=FALSE" in raw.replace("\r\n ", "") and "RSVP=TRUE" not in raw

    # Exactly once: every queued message went out once, and nothing is left to send again.
    outbox = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "ana@example.org")).all()
    assert len(outbox) == 3 and {m.status for m in outbox} == {OutboxStatus.SENT}
    assert deliver() == 0
    assert len(mailbox.to("ana@example.org")) == 3


def test_single_session_event_sends_one_email(app, mailbox, make_event, make_user):
    event = make_event()
    services.register(event, make_user(email="solo@example.org"))
    db.session.commit()
    deliver_committed()

    (message,) = mailbox.to("solo@example.org")
    method, uid, _vevent, _raw = one_vevent(message)
    assert (method, uid) == ("REQUEST", event.sessions[0].uid)
    assert "its own short message" not in mailbox.text_of(message)


def test_cancelling_sends_one_cancel_per_session(app, mailbox, make_event, organiser,
                                                 make_user):
    event = three_session_event(make_event, organiser)
    reg = services.register(event, make_user(email="leo@example.org"))
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    services.cancel_registration(reg, reg.user)
    db.session.commit()
    deliver_committed()

    received = mailbox.to("leo@example.org")
    assert [m["Subject"].split(":")[0] for m in received] == [
        "Registration cancelled", "Calendar entry 2 of 3, cancelled",
        "Calendar entry 3 of 3, cancelled"]
    found = [one_vevent(m) for m in received]
    assert {method for method, *_ in found} == {"CANCEL"}
    assert [uid for _m, uid, *_ in found] == [s.uid for s in event.sessions]
    assert {v.status.value for _m, _u, v, _r in found} == {"CANCELLED"}
    assert "I will attend" not in mailbox.text_of(received[0])  # nothing left to answer


def test_a_changed_session_sends_only_its_own_entry(app, mailbox, make_event, organiser,
                                                    make_user):
    event = three_session_event(make_event, organiser)
    services.register(event, make_user(email="eva@example.org"))
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    second = event.sessions[1]
    start = services.utc_to_local(second.starts_at + timedelta(hours=1), event.timezone)
    services.update_session(second, {"title_en": "Panel", "starts_local": start,
                                     "ends_local": start + timedelta(hours=2)}, organiser)
    db.session.commit()
    deliver_committed()

    (message,) = mailbox.to("eva@example.org")
    assert message["Subject"] == "Updated: Port logistics workshop"
    method, uid, vevent, _raw = one_vevent(message)
    assert (method, uid, vevent.sequence.value) == ("REQUEST", second.uid, "1")


def test_cancelled_session_sends_one_cancel_for_its_uid(app, mailbox, make_event, organiser,
                                                        make_user):
    event = three_session_event(make_event, organiser)
    services.register(event, make_user(email="raul@example.org"))
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    gone = event.sessions[2]
    services.remove_session(gone, organiser)
    db.session.commit()
    deliver_committed()

    (message,) = mailbox.to("raul@example.org")
    assert one_vevent(message)[:2] == ("CANCEL", gone.uid)


def test_event_cancelled_sends_one_cancel_per_live_session(app, mailbox, make_event,
                                                           organiser, make_user):
    event = three_session_event(make_event, organiser)
    services.register(event, make_user(email="ines@example.org"))
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    services.cancel_event(event, organiser)
    db.session.commit()
    deliver_committed()

    received = mailbox.to("ines@example.org")
    assert len(received) == 3
    assert [one_vevent(m)[:2] for m in received] == [("CANCEL", s.uid) for s in event.sessions]


def test_reminder_carries_only_the_reminded_session(app, mailbox, make_event, organiser,
                                                    make_user):
    event = three_session_event(make_event, organiser, starts_in=timedelta(hours=5))
    services.register(event, make_user(email="tom@example.org"))
    db.session.commit()
    deliver_committed()
    mailbox.clear()
    assert send_reminders() == 1
    db.session.commit()
    deliver_committed()

    (message,) = mailbox.to("tom@example.org")
    assert one_vevent(message)[:2] == ("REQUEST", event.sessions[0].uid)


def test_organizer_is_the_configured_mailbox(app, mailbox, make_event, make_user):
    app.config["CALENDAR_ORGANIZER"] = "Events team <events-team@sela.example>"
    event = make_event()
    services.register(event, make_user(email="org@example.org"))
    db.session.commit()
    deliver_committed()

    _m, _u, vevent, _raw = one_vevent(mailbox.last("org@example.org"))
    assert vevent.organizer.value.lower() == "mailto:events-team@sela.example"
    assert vevent.organizer.params["CN"] == ["Events team"]

    app.config["CALENDAR_ORGANIZER"] = "desk@sela.example"  # no name: the organisation's
    reg = db.session.scalar(select(Registration).where(Registration.event_id == event.id))
    services.cancel_registration(reg, reg.user)
    db.session.commit()
    deliver_committed()
    _m, _u, vevent, _raw = one_vevent(mailbox.last("org@example.org"))
    assert vevent.organizer.value.lower() == "mailto:desk@sela.example"
    assert vevent.organizer.params["CN"] == [app.config["ORGANISATION_NAME"]]


def test_waitlisted_guess_gone_wrong_withdraws_every_queued_entry(app, make_event, organiser,
                                                                  make_user, monkeypatch):
    """Registering writes the email on a guess and redoes it when the seat went elsewhere:
    every calendar entry of the wrong guess goes, not only the first."""
    event = three_session_event(make_event, organiser, capacity_online=1)
    from elearn.events.services import registration as rules

    monkeypatch.setattr(rules, "seats_left", lambda *_a: 1)  # the guess: a seat is free
    services.register(event, make_user())
    services.register(event, make_user(email="late@example.org"))  # the guess was wrong
    db.session.commit()
    late = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED))
    assert late is not None
    queued = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.to_address == "late@example.org"))
    assert queued == 1  # the waiting-list email only; no calendar entries


def test_entry_subject_gives_the_session_date_in_the_event_zone(app, mailbox, make_event,
                                                                organiser, make_user):
    event = three_session_event(make_event, organiser, timezone="America/Santiago")
    services.register(event, make_user(email="zoe@example.org"))
    db.session.commit()
    deliver_committed()

    local = event.sessions[2].starts_at.astimezone(ZoneInfo("America/Santiago"))
    day = format_skeleton("yMMMEd", local, locale="en")
    subject = mailbox.to("zoe@example.org")[2]["Subject"]
    assert subject.startswith(f"Calendar entry 3 of 3: Port logistics workshop – Closing, {day} ")
