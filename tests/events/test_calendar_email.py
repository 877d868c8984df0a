"""An invite travels by real SMTP with the MIME shape Outlook, Gmail and Apple Mail expect."""

from datetime import UTC, datetime, timedelta

import vobject

from elearn.events.calendar import invite_ics
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.mail.services import deliver_committed, queue


def confirmed_registration(user):
    event = Event(kind=EventKind.WORKSHOP, timezone="America/Santiago", mode=EventMode.HYBRID,
                  status=EventStatus.PUBLISHED, title_en="SME diploma opening",
                  venue_name="CEPAL", venue_city="Santiago", venue_country="CL")
    start = datetime(2026, 1, 15, 13, tzinfo=UTC)
    event.sessions.append(EventSession(title_en="Opening", starts_at=start,
                                       ends_at=start + timedelta(hours=2)))
    reg = Registration(event=event, user=user, mode=AttendanceMode.ONLINE,
                       status=RegistrationStatus.CONFIRMED)
    db.session.add(reg)
    db.session.commit()
    return reg


def send(reg, method):
    ics = invite_ics(reg, method)
    queue(reg.user.email, "Your place", "You are registered.", html="<p>You are registered.</p>",
          calendar_ics=ics, calendar_method=method)
    db.session.commit()
    deliver_committed()
    return ics


def test_request_invite_mime_structure(app, make_user, mailbox):
    reg = confirmed_registration(make_user(email="luisa@example.org"))
    ics = send(reg, "REQUEST")

    message = mailbox.last("luisa@example.org")
    assert message.get_content_type() == "multipart/mixed"
    body, attachment = message.get_payload()
    assert body.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in body.get_payload()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar_part = body.get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_content_charset() == "utf-8"
    inline = calendar_part.get_content()
    assert inline.replace("\r\n", "\n") == ics.replace("\r\n", "\n")
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    parsed = vobject.readOne(attachment.get_content().decode("utf-8"))
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.uid.value == reg.event.sessions[0].uid
    # The organiser is the address the mail came from, or Outlook refuses the RSVP.
    assert parsed.vevent.organizer.value.lower() == "mailto:" + message["From"].lower()


def test_cancel_invite_is_sent_with_method_cancel(app, make_user, mailbox):
    reg = confirmed_registration(make_user(email="pedro@example.org"))
    send(reg, "CANCEL")

    message = mailbox.last("pedro@example.org")
    calendar_part = message.get_payload()[0].get_payload()[2]
    assert calendar_part.get_param("method") == "CANCEL"
    parsed = vobject.readOne(calendar_part.get_content())
    assert parsed.method.value == "CANCEL"
    assert parsed.vevent.status.value == "CANCELLED"
