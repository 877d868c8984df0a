"""Organisers cancelling someone's registration, setting roles (panel parity) and adding
speakers; the event's cancellation bumping SEQUENCE; links to the calendar feed and
certificates."""

import vobject
from sqlalchemy import select

from elearn.audit.models import AuditRecord
from elearn.events import services
from elearn.events.models import ParticipantRole, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.mail.services import deliver_committed


def _commit():
    db.session.commit()
    deliver_committed()


def _calendar(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            content = part.get_content()
            return content.decode() if isinstance(content, bytes) else content
    return None


def _full_event(make_event, make_user):
    """One online seat: Ana holds it, Bea waits."""
    event = make_event(capacity_online=1)
    ana = make_user(email="ana@example.org", full_name="Ana Pérez")
    bea = make_user(email="bea@example.org", full_name="Bea Brown")
    first = services.register(event, ana)
    second = services.register(event, bea)
    _commit()
    assert (first.status, second.status) == (RegistrationStatus.CONFIRMED,
                                             RegistrationStatus.WAITLISTED)
    return event, first, second


def test_organiser_cancels_with_reason_promotes_and_tells(client, login, organiser, make_event,
                                                          make_user, mailbox, reload):
    event, first, second = _full_event(make_event, make_user)
    mailbox.clear()
    login(organiser)
    dashboard = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert f"/organise/registrations/{first.id}" in dashboard
    form = client.get(f"/organise/registrations/{first.id}")
    assert form.status_code == 200 and "Ana Pérez" in form.get_data(as_text=True)
    refused = client.post(f"/organise/registrations/{first.id}/cancel", data={"reason": " "})
    assert refused.status_code == 400
    assert "This field is required" in refused.get_data(as_text=True) or \
        'aria-invalid="true"' in refused.get_data(as_text=True)
    assert db.session.get(Registration, first.id).status == RegistrationStatus.CONFIRMED

    done = client.post(f"/organise/registrations/{first.id}/cancel",
                       data={"reason": "Duplicate of another delegate's seat"})
    assert done.status_code == 303
    db.session.expire_all()
    first, second = db.session.get(Registration, first.id), db.session.get(Registration,
                                                                              second.id)
    assert first.status == RegistrationStatus.CANCELLED
    assert first.cancellation_reason == "Duplicate of another delegate's seat"
    assert second.status == RegistrationStatus.CONFIRMED
    assert reload(event).seats_taken_online == 1
    told = mailbox.last("ana@example.org")
    assert "Duplicate of another delegate's seat" in mailbox.text_of(told)
    assert "METHOD:CANCEL" in _calendar(told)
    assert "METHOD:REQUEST" in _calendar(mailbox.last("bea@example.org"))
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "event.registration_cancelled",
        AuditRecord.subject_id == str(first.id)))
    assert entry.actor_id == organiser.id and entry.after["reason"].startswith("Duplicate")

    again = client.post(f"/organise/registrations/{first.id}/cancel", data={"reason": "x"})
    assert again.status_code == 303  # flashed conflict, nothing changed
    assert db.session.get(Registration, first.id).cancelled_at is not None


def test_only_organisers_cancel_other_peoples_registrations(client, login, make_event,
                                                            make_user):
    event, first, second = _full_event(make_event, make_user)
    login(second.user)
    assert client.get(f"/organise/registrations/{first.id}").status_code == 403
    response = client.post(f"/organise/registrations/{first.id}/cancel",
                           data={"reason": "I want the seat"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, first.id).status == RegistrationStatus.CONFIRMED
    try:
        services.cancel_for_participant(first, "no", second.user)
    except services.EventError as exc:
        assert exc.status == 403
    else:
        raise AssertionError("a participant cancelled someone else")


def test_naming_a_participant_speaker_frees_the_seat(client, login, organiser, make_event,
                                                     make_user, mailbox, reload):
    event, first, second = _full_event(make_event, make_user)
    mailbox.clear()
    login(organiser)
    response = client.post(f"/organise/registrations/{first.id}/role", data={"role": "speaker"})
    assert response.status_code == 303
    db.session.expire_all()
    first, second = db.session.get(Registration, first.id), db.session.get(Registration,
                                                                              second.id)
    assert first.role == ParticipantRole.SPEAKER
    assert first.status == RegistrationStatus.CONFIRMED
    # Speakers take no participant seat: Bea gets Ana's.
    assert second.status == RegistrationStatus.CONFIRMED
    assert reload(event).seats_taken_online == 1
    assert "Speaker" in mailbox.text_of(mailbox.last("ana@example.org"))
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "event.registration_role"))
    assert entry.before == {"role": "participant", "status": "confirmed"}
    assert entry.after == {"role": "speaker", "status": "confirmed"}

    # Back to participant needs a seat, and none is left.
    back = client.post(f"/organise/registrations/{first.id}/role",
                       data={"role": "participant"})
    assert back.status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, first.id).role == ParticipantRole.SPEAKER
    assert "No seat is left" in client.get(f"/organise/events/{event.id}").get_data(
        as_text=True)


def test_speaker_cancelling_frees_no_seat(organiser, make_event, make_user, reload):
    event, first, second = _full_event(make_event, make_user)
    services.set_role(first, "chair", organiser)
    _commit()
    assert reload(event).seats_taken_online == 1  # Bea's
    services.cancel_registration(db.session.get(Registration, first.id), first.user)
    _commit()
    assert reload(event).seats_taken_online == 1


def test_waitlisted_person_named_moderator_is_confirmed(organiser, make_event, make_user,
                                                        reload):
    event, first, second = _full_event(make_event, make_user)
    services.set_role(second, ParticipantRole.MODERATOR, organiser)
    _commit()
    second = db.session.get(Registration, second.id)
    assert second.status == RegistrationStatus.CONFIRMED and second.waitlisted_at is None
    assert reload(event).seats_taken_online == 1  # still only Ana's seat


def test_role_refusals(organiser, make_event, make_user):
    event, first, second = _full_event(make_event, make_user)
    for role, status in (("queen", 400), ("participant", 409)):
        try:
            services.set_role(first, role, organiser)
        except services.EventError as exc:
            assert exc.status == status
        else:
            raise AssertionError(role)
    db.session.rollback()


def test_add_speaker_by_email(client, login, organiser, make_event, make_user, mailbox, reload):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1,
                       eligible_countries=["VE"])
    guest = make_user(email="prof@uwi.example", full_name="Prof. Grace", country="JM")
    mailbox.clear()
    login(organiser)
    response = client.post(f"/organise/events/{event.id}/speakers",
                           data={"email": "prof@uwi.example", "role": "panellist",
                                 "mode": "in_person"})
    assert response.status_code == 303
    reg = services.registration_of(event, guest)
    assert (reg.status, reg.role, reg.mode.value) == (
        RegistrationStatus.CONFIRMED, ParticipantRole.PANELLIST, "in_person")
    assert reload(event).seats_taken_in_person == 0  # the one seat is still free
    assert "METHOD:REQUEST" in _calendar(mailbox.last("prof@uwi.example"))
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert "Prof. Grace" in page

    twice = client.post(f"/organise/events/{event.id}/speakers",
                        data={"email": "prof@uwi.example", "role": "chair"})
    assert twice.status_code == 303
    assert "already registered" in client.get(f"/organise/events/{event.id}").get_data(
        as_text=True)
    unknown = client.post(f"/organise/events/{event.id}/speakers",
                          data={"email": "nobody@example.org", "role": "chair"})
    assert unknown.status_code == 303
    assert db.session.scalar(select(db.func.count(Registration.id)).where(
        Registration.event_id == event.id)) == 1
    try:
        services.add_speaker(event, "prof@uwi.example", "participant", organiser)
    except services.EventError as exc:
        assert exc.status == 400
    else:
        raise AssertionError("participant added as speaker")


def test_cancel_event_bumps_sequence_before_the_cancel(organiser, make_event, make_user,
                                                       mailbox):
    event = make_event()
    ana = make_user(email="ana@example.org")
    services.register(event, ana)
    _commit()
    services.announce_changes(event)  # an update went out with SEQUENCE 1
    _commit()
    mailbox.clear()
    services.cancel_event(event, organiser)
    _commit()
    assert [s.sequence for s in event.sessions] == [2]
    cal = vobject.readOne(_calendar(mailbox.last("ana@example.org")))
    assert cal.method.value == "CANCEL"
    assert cal.vevent.sequence.value == "2"


def test_links_to_feed_and_certificates(client, login, organiser, make_event, make_user):
    event = make_event()
    ana = make_user(email="ana@example.org")
    services.register(event, ana)
    _commit()
    login(ana)
    assert "/calendar/feed" in client.get("/events/mine").get_data(as_text=True)
    login(organiser)
    page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert f"/certificates/manage/event/{event.id}" in page

