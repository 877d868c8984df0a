"""An event from both sides in a real browser: an organiser creates a hybrid workshop, builds
its agenda in the event's time zone and publishes it; participants register online until the
seats run out, the confirmation with its calendar invite arrives over SMTP, a cancellation
promotes the waiting list, and the organiser's dashboard counts it all; the organiser of
another event is refused it, the programme manager sees it."""

import re
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from elearn.events.models import Event, Registration, RegistrationStatus
from elearn.extensions import db
from tests.conftest import PASSWORD


def logged_in(browser, base, user):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(base + "/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    return page


def wait_for_mail(mailbox, address, subject_part, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mailbox.to(address):
            if subject_part in message["Subject"]:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no email {subject_part!r} for {address}: "
                         f"{[m['Subject'] for m in mailbox.to(address)]}")


def calendar_part(message):
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    return None


def register_online(page, base, event_id):
    page.goto(f"{base}/events/{event_id}")
    page.get_by_label("Online").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(rf"/events/{event_id}$"))
    return page.locator("main").inner_text()


def test_hybrid_workshop_from_creation_to_waiting_list(page, browser, live_server, mailbox,
                                                       app, make_user):
    base = live_server.url
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos")
    ana = make_user(email="ana@mincomercio.example", full_name="Ana Pérez")
    bob = make_user(email="bob@trade.example", full_name="Bob Brown")
    cruz = make_user(email="cruz@produccion.example", full_name="Cruz Díaz")

    # The organiser creates the workshop through the form.
    page.goto(base + "/login")
    page.get_by_label("Email").fill(olga.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    page.goto(base + "/organise/events/new")
    page.locator("select[name=kind]").select_option("workshop")
    page.get_by_label("Title (English)").fill("Digital trade facilitation workshop")
    page.get_by_label("Title (Spanish)").fill("Taller de facilitación del comercio digital")
    page.locator("select[name=mode]").select_option("hybrid")
    page.get_by_label("Time zone of the event").select_option("America/Bogota")
    page.get_by_label("Venue", exact=True).fill("SELA headquarters")
    page.get_by_label("In-person seats").fill("20")
    page.get_by_label("Online seats").fill("2")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/organise/events/\d+$"))
    event_id = int(page.url.rsplit("/", 1)[1])

    # Two sessions, typed in Bogotá time.
    day = (datetime.now(UTC) + timedelta(days=30)).date()
    for title, start, end in (("Opening", "09:00", "11:00"), ("Clinic", "14:00", "16:30")):
        page.goto(f"{base}/organise/events/{event_id}/sessions")
        page.get_by_label("Title (English)").fill(title)
        page.get_by_label("Title (Spanish)").fill(title)  # the event's main language
        page.get_by_label("Starts").fill(f"{day.isoformat()}T{start}")
        page.get_by_label("Ends").fill(f"{day.isoformat()}T{end}")
        page.get_by_role("button", name="Save session").click()
        page.wait_for_url(re.compile(rf"/organise/events/{event_id}/sessions$"))
    with app.app_context():
        event = db.session.get(Event, event_id)
        starts = sorted(s.starts_at for s in event.sessions)
        bogota = ZoneInfo("America/Bogota")
        assert [s.astimezone(bogota).strftime("%H:%M") for s in starts] == ["09:00", "14:00"]
        assert starts[0].astimezone(UTC).hour == 14  # UTC-5, no daylight saving

    page.goto(f"{base}/organise/events/{event_id}")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(rf"/organise/events/{event_id}$"))
    assert "The event is published." in page.locator("main").inner_text()

    # Ana registers online and gets the invite.
    ana_page = logged_in(browser, base, ana)
    text = register_online(ana_page, base, event_id)
    assert "You are registered" in text
    confirmation = wait_for_mail(mailbox, ana.email, "Registration confirmed")
    invite = calendar_part(confirmation)
    assert invite is not None and invite.get_param("method") == "REQUEST"
    assert "METHOD:REQUEST" in invite.get_content()
    assert ana_page.get_by_role("link", name="Join online").is_visible()

    # Bob takes the last online seat; Cruz joins the waiting list.
    bob_page = logged_in(browser, base, bob)
    assert "You are registered" in register_online(bob_page, base, event_id)
    cruz_page = logged_in(browser, base, cruz)
    assert "waiting list" in register_online(cruz_page, base, event_id)
    wait_for_mail(mailbox, cruz.email, "waiting list")

    # Ana cancels from her list of registrations; Cruz gets her seat.
    ana_page.goto(base + "/events/mine")
    ana_page.get_by_role("button", name="Cancel").click()
    ana_page.wait_for_url(re.compile(r"/events/mine$"))
    assert "Your registration was cancelled." in ana_page.locator("main").inner_text()
    promoted = wait_for_mail(mailbox, cruz.email, "A seat is yours")
    assert calendar_part(promoted).get_param("method") == "REQUEST"
    cancel = wait_for_mail(mailbox, ana.email, "Registration cancelled")
    assert calendar_part(cancel).get_param("method") == "CANCEL"
    with app.app_context():
        statuses = {r.user.email: r.status for r in db.session.query(Registration).filter_by(
            event_id=event_id)}
        assert statuses == {ana.email: RegistrationStatus.CANCELLED,
                            bob.email: RegistrationStatus.CONFIRMED,
                            cruz.email: RegistrationStatus.CONFIRMED}

    # The dashboard counts by status and mode.
    page.goto(f"{base}/organise/events/{event_id}")
    counts = page.locator("table").first
    online_col = 2  # th, in person, online

    def cell(row_name):
        row = counts.locator("tr", has=page.locator("th", has_text=re.compile(f"^{row_name}$")))
        return row.locator("td").nth(online_col - 1).inner_text().strip()

    assert cell("Confirmed") == "2"
    assert cell("Cancelled") == "1"
    assert cell("Waiting list") == "0"
    assert cell("Seats left") == "0 / 2"

    # The organiser of another event is refused this one; the programme manager sees it.
    otto = make_user(email="otto@ports.example", roles=["organiser"], full_name="Otto Ortiz")
    pia = make_user(email="pia@sela.example", roles=["programme_manager"], full_name="Pia Paz")
    otto_page = logged_in(browser, base, otto)
    assert otto_page.goto(f"{base}/organise/events/{event_id}").status == 403
    otto_page.goto(f"{base}/organise/events")
    assert "Digital trade facilitation workshop" not in otto_page.locator("main").inner_text()
    pia_page = logged_in(browser, base, pia)
    assert pia_page.goto(f"{base}/organise/events/{event_id}").status == 200
    assert "Bob Brown" in pia_page.locator("main").inner_text()
    for extra in (ana_page, bob_page, cruz_page, otto_page, pia_page):
        extra.context.close()
