"""The registration rules: seats, waiting list, approval, eligibility, cancellation, moves."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.events import services
from elearn.events.models import Registration, RegistrationStatus
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import deliver_committed

CONFIRMED, WAITLISTED, PENDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                  RegistrationStatus.PENDING)


def _commit():
    db.session.commit()
    deliver_committed()  # what the app does after each request


def _register(event, user, mode=None):
    reg = services.register(event, user, mode)
    _commit()
    return reg


def test_seats_then_waiting_list_in_order(ics_of, reload, make_event, make_user, mailbox):
    event = make_event(capacity_online=2)
    people = [make_user() for _ in range(4)]
    regs = [_register(event, p) for p in people]
    assert [r.status for r in regs] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert reload(event).seats_taken_online == 2
    assert regs[2].waitlisted_at <= regs[3].waitlisted_at
    confirmation = mailbox.last(people[0].email)
    assert "METHOD:REQUEST" in ics_of(confirmation)
    assert "waiting list" in type(mailbox).text_of(mailbox.last(people[2].email))


def test_waitlisted_email_says_so(ics_of, make_event, make_user, mailbox):
    event = make_event(capacity_online=0)
    person = make_user()
    assert _register(event, person).status == WAITLISTED
    text = type(mailbox).text_of(mailbox.last(person.email))
    assert "waiting list" in text
    assert ics_of(mailbox.last(person.email)) is None


def test_cancelling_frees_the_seat_and_promotes_the_oldest_waitlisted(
        ics_of, reload, make_event, make_user, mailbox):
    event = make_event(capacity_online=1)
    first, second, third = make_user(), make_user(), make_user()
    reg1 = _register(event, first)
    reg2 = _register(event, second)
    reg3 = _register(event, third)
    assert (reg2.status, reg3.status) == (WAITLISTED, WAITLISTED)
    services.cancel_registration(reg1, first)
    _commit()
    db.session.expire_all()
    assert db.session.get(Registration, reg2.id).status == CONFIRMED
    assert db.session.get(Registration, reg3.id).status == WAITLISTED
    assert reload(event).seats_taken_online == 1
    promoted = mailbox.last(second.email)
    assert "seat" in promoted["Subject"].lower()
    assert "METHOD:REQUEST" in ics_of(promoted)
    cancelled = mailbox.last(first.email)
    assert "METHOD:CANCEL" in ics_of(cancelled)
    actions = set(db.session.scalars(select(AuditRecord.action)))
    assert {"event.registration_cancelled", "event.registration_promoted"} <= actions


def test_cancelling_a_waitlisted_place_frees_no_seat(reload, make_event, make_user):
    event = make_event(capacity_online=1)
    a, b = make_user(), make_user()
    _register(event, a)
    reg_b = _register(event, b)
    services.cancel_registration(reg_b, b)
    _commit()
    assert reload(event).seats_taken_online == 1


def test_reregistering_after_cancelling_reuses_the_row(reload, make_event, make_user):
    event = make_event(capacity_online=5)
    person = make_user()
    reg = _register(event, person)
    services.cancel_registration(reg, person)
    _commit()
    again = _register(event, person)
    assert again.id == reg.id and again.status == CONFIRMED
    assert db.session.scalar(select(func.count(Registration.id))) == 1
    assert reload(event).seats_taken_online == 1


def test_registering_twice_is_a_conflict(make_event, make_user):
    event = make_event()
    person = make_user()
    _register(event, person)
    with pytest.raises(services.Conflict, match="already registered"):
        services.register(event, person)


def test_approval_required_pending_holds_no_seat(ics_of, reload, make_event, make_user,
                                                 organiser, mailbox):
    event = make_event(capacity_online=1, requires_approval=True)
    a, b = make_user(), make_user()
    reg_a, reg_b = _register(event, a), _register(event, b)
    assert (reg_a.status, reg_b.status) == (PENDING, PENDING)
    assert reload(event).seats_taken_online == 0
    assert "approv" in type(mailbox).text_of(mailbox.last(a.email))
    services.approve(reg_a, organiser)
    services.approve(reg_b, organiser)
    _commit()
    assert (reg_a.status, reg_b.status) == (CONFIRMED, WAITLISTED)
    assert "METHOD:REQUEST" in ics_of(mailbox.last(a.email))
    assert reload(event).seats_taken_online == 1


def test_reject_needs_a_reason_and_emails_it(make_event, make_user, organiser, mailbox):
    event = make_event(requires_approval=True)
    person = make_user()
    reg = _register(event, person)
    with pytest.raises(services.EventError):
        services.reject(reg, "  ", organiser)
    services.reject(reg, "The seminar is for ministry staff only.", organiser)
    _commit()
    assert reg.status == RegistrationStatus.REJECTED
    assert "ministry staff only" in type(mailbox).text_of(mailbox.last(person.email))
    with pytest.raises(services.Conflict, match="declined"):
        services.register(event, person)


def test_only_organisers_decide(make_event, make_user):
    event = make_event(requires_approval=True)
    person, stranger = make_user(), make_user()
    reg = _register(event, person)
    with pytest.raises(services.EventError) as exc:
        services.approve(reg, stranger)
    assert exc.value.status == 403


def test_outside_the_window(make_event, make_user):
    now = datetime.now(UTC)
    early = make_event(registration_opens_at=now + timedelta(days=1))
    late = make_event(registration_opens_at=now - timedelta(days=3),
                      registration_closes_at=now - timedelta(days=1))
    person = make_user()
    with pytest.raises(services.Conflict, match="opens"):
        services.register(early, person)
    with pytest.raises(services.Conflict, match="closed"):
        services.register(late, person)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_draft_and_cancelled_events_refuse(make_event, make_user, organiser):
    draft = make_event(publish=False)
    cancelled = make_event()
    services.cancel_event(cancelled, organiser)
    _commit()
    person = make_user()
    with pytest.raises(services.Conflict, match="not open"):
        services.register(draft, person)
    with pytest.raises(services.Conflict, match="cancelled"):
        services.register(cancelled, person)


def test_mode_must_exist_in_the_event(make_event, make_user):
    virtual = make_event(mode="virtual")
    hybrid = make_event(mode="hybrid", venue_name="Hilton", capacity_in_person=1)
    person = make_user()
    with pytest.raises(services.EventError, match="no in person"):
        services.register(virtual, person, "in_person")
    with pytest.raises(services.EventError, match="Choose"):
        services.register(hybrid, person)
    with pytest.raises(services.EventError, match="Unknown"):
        services.register(hybrid, person, "carrier-pigeon")
    assert _register(hybrid, person, "in_person").status == CONFIRMED


@pytest.mark.parametrize("rule, profile, reason", [
    ({"eligible_countries": ["JM", "BB"]}, {"country": "VE"}, "Jamaica"),
    ({"eligible_countries": ["JM"]}, {}, "add your country"),
    ({"eligible_subregions": ["caribbean"]}, {"country": "AR"}, "the Caribbean"),
    ({"eligible_sectors": ["government"]}, {"sector": "academia"}, "government"),
    ({"public_officials_only": True}, {"is_public_official": False}, "public officials"),
])
def test_ineligible_people_are_told_why(make_event, make_user, rule, profile, reason):
    event = make_event(**rule)
    person = make_user(**profile)
    with pytest.raises(services.EventError) as exc:
        services.register(event, person)
    assert exc.value.status == 403
    assert reason in exc.value.message


def test_eligible_by_subregion_or_country(make_event, make_user):
    event = make_event(eligible_countries=["MX"], eligible_subregions=["caribbean"],
                       eligible_sectors=["government"], public_officials_only=True)
    jamaican = make_user(country="JM", sector="government", is_public_official=True)
    mexican = make_user(country="MX", sector="government", is_public_official=True)
    assert _register(event, jamaican).status == CONFIRMED
    assert _register(event, mexican).status == CONFIRMED


def test_move_between_modes_keeps_both_counts(reload, make_event, make_user, organiser):
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1,
                       capacity_online=1)
    a, b, c = make_user(), make_user(), make_user()
    reg_a = _register(event, a, "in_person")
    reg_b = _register(event, b, "online")
    reg_c = _register(event, c, "in_person")  # waitlisted in person
    assert reg_c.status == WAITLISTED
    with pytest.raises(services.Conflict, match="No in person seat"):
        services.move_mode(reg_b, "in_person", organiser)
    db.session.rollback()
    services.cancel_registration(reg_b, b)
    services.move_mode(reg_a, "online", organiser)
    _commit()
    event = reload(event)
    assert (event.seats_taken_in_person, event.seats_taken_online) == (1, 1)
    assert db.session.get(Registration, reg_c.id).status == CONFIRMED  # got the freed seat
    assert db.session.get(Registration, reg_a.id).mode.value == "online"


def test_raising_capacity_promotes_the_waiting_list(make_event, make_user, organiser):
    event = make_event(capacity_online=1)
    a, b = make_user(), make_user()
    _register(event, a)
    reg_b = _register(event, b)
    data = {k: getattr(event, k) for k in services.events.EVENT_FIELDS}
    data["capacity_online"] = 2
    services.update_event(event, data, organiser)
    _commit()
    assert db.session.get(Registration, reg_b.id).status == CONFIRMED


def test_every_decision_is_audited_and_queued_mail_commits_with_it(make_event, make_user):
    event = make_event(capacity_online=1)
    person = make_user()
    reg = _register(event, person)
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "event.registration", AuditRecord.subject_id == str(reg.id)))
    assert entry.after == {"status": "confirmed", "mode": "online"}
    assert entry.actor_id == person.id
    assert db.session.scalar(select(func.count(OutboxMessage.id))) >= 1


def test_a_stale_seat_count_still_sends_the_right_email(make_event, make_user, mailbox, ics_of):
    """The email is prepared on the counter as read; when the last seat went meanwhile, the
    person is waitlisted and only the waiting-list email leaves."""
    from sqlalchemy import text

    event = make_event(capacity_online=1)
    with db.engine.begin() as other:  # someone else takes the last seat behind our back
        other.execute(text("UPDATE event SET seats_taken_online = 1 WHERE id = :id"),
                      {"id": event.id})
    assert event.seats_taken_online == 0  # what this session still believes
    person = make_user()
    reg = _register(event, person)
    assert reg.status == WAITLISTED and reg.waitlisted_at is not None
    subjects = [m.subject for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == person.email))]
    assert len(subjects) == 1 and "waiting list" in subjects[0]
    assert ics_of(mailbox.last(person.email)) is None
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "event.registration", AuditRecord.subject_id == str(reg.id)))
    assert entry.after["status"] == "waitlisted"
