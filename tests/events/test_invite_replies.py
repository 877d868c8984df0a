"""Replies that mean something (issue 14 point 3), through the web: invites say RSVP=FALSE and
every invitation email carries "I will attend" / "I cannot attend" links that work without
logging in (a signed, expiring token naming the registration). Declining cancels the
registration the way the person cancelling it themselves does: the seat goes to the waiting
list, whose first person gets the invite. Bad links get a 4xx page, never a 500."""

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.audit.models import AuditRecord
from elearn.events import services
from elearn.events.models import InviteReply, Registration, RegistrationStatus
from elearn.events.services.reply_tokens import REPLY_TOKEN_MAX_AGE, reply_token
from elearn.extensions import db
from elearn.mail.services import deliver_committed


def registered(event, user):
    reg = services.register(event, user)
    db.session.commit()
    deliver_committed()
    return reg


def link(mailbox, address, answer):
    """The path of the attend/decline link in the last email to `address` that has one."""
    for message in reversed(mailbox.to(address)):
        found = re.search(rf"http://localhost(/events/reply/\S+/{answer})",
                          mailbox.text_of(message))
        if found:
            return found.group(1)
    raise AssertionError(f"no {answer} link for {address}")


def fresh(reg):
    db.session.expire_all()
    return db.session.get(Registration, reg.id)


def test_decline_link_frees_the_seat_and_promotes_the_waiting_list(client, mailbox,
                                                                   make_event, make_user):
    event = make_event(capacity_online=1)
    ana = registered(event, make_user(email="ana@example.org"))
    beto = registered(event, make_user(email="beto@example.org"))
    assert (ana.status, beto.status) == (RegistrationStatus.CONFIRMED,
                                         RegistrationStatus.WAITLISTED)
    decline = link(mailbox, "ana@example.org", "decline")
    html = mailbox.last("ana@example.org").get_body(("html",)).get_content()
    assert "I will attend</a>" in html and "I cannot attend</a>" in html

    # Opening the link (as mail scanners do) changes nothing: it asks first.
    page = client.get(decline)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Cancel your registration for Port logistics workshop?" in text
    assert "Your seat will be released and given to the next person on the waiting list." \
        in text
    assert 'name="confirmed" value="1"' in text
    assert fresh(ana).status == RegistrationStatus.CONFIRMED

    done = client.post(decline, data={"confirmed": "1"})
    assert done.status_code == 200
    assert "Your registration is cancelled" in done.get_data(as_text=True)
    ana, beto = fresh(ana), fresh(beto)
    assert ana.status == RegistrationStatus.CANCELLED
    assert ana.reply == InviteReply.DECLINED and ana.replied_at is not None
    assert beto.status == RegistrationStatus.CONFIRMED
    assert beto.event.seats_taken_online == 1

    deliver_committed()
    cancel = mailbox.last("ana@example.org")
    assert cancel["Subject"] == "Registration cancelled: Port logistics workshop"
    assert "METHOD:CANCEL" in _calendar(cancel)
    promoted = mailbox.last("beto@example.org")
    assert promoted["Subject"] == "A seat is yours: Port logistics workshop"
    assert "METHOD:REQUEST" in _calendar(promoted)
    assert link(mailbox, "beto@example.org", "attend")  # the promoted invite has links too
    audit = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "event.registration_cancelled",
        AuditRecord.subject_id == str(ana.id)))
    assert audit is not None and audit.actor_id == ana.user_id

    # The same link again: the registration is no longer active.
    again = client.post(decline, data={"confirmed": "1"})
    assert again.status_code == 409
    assert client.get(link(mailbox, "ana@example.org", "attend")).status_code == 409


def test_attend_link_records_the_answer_for_the_organisers(client, login, mailbox, organiser,
                                                           make_event, make_user):
    event = make_event()
    reg = registered(event, make_user(email="carla@example.org", full_name="Carla Ruiz"))
    attend = link(mailbox, "carla@example.org", "attend")

    asked = client.get(attend)
    assert asked.status_code == 200
    assert fresh(reg).reply is None
    done = client.post(attend, data={"confirmed": "1"})
    assert done.status_code == 200
    assert "Thank you: you will attend" in done.get_data(as_text=True)
    reg = fresh(reg)
    assert reg.reply == InviteReply.ATTENDING and reg.replied_at is not None
    assert reg.status == RegistrationStatus.CONFIRMED
    assert db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "event.registration_reply")) is not None
    # A second click is harmless.
    assert client.post(attend, data={"confirmed": "1"}).status_code == 200

    login(organiser)
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    row = page[page.index("Carla Ruiz"):][:1500]
    assert "Will attend" in row


def test_answered_invites_say_accepted(app, mailbox, make_event, make_user, organiser):
    event = make_event()
    reg = registered(event, make_user(email="dora@example.org"))
    from elearn.events.services import replies

    replies.attend(reg)
    db.session.commit()
    start = services.utc_to_local(event.sessions[0].starts_at + timedelta(hours=1),
                                  event.timezone)
    services.update_session(event.sessions[0], {"title_en": "Opening", "starts_local": start,
                                                "ends_local": start + timedelta(hours=1)},
                            organiser)
    db.session.commit()
    deliver_committed()
    ics = _calendar(mailbox.last("dora@example.org")).replace("\r\n ", "")
    assert "PARTSTAT=ACCEPTED" in ics and "RSVP=FALSE" in ics


@pytest.mark.parametrize("answer", ["attend", "decline"])
def test_tampered_token_is_refused(client, mailbox, make_event, make_user, answer):
    reg = registered(make_event(), make_user(email="eli@example.org"))
    path = link(mailbox, "eli@example.org", answer)
    token = path.split("/")[3]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for bad in (tampered, "not-a-token", token.replace(".", "", 1)):
        for method in (client.get, client.post):
            response = method(f"/events/reply/{bad}/{answer}", data={"confirmed": "1"})
            assert response.status_code == 400, bad
            assert "This link does not work" in response.get_data(as_text=True)
    assert fresh(reg).status == RegistrationStatus.CONFIRMED and fresh(reg).reply is None


def test_expired_token_is_refused(client, make_event, make_user, monkeypatch):
    reg = registered(make_event(), make_user())
    signed_at = time.time() - REPLY_TOKEN_MAX_AGE - 60
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: signed_at)
        token = reply_token(reg)
    for answer in ("attend", "decline"):
        response = client.post(f"/events/reply/{token}/{answer}", data={"confirmed": "1"})
        assert response.status_code == 410
        assert "This link has expired" in response.get_data(as_text=True)
    assert fresh(reg).status == RegistrationStatus.CONFIRMED


def test_token_of_a_cancelled_or_unknown_registration_is_refused(client, make_event,
                                                                make_user):
    event = make_event()
    reg = registered(event, make_user())
    token = reply_token(reg)
    services.cancel_registration(reg, reg.user)
    db.session.commit()
    for answer in ("attend", "decline"):
        response = client.post(f"/events/reply/{token}/{answer}", data={"confirmed": "1"})
        assert response.status_code == 409
        assert "no longer active" in response.get_data(as_text=True)

    other = registered(event, make_user())
    forged_for_gone = reply_token(other)
    db.session.delete(fresh(other))
    db.session.commit()
    assert client.get(f"/events/reply/{forged_for_gone}/attend").status_code == 404


def test_token_of_a_cancelled_event_is_refused(client, make_event, make_user, organiser):
    event = make_event()
    reg = registered(event, make_user())
    token = reply_token(reg)
    services.cancel_event(event, organiser)
    db.session.commit()
    response = client.get(f"/events/reply/{token}/decline")
    assert response.status_code == 409
    assert "This event was cancelled." in response.get_data(as_text=True)


def test_registering_again_forgets_the_old_answer(app, make_event, make_user):
    event = make_event()
    reg = registered(event, make_user())
    from elearn.events.services import replies

    replies.attend(reg)
    services.cancel_registration(reg, reg.user)
    services.register(event, reg.user)
    db.session.commit()
    assert fresh(reg).reply is None


def _calendar(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_content()
    raise AssertionError("no calendar part")
