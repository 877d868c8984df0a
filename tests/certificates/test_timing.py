"""Certificates follow the clock (issue 13.9): participation only once the event or hackathon
has ended, course certificates only once the edition's results are recorded; refusals are 4xx
pages in the user's language. Also the labels (13.10) and the choose-an-activity page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from elearn.certificates.errors import NotYet
from elearn.certificates.models import Certificate, CertificateKind, IssueJob
from elearn.certificates.services import issue
from elearn.extensions import db

# make_event (tests/certificates/conftest.py): 4 sessions from 2 March 2026, 13:00 UTC, the
# last ending on 5 March at 16:00 UTC (12:00 in Caracas).
LAST_END = datetime(2026, 3, 5, 16, 0, tzinfo=UTC)


@pytest.fixture
def workshop(make_user, make_event, register, attend, make_template):
    organiser = make_user(email="org@example.org", roles=["organiser"])
    event = make_event(sessions=4, organiser=organiser)
    person = make_user(email="ana@example.org", full_name="Ana Good")
    register(event, person)
    attend(person, event.sessions)
    make_template()
    return event, organiser, person


def _speak_spanish(client) -> None:
    from flask_babel import refresh

    client.post("/language", data={"language": "es"})
    refresh()  # the test shares one app context, where Flask-Babel caches the locale


def _certificates() -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


def test_no_participation_certificate_before_the_event_ends(workshop):
    event, organiser, person = workshop
    with time_machine.travel(LAST_END - timedelta(minutes=1), tick=False):
        with pytest.raises(NotYet) as refused:
            issue(CertificateKind.PARTICIPATION, event, person, actor=organiser)
        assert "once the activity has ended" in refused.value.message
        assert refused.value.status == 409
    assert _certificates() == 0
    with time_machine.travel(LAST_END + timedelta(minutes=1), tick=False):
        _certificate, created = issue(CertificateKind.PARTICIPATION, event, person,
                                      actor=organiser)
    assert created and _certificates() == 1


def test_the_page_says_when_and_refuses_bulk_and_one(client, login, workshop):
    event, organiser, person = workshop
    base = f"/certificates/manage/event/{event.id}"
    with time_machine.travel(LAST_END - timedelta(hours=1), tick=False):
        login(organiser)  # inside the frozen time: a log-in from the future is not valid
        page = client.get(base).get_data(as_text=True)
        assert "Certificates can be issued once the activity has ended" in page
        assert "12:00" in page  # the end, in the event's time zone (Caracas)
        assert "Issue to everyone who qualifies" not in page
        bulk = client.post(f"{base}/bulk", data={"kind": "participation", "confirmed": "1"})
        assert bulk.status_code == 409 and "once the activity has ended" in bulk.get_data(
            as_text=True)
        one = client.post(f"{base}/issue?kind=participation", data={"person_id": person.id})
        assert one.status_code == 409
        _speak_spanish(client)
        spanish = client.get(base).get_data(as_text=True)
        assert "once the activity has ended" not in spanish
    assert _certificates() == 0 and db.session.scalar(select(IssueJob)) is None


def test_a_queued_job_refuses_when_the_event_has_not_ended(workshop):
    from elearn.certificates.services import bulk

    event, organiser, _person = workshop
    with time_machine.travel(LAST_END + timedelta(hours=1), tick=False):
        job = IssueJob(kind=CertificateKind.PARTICIPATION, subject_type="event",
                       subject_id=event.id, created_by_id=organiser.id)
        db.session.add(job)
        db.session.commit()
    event.sessions[-1].ends_at = LAST_END + timedelta(days=400)  # moved: it is not over now
    db.session.commit()
    finished = bulk.run(job.id)
    assert finished.status == "failed" and "once the activity has ended" in finished.error
    assert _certificates() == 0


def test_course_certificates_wait_for_the_recorded_results(client, login, make_user,
                                                           make_edition, make_template):
    from elearn.courses.models import EditionStatus, Enrolment

    teacher = make_user(roles=["instructor"])
    edition = make_edition(instructor=teacher)
    edition.status = EditionStatus.RUNNING
    person = make_user(full_name="Nadège Saint-Éloi")
    db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, status="completed"))
    db.session.commit()
    make_template(kind=CertificateKind.DIPLOMA)
    with pytest.raises(NotYet) as refused:
        issue(CertificateKind.DIPLOMA, edition, person)
    assert "results are recorded" in refused.value.message
    login(teacher)
    page = client.get(f"/certificates/manage/edition/{edition.id}").get_data(as_text=True)
    assert "once its results are recorded" in page
    edition.status = EditionStatus.COMPLETED
    db.session.commit()
    _certificate, created = issue(CertificateKind.DIPLOMA, edition, person)
    assert created


def test_statuses_and_job_states_are_labels(client, login, workshop):
    event, organiser, person = workshop
    login(organiser)
    base = f"/certificates/manage/event/{event.id}"
    client.post(f"{base}/bulk", data={"kind": "participation", "confirmed": "1"})
    page = client.get(base).get_data(as_text=True)
    assert "<td>Valid</td>" in page and "<td>valid</td>" not in page
    assert "Finished, 1 of 1" in page and "finished, 1 of 1" not in page
    _speak_spanish(client)
    spanish = client.get(base).get_data(as_text=True)
    assert "<td>Valid</td>" not in spanish and "<td>Válido</td>" in spanish


def test_choose_lists_only_ones_own_activities(client, login, make_user, make_event, workshop):
    event, organiser, _person = workshop
    other = make_event(sessions=1, title="Somebody else's seminar")
    login(organiser)
    page = client.get("/certificates/manage").get_data(as_text=True)
    assert f"/certificates/manage/event/{event.id}" in page
    assert f"/certificates/manage/event/{other.id}" not in page
    client.post("/logout")
    login(make_user(roles=["programme_manager"]))
    page = client.get("/certificates/manage").get_data(as_text=True)
    assert f"/certificates/manage/event/{other.id}" in page


def test_speaker_verdict_names_the_role_by_its_label(make_user, make_event, register):
    from elearn.certificates.kinds import get_kind
    from elearn.events.models import RegistrationStatus

    event = make_event(sessions=1)
    register(event, make_user(full_name="João Conceição"), role="moderator")
    register(event, make_user(full_name="Zoë Øberg"), role="chair",
             status=RegistrationStatus.WAITLISTED)
    reasons = sorted(v.reason for v in get_kind(CertificateKind.SPEAKER).evaluate(event))
    assert reasons == ["Confirmed as Moderator.",
                       "Registered as Chair, but not confirmed (Waiting list)."]


def test_before_the_end_only_an_admins_written_justification_issues(make_user, workshop):
    from elearn.audit.models import AuditRecord

    event, organiser, person = workshop
    admin = make_user(roles=["admin"])
    with time_machine.travel(LAST_END - timedelta(hours=2), tick=False):
        with pytest.raises(NotYet):
            issue(CertificateKind.PARTICIPATION, event, person, actor=organiser,
                  override_justification="The minister leaves tonight")
        with pytest.raises(NotYet):  # an admin without a justification
            issue(CertificateKind.PARTICIPATION, event, person, actor=admin)
        certificate, created = issue(CertificateKind.PARTICIPATION, event, person, actor=admin,
                                     override_justification="The minister leaves tonight")
        db.session.commit()
    assert created and certificate.override_justification == "The minister leaves tonight"
    audit = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "certificate.issued"))
    assert audit.after["override_justification"] == "The minister leaves tonight"
