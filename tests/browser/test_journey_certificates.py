"""Issue 13 points 1, 6, 7 and 12 in a real browser.

The journey: an organiser who also teaches starts at `/`, logs in, and only by clicking reaches
the certificates of an event, a course edition and a hackathon; for each, "Issue to everyone
who qualifies" leads to a confirmation saying how many people get one (point 6), and
confirming runs the bulk issue and reports what was done (points 1 and 7; the bulk form used to
fail with 400). CSRF is on, as in production, so the forms are exactly what a browser sends.

Then a page audit (not a journey: it opens the pages by address) runs axe and the sideways
scroll check on the ticket, check-in, roll call, verify, "My certificates" and manage pages at
360 px (point 12)."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.support import Translations

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateTemplate,
    Signatory,
)
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
from tests.browser.journey_kit import (
    TRANSLATIONS,
    Journey,
    accessibility_problems,
    horizontal_overflow,
)
from tests.conftest import PASSWORD

FINISHED = ("Finished: %(issued)d issued, %(already)d already had one, %(skipped)d skipped "
            "(no name in the profile).")


@pytest.fixture
def app_config(app_config):
    return dict(app_config, WTF_CSRF_ENABLED=True)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGBA", (60, 20), (255, 255, 255, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def _templates():
    for kind in (CertificateKind.PARTICIPATION, CertificateKind.DIPLOMA,
                 CertificateKind.HACKATHON_PARTICIPATION):
        template = CertificateTemplate(kind=kind, name=f"{kind} default",
                                       organisation_name="Sistema Económico Latinoamericano y "
                                                         "del Caribe", min_attendance_percent=75)
        template.signatories.append(Signatory(position=0, name="Clarissa Bórquez",
                                              title="Secretaria Permanente",
                                              signature_png=_png()))
        db.session.add(template)


def _event(organiser, people, title_en, title_es, kind=EventKind.WORKSHOP) -> Event:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)
    event = Event(kind=kind, timezone="America/Caracas", mode=EventMode.HYBRID,
                  title_en=title_en, title_es=title_es, status=EventStatus.COMPLETED,
                  starts_at=start, ends_at=start + timedelta(days=1, hours=3))
    for n in range(2):
        event.sessions.append(EventSession(title_en=f"Day {n + 1}",
                                           starts_at=start + timedelta(days=n),
                                           ends_at=start + timedelta(days=n, hours=3)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    for person in people:
        db.session.add(Registration(event_id=event.id, user_id=person.id,
                                    mode=AttendanceMode.IN_PERSON,
                                    status=RegistrationStatus.CONFIRMED))
    return event


def _attend(event, people):
    for person in people:
        for session in event.sessions:
            db.session.add(Attendance(session_id=session.id, user_id=person.id,
                                      status=AttendanceStatus.PRESENT,
                                      mode=AttendanceMode.IN_PERSON,
                                      source=AttendanceSource.ROLL_CALL))


def _edition(teacher, people):
    from elearn.courses.models import Course, Edition, EditionInstructor, Enrolment, Module

    edition = Edition(course=Course(title_en="Gender-focused SME policy",
                                    title_es="Políticas PYME con enfoque de género"),
                      name_en="Caribe 2026", name_es="Caribe 2026", starts_on=date(2026, 2, 2),
                      ends_on=date(2026, 5, 29),
                      timezone="America/Port_of_Spain", status="completed",
                      require_required_passed=False)
    edition.modules = [Module(title_en="M1", hours=40)]
    edition.instructors = [EditionInstructor(user_id=teacher.id)]
    db.session.add(edition)
    db.session.flush()
    for person in people:
        db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, status="completed"))
    return edition


def _hackathon(organiser, people):
    from elearn.hackathons.judging_models import Submission
    from elearn.hackathons.models import (
        Challenge,
        Hackathon,
        HackathonParticipant,
        Team,
        TeamMember,
    )

    event = _event(organiser, [], "Digital hackathon", "Hackatón digital", EventKind.HACKATHON)
    hackathon = Hackathon(event_id=event.id)
    hackathon.challenges = [Challenge(title_en="Open data")]
    db.session.add(hackathon)
    db.session.flush()
    team = Team(hackathon_id=hackathon.id, name="Cóndor", member_count=len(people))
    db.session.add(team)
    db.session.flush()
    for person in people:
        participant = HackathonParticipant(hackathon_id=hackathon.id, user_id=person.id,
                                           discipline="data", declaration="student",
                                           terms_accepted_at=datetime.now(UTC))
        db.session.add(participant)
        db.session.flush()
        db.session.add(TeamMember(team_id=team.id, hackathon_id=hackathon.id,
                                  user_id=person.id, participant_id=participant.id))
    db.session.add(Submission(hackathon_id=hackathon.id, team_id=team.id,
                              challenge_id=hackathon.challenges[0].id, title="Mapa abierto",
                              summary="s", problem="p"))
    return hackathon


@pytest.fixture
def programme(make_user):
    staff = make_user(email="olga@sela.example", roles=["organiser", "instructor"],
                      full_name="Olga Ríos")
    people = [make_user(email=f"p{n}@mincomercio.example", full_name=name)
              for n, name in enumerate(["Ana Pérez Núñez", "Jean-Baptiste Désir"])]
    unnamed = make_user(email="sin.nombre@example.org", full_name="")
    event = _event(staff, people + [unnamed], "Regional SME policy workshop",
                   "Taller regional de políticas PYME")
    _attend(event, people + [unnamed])
    edition = _edition(staff, people)
    hackathon = _hackathon(staff, people)
    _templates()
    db.session.commit()
    return staff, people, event, edition, hackathon


def will_receive(j: Journey, count: int) -> str:
    """The confirmation's count, as the catalogue words it in the journey's language."""
    singular = "%(num)d person will receive a certificate and an email."
    plural = "%(num)d people will receive a certificate and an email."
    if j.language == "en":
        return (singular if count == 1 else plural) % {"num": count}
    catalogue = Translations.load(str(TRANSLATIONS), [j.language])
    return catalogue.ngettext(singular, plural, count) % {"num": count}


def _bulk_issue(j: Journey, expected_new: int, skipped: int = 0):
    j.click_button("Issue to everyone who qualifies")
    assert j.sees(will_receive(j, expected_new)), j.text()
    j.click_button("Issue the certificates")
    assert j.sees(j._(FINISHED) % {"issued": expected_new, "already": 0, "skipped": skipped}), \
        j.text()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_bulk_issue_for_an_event_an_edition_and_a_hackathon(browser, live_server, programme,
                                                           language, width):
    staff, _people, event, _edition_, _hackathon_ = programme
    staff.preferred_language = language  # after log-in, the profile's language wins
    db.session.commit()
    j = Journey(browser, live_server, language=language, width=width)

    j.start()
    j.log_in(staff.email, PASSWORD)

    # The event: from the organiser's list of events to its dashboard and its certificates.
    j.click_link("Events")
    j.click_link("My events as organiser")
    title = event.title[language]
    j.click_link(title)
    j.click_link("Certificates")
    # The person with no name in the profile is named on the confirmation as skipped.
    j.click_button("Issue to everyone who qualifies")
    assert j.sees(will_receive(j, 2)), j.text()
    assert "sin.nombre@example.org" in j.text()
    j.click_button("Issue the certificates")
    assert j.sees(j._(FINISHED) % {"issued": 2, "already": 0, "skipped": 1}), j.text()

    # The edition and the hackathon, from "Certificates of your other activities".
    j.click_link("Back to the certificates of this activity")
    j.click_link("Certificates of your other activities")
    course = "Políticas PYME con enfoque de género" if language == "es" \
        else "Gender-focused SME policy"
    j.click_link(f"{course} — Caribe 2026",
                 within=j.page.get_by_role("region", name=j._("Course editions")))
    _bulk_issue(j, 2)

    j.click_link("Back to the certificates of this activity")
    j.click_link("Certificates of your other activities")
    j.click_link("Hackatón digital" if language == "es" else "Digital hackathon",
                 within=j.page.get_by_role("region", name=j._("Hackathons")))
    _bulk_issue(j, 2)

    with live_server.app_context():
        kinds = sorted(str(c.kind) for c in db.session.query(Certificate))
    assert kinds == ["diploma"] * 2 + ["hackathon_participation"] * 2 + ["participation"] * 2
    j.assert_clean()
    j.close()


# --- page audit (13.12): every page of the two domains at 360 px -----------------------------

def _audit(page, url) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    found = accessibility_problems(page)
    overflow = horizontal_overflow(page)
    if overflow > 1:
        found.append(f"scrolls sideways by {overflow}px")
    return [f"{url}: {line}" for line in found]


def _log_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def test_attendance_and_certificate_pages_are_accessible_at_360(browser, live_server, app,
                                                                make_user, programme):
    from elearn.certificates.services import issue

    staff, people, event, _edition_, _hackathon_ = programme
    with app.test_request_context():
        certificate, _ = issue(CertificateKind.PARTICIPATION, event, people[0], notify=False)
        db.session.commit()
    # A session on now, so the attendance pages show their working state.
    now = datetime.now(UTC).replace(microsecond=0)
    live = _event(staff, people, "Hybrid meeting on migration data",
                  "Reunión híbrida sobre datos de migración")
    live.sessions[0].starts_at, live.sessions[0].ends_at = now - timedelta(minutes=10), \
        now + timedelta(hours=1)
    db.session.commit()
    registration = db.session.query(Registration).filter_by(event_id=live.id,
                                                            user_id=people[0].id).one()
    session_id = live.sessions[0].id
    base = live_server.url
    problems = []
    for width in (360, 1280):
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 740})
        page = context.new_page()
        page.set_default_timeout(15_000)
        problems += _audit(page, f"{base}/verify/{certificate.code}")
        _log_in(page, base, people[0].email)
        problems += _audit(page, f"{base}/certificates/mine")
        problems += _audit(page, f"{base}/attendance/ticket/{registration.id}")
        context.close()
        context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 740})
        page = context.new_page()
        page.set_default_timeout(15_000)
        _log_in(page, base, staff.email)
        for path in (f"/attendance/session/{session_id}/check-in",
                     f"/attendance/session/{session_id}/roll-call",
                     f"/attendance/session/{session_id}/code",
                     f"/attendance/event/{live.id}",
                     f"/certificates/manage/event/{event.id}",
                     f"/certificates/{certificate.code}/manage",
                     "/certificates/manage"):
            problems += _audit(page, base + path)
        context.close()
    assert not problems, "\n".join(problems)
