"""Issue 13, the organiser's journey, clicking only what is on the screen from `/`: log in,
create a hybrid workshop with a session happening now, publish it; people register (their own
browsers are not the point here: they register through the service); approve one, approve the
others in bulk and see who went to the waiting list; from the event's hub check a person in by
the code on their ticket and take the roll call during the session; open the event's
statistics; then, for a workshop that has ended, issue the certificates in bulk and verify one.
In English and Spanish, on a 1280 px and a 360 px screen; every page passes axe and fits.

The attendance pages (check-in window, readable ticket code) and the bulk certificate issue are
another helper's work in issue 13: those steps are written as they work once it is merged.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.certificates.models import CertificateKind, CertificateTemplate, Signatory
from elearn.events import services
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from tests.browser.journey_kit import Journey
from tests.browser.test_certificate_journey import signature_png
from tests.conftest import PASSWORD

ZONE = "America/Caracas"
TITLE_EN, TITLE_ES = "Digital trade facilitation workshop", "Taller de comercio digital"
PAST_EN, PAST_ES = "Regional SME policy workshop", "Taller regional de políticas PYME"


def ended_workshop(organiser, people) -> Event:
    """A workshop that ended last week, which `people` attended in full, with a template."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=7)
    event = Event(kind=EventKind.WORKSHOP, timezone=ZONE, mode=EventMode.HYBRID,
                  title_en=PAST_EN, title_es=PAST_ES, venue_name="SELA",
                  status=EventStatus.PUBLISHED, starts_at=start,
                  ends_at=start + timedelta(hours=3))
    event.sessions.append(EventSession(title_en="Day 1", title_es="Día 1", starts_at=start,
                                       ends_at=start + timedelta(hours=3)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    for person in people:
        db.session.add(Registration(event_id=event.id, user_id=person.id,
                                    mode=AttendanceMode.IN_PERSON,
                                    status=RegistrationStatus.CONFIRMED))
        db.session.add(Attendance(session_id=event.sessions[0].id, user_id=person.id,
                                  status=AttendanceStatus.PRESENT,
                                  mode=AttendanceMode.IN_PERSON,
                                  source=AttendanceSource.ROLL_CALL))
    event.seats_taken_in_person = len(people)
    template = CertificateTemplate(
        kind=CertificateKind.PARTICIPATION, name="Participation",
        organisation_name="Sistema Económico Latinoamericano y del Caribe",
        min_attendance_percent=75)
    template.signatories.append(Signatory(position=0, name="Clarissa Bórquez",
                                          title="Secretaria Permanente",
                                          signature_png=signature_png()))
    db.session.add(template)
    db.session.commit()
    return event


def register_people(people_and_modes) -> dict:
    """People register (approval required, so they wait for the organiser's decision)."""
    event = db.session.scalar(db.select(Event).where(Event.title["en"].as_string() == TITLE_EN))
    regs = {}
    for person, mode in people_and_modes:
        regs[person.full_name] = services.register(event, person, mode)
    db.session.commit()
    return regs


def ticket_code(registration_id: int) -> str:
    """What the person reads out at the door: the readable code printed on the ticket
    (attendance.checkin.door_code, brought by issue 13's attendance work), typed in lower
    case as an organiser would; the full ticket token where that code does not exist yet."""
    registration = db.session.get(Registration, registration_id)
    try:
        from elearn.attendance.checkin import display_door_code, door_code
    except ImportError:
        return registration.ticket_token
    return display_door_code(door_code(registration)).lower()


def local_input(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360), ("es", 1280),
                                            ("en", 360)])
def test_organiser_journey(browser, live_server, app, make_user, language, width):
    # Her profile's language: logging in applies it (a Spanish-speaking organiser has "es").
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    ana = make_user(email="ana@mincomercio.example", full_name="Ana Pérez")
    bob = make_user(email="bob@trade.example", full_name="Bob Brown")
    cruz = make_user(email="cruz@produccion.example", full_name="Cruz Díaz")
    ended_workshop(olga, [ana, bob])
    j = Journey(browser, live_server, language=language, width=width).start()
    _ = j._

    # Log in, find "My events" from the events page, create a hybrid workshop.
    j.log_in(olga.email, PASSWORD)
    j.click_link("Events")
    j.click_link("My events as organiser")
    j.click_link("Create an event")
    j.select("Kind of event", "workshop")
    j.fill(j.in_language("Title", "English"), TITLE_EN)
    j.fill(j.in_language("Title", "Spanish"), TITLE_ES)
    j.select("Format", "hybrid", exact=True)
    j.select("Time zone of the event", ZONE)
    j.fill("Venue", "SELA headquarters", exact=True)
    j.fill("In-person seats", "1")
    j.fill("Online seats", "5")
    j.check_box("Organisers approve each registration")
    j.click_button("Save")
    assert j.sees("The event was saved.")

    # Its agenda: one session under way now, so the door is open.
    j.click_link("Agenda")
    now = datetime.now(UTC)
    j.fill(j.in_language("Title", "English"), "Opening")
    j.fill(j.in_language("Title", "Spanish"), "Apertura")
    j.fill("Starts", local_input(now - timedelta(minutes=30)))
    j.fill("Ends", local_input(now + timedelta(hours=2)))
    j.click_button("Save session")
    assert j.sees("The session was added.")
    j.click_link("Back to the dashboard")
    j.click_button("Publish")
    assert j.sees("The event is published.")

    # Three people ask for a seat: two in person (one seat), one online.
    regs = register_people([(ana, "in_person"), (bob, "in_person"), (cruz, "online")])
    j.click_link("Public page")
    j.click_link("Organiser dashboard")
    assert j.sees("Awaiting approval")
    pending = j.page.locator("tr", has_text="Ana Pérez")
    j.click_button(re.compile(re.escape(_("Approve"))), within=pending)
    assert j.sees(_("%(name)s was approved and has a seat.") % {"name": "Ana Pérez"})

    # The other two in one go: the confirmation says one goes to the waiting list.
    j.check_box(_("Select %(name)s") % {"name": "Bob Brown"}, exact=True)
    j.check_box(_("Select %(name)s") % {"name": "Cruz Díaz"}, exact=True)
    j.click_button("Approve the selected…")
    assert "2" in j.text() and j.sees(re.compile(r"\b1\b"))
    j.click_button("Approve")
    waiting = j.page.locator("table", has=j.page.locator(
        "caption", has_text=_("In the order people will be offered a seat")))
    assert "Bob Brown" in waiting.inner_text()
    db.session.expire_all()
    assert db.session.get(Registration, regs["Bob Brown"].id).status == \
        RegistrationStatus.WAITLISTED
    assert db.session.get(Registration, regs["Cruz Díaz"].id).status == \
        RegistrationStatus.CONFIRMED

    # The hub: check Ana in at the door with the code on her ticket, during the session.
    now_session = j.page.locator("ul.session-hub > li.now")
    assert now_session.count() == 1
    j.click_link("Check-in", within=now_session)
    j.fill("Ticket code", ticket_code(regs["Ana Pérez"].id))
    j.click_button("Look up")
    assert j.sees("Ana Pérez")
    j.click_button("Confirm check-in")
    assert j.sees(_("Checked in: %(name)s.") % {"name": "Ana Pérez"})

    # Roll call: Cruz follows online and is marked present.
    j.click_link("Roll call")
    row = j.page.locator("tr", has_text="Cruz Díaz")
    j.click_button(re.compile("^" + re.escape(_("Present"))), within=row, exact=False)
    db.session.expire_all()
    marks = {a.user_id: a.status for a in db.session.scalars(db.select(Attendance).where(
        Attendance.session_id == regs["Ana Pérez"].event.sessions[0].id))}
    # Checked in half an hour after the start: recorded as late, which still counts.
    assert marks == {ana.id: AttendanceStatus.LATE, cruz.id: AttendanceStatus.PRESENT}

    # The statistics of this event, from its attendance page.
    j.click_link("All sessions")
    j.click_link("Statistics of this event")
    assert j.sees(TITLE_ES if language == "es" else TITLE_EN)

    # Certificates of the workshop that has ended: bulk issue, then verify one.
    j.click_link("Events")
    j.click_link("My events as organiser")
    j.click_link(PAST_ES if language == "es" else PAST_EN)
    j.click_link("Certificates")
    j.click_button("Issue to everyone who qualifies")
    assert j.sees(re.compile(r"\b2\b"))
    j.click_button("Issue the certificates")
    j.click_link("Back to the certificates of this activity")
    issued = j.page.locator("table", has=j.page.locator(
        "caption", has_text=_("Certificates of this kind, including revoked and replaced ones")))
    assert "Ana Pérez" in issued.inner_text() and "Bob Brown" in issued.inner_text()
    j.click_link(re.compile(r".+"), within=issued.locator("tr", has_text="Ana Pérez"))
    j.click_link("Public verification page")
    assert j.sees("VALID")
    j.assert_clean()
    j.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_event_page_feed_and_early_join_fit_a_phone(browser, live_server, app, make_user,
                                                    language):
    """Point 12: a hybrid event in a zone with a long name, the calendar-feed page and the
    "not available yet" join page, at 360 px, axe-clean and without sideways scrolling."""
    organiser = make_user(roles=["organiser"])
    ana = make_user(email="ana@mincomercio.example", full_name="Ana Pérez",
                    preferred_language=language)
    event = services.create_event({
        "kind": "workshop", "title_en": TITLE_EN, "title_es": TITLE_ES,
        "timezone": "America/Argentina/ComodRivadavia", "mode": "hybrid", "language": "es",
        "venue_name": "Centro de Convenciones de Comodoro Rivadavia",
        "capacity_in_person": 0, "capacity_online": 10}, organiser)
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=3)
    local = services.utc_to_local(start, event.timezone)
    services.add_session(event, {"title_en": "Opening", "starts_local": local,
                                 "ends_local": local + timedelta(hours=2)}, organiser)
    services.publish_event(event, organiser)
    db.session.commit()

    j = Journey(browser, live_server, language=language, width=360).start()
    j.log_in(ana.email, PASSWORD)
    j.click_link("Events")
    j.click_link(TITLE_ES if language == "es" else TITLE_EN)
    # In person is full: the form says so and has chosen online already.
    assert j.sees("In-person seats are full, but online seats are free: choose Online to "
                  "take part now, or In person to join the waiting list.")
    j.click_button("Register")
    assert j.sees("You are registered. A confirmation is on its way.")
    j.click_link("Join online")
    assert j.sees("The meeting link is not available yet")
    j.click_link("Back to the event")
    j.click_link("All events")
    j.click_link("My registrations")
    j.click_link("Subscribe to your events in your own calendar")
    assert j.sees("Your subscription link")
    j.assert_clean()
    j.close()
