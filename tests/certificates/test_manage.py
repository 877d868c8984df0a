"""Organiser pages: verdict per person, issuing one / override / bulk with progress, revoke
(twice: 409), reissue, the ZIP, and permissions."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from elearn.certificates.models import Certificate, CertificateStatus, IssueJob
from elearn.extensions import db


@pytest.fixture
def setup(make_user, make_event, register, attend, make_template):
    organiser = make_user(email="org@example.org", roles=["organiser"])
    event = make_event(sessions=4, organiser=organiser)
    good = make_user(email="good@example.org", full_name="Ana Good")
    weak = make_user(email="weak@example.org", full_name="Beto Weak")
    for person in (good, weak):
        register(event, person)
    attend(good, event.sessions)
    attend(weak, event.sessions[:1])
    make_template()
    return event, organiser, good, weak


def _base(event):
    return f"/certificates/manage/event/{event.id}"


def test_page_shows_the_verdict_per_person(client, login, setup):
    event, organiser, _good, _weak = setup
    login(organiser)
    page = client.get(_base(event)).get_data(as_text=True)
    assert "Ana Good" in page and "Beto Weak" in page
    assert "Attended 4 of 4 sessions" in page and "Attended 1 of 4 sessions" in page
    assert "1 of 2 people qualify" in page


def test_only_the_events_organisers_may_issue(client, login, make_user, setup):
    event, _organiser, _good, weak = setup
    login(make_user(roles=["organiser"]))  # organiser of another event
    assert client.get(_base(event)).status_code == 403
    assert client.post(f"{_base(event)}/issue?kind=participation",
                       data={"person_id": weak.id}).status_code == 403


def test_issue_one_and_refuse_one_who_does_not_qualify(client, login, setup, mailbox):
    event, organiser, good, weak = setup
    login(organiser)
    ok = client.post(f"{_base(event)}/issue?kind=participation", data={"person_id": good.id})
    assert ok.status_code == 302
    assert mailbox.last("good@example.org")
    refused = client.post(f"{_base(event)}/issue?kind=participation",
                          data={"person_id": weak.id, "justification": "please"})
    assert refused.status_code == 403  # only admins may override
    refused = client.post(f"{_base(event)}/issue?kind=participation", data={"person_id": weak.id})
    assert refused.status_code == 409
    assert "does not qualify" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_admin_override_with_justification(client, login, make_user, setup):
    event, _organiser, _good, weak = setup
    login(make_user(roles=["admin"]))
    response = client.post(f"{_base(event)}/issue?kind=participation",
                           data={"person_id": weak.id,
                                 "justification": "Followed online; provider export lost."})
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate).where(Certificate.holder_id == weak.id))
    assert certificate.override_justification == "Followed online; provider export lost."
    page = client.get(_base(event)).get_data(as_text=True)
    assert "Issued by override: Followed online; provider export lost." in page


def test_bulk_issue_runs_a_job_with_progress(client, login, setup, mailbox):
    event, organiser, good, _weak = setup
    login(organiser)
    # First the confirmation, saying how many get one and who is left out and why.
    confirm = client.post(f"{_base(event)}/bulk", data={"kind": "participation"})
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and db.session.scalar(select(IssueJob)) is None
    assert "1 person will receive a certificate and an email." in text
    assert "1 person does not qualify and gets none" in text
    assert 'name="confirmed" value="1"' in text and 'name="kind" value="participation"' in text
    response = client.post(f"{_base(event)}/bulk",
                           data={"kind": "participation", "confirmed": "1"})
    assert response.status_code == 302
    job = db.session.scalar(select(IssueJob))
    assert (job.status, job.total, job.done, job.issued) == ("finished", 1, 1, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 issued" in page and 'http-equiv="refresh"' not in page
    assert mailbox.last("good@example.org")
    # Again: nobody gets a second certificate, and the confirmation says so.
    again = client.post(f"{_base(event)}/bulk", data={"kind": "participation"})
    assert "1 person already has one and keeps it." in again.get_data(as_text=True)
    assert "0 people will receive a certificate" in again.get_data(as_text=True)
    client.post(f"{_base(event)}/bulk", data={"kind": "participation", "confirmed": "1"})
    second = db.session.scalars(select(IssueJob).order_by(IssueJob.id.desc())).first()
    assert (second.issued, second.already) == (0, 1)
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_running_job_page_refreshes_itself(client, login, setup):
    event, organiser, _good, _weak = setup
    job = IssueJob(kind="participation", subject_type="event", subject_id=event.id,
                   status="running", total=10, done=4)
    db.session.add(job)
    db.session.commit()
    login(organiser)
    page = client.get(f"/certificates/jobs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "4 of 10" in page and 'value="40"' in page


def test_revoke_twice_is_a_conflict_and_reissue_supersedes(client, login, setup):
    event, organiser, good, _weak = setup
    login(organiser)
    client.post(f"{_base(event)}/issue?kind=participation", data={"person_id": good.id})
    certificate = db.session.scalar(select(Certificate))
    code = certificate.code
    assert client.post(f"/certificates/{code}/revoke", data={"reason": ""}).status_code == 400
    confirm = client.post(f"/certificates/{code}/revoke", data={"reason": "Wrong event"})
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Revoke the certificate of Ana Good?" in text
    assert f"anyone who verifies the code {certificate.display_code} will see that it was " \
        "revoked" in text
    db.session.expire_all()
    assert db.session.scalar(select(Certificate)).status == CertificateStatus.VALID
    assert client.post(f"/certificates/{code}/revoke",
                       data={"reason": "Wrong event", "confirmed": "1"}).status_code == 302
    again = client.post(f"/certificates/{code}/revoke", data={"reason": "Again",
                                                             "confirmed": "1"})
    assert again.status_code == 409
    assert "already revoked" in again.get_data(as_text=True)
    response = client.post(f"/certificates/{code}/reissue", data={"reason": "fixed"})
    assert response.status_code == 302
    db.session.expire_all()
    old = db.session.scalar(select(Certificate).where(Certificate.code == code))
    assert old.status == CertificateStatus.SUPERSEDED and old.superseded_by is not None
    assert old.superseded_by.status == CertificateStatus.VALID
    assert client.post(f"/certificates/{code}/reissue", data={}).status_code == 409


def test_zip_holds_every_valid_certificate(client, login, make_user, setup):
    event, _organiser, good, weak = setup
    login(make_user(roles=["admin"]))
    client.post(f"{_base(event)}/issue?kind=participation", data={"person_id": good.id})
    client.post(f"{_base(event)}/issue?kind=participation",
                data={"person_id": weak.id, "justification": "ok"})
    response = client.get(f"{_base(event)}/certificates.zip", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert len(names) == 2 and any("Ana-Good" in n for n in names)
    pdfs = {c.code: c.pdf for c in db.session.scalars(select(Certificate))}
    for name in names:
        code = name.rsplit("-", 1)[1].removesuffix(".pdf")
        assert archive.read(name) == pdfs[code]


def test_unknown_subject_or_kind(client, login, setup):
    event, organiser, _good, _weak = setup
    login(organiser)
    assert client.get("/certificates/manage/event/9999").status_code == 404
    assert client.get("/certificates/manage/nothing/1").status_code == 404
    assert client.get(f"{_base(event)}?kind=diploma").status_code == 400


def test_certificate_page_and_override_form_for_admins(client, login, make_user, setup):
    event, organiser, good, weak = setup
    login(organiser)
    page = client.get(_base(event)).get_data(as_text=True)
    assert "Issue to someone who does not qualify" not in page  # organisers cannot override
    client.post(f"{_base(event)}/issue?kind=participation", data={"person_id": good.id})
    certificate = db.session.scalar(select(Certificate))
    own = client.get(f"/certificates/{certificate.code}/manage").get_data(as_text=True)
    assert "Revoke" in own and "Issue a corrected certificate" in own
    client.post("/logout")
    login(make_user(roles=["admin"]))
    page = client.get(_base(event)).get_data(as_text=True)
    assert "Issue to someone who does not qualify" in page
    assert f'<option value="{weak.id}">Beto Weak</option>' in page


def test_jump_form_goes_to_the_activity(client, login, setup):
    event, organiser, _good, _weak = setup
    login(organiser)
    response = client.get("/certificates/manage",
                          query_string={"subject_type": "event", "subject_id": event.id})
    assert response.headers["Location"].endswith(_base(event))
    assert client.get("/certificates/manage?subject_id=x").status_code == 400


def test_large_verdict_page_stays_light(client, login, make_user, make_event, register,
                                        make_template):
    from elearn.accounts.models import User
    from elearn.events.models import AttendanceMode, Registration

    organiser = make_user(roles=["organiser"])
    event = make_event(sessions=2, organiser=organiser)
    make_template()
    users = [User(email=f"u{n}@example.org", full_name=f"Participant {n:04d}")
             for n in range(600)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Registration(event_id=event.id, user_id=u.id, status="confirmed",
                                    mode=AttendanceMode.ONLINE) for u in users)
    db.session.commit()
    login(organiser)
    response = client.get(_base(event))
    page = response.get_data(as_text=True)
    assert "0 of 600 people qualify" in page
    assert "Participant 0199" in page and "Participant 0200" not in page
    assert len(response.data) < 60 * 1024
    assert "Participant 0200" in client.get(f"{_base(event)}?kind=participation&page=2") \
        .get_data(as_text=True)


def test_bulk_with_an_unusable_template_stops_with_a_clear_message(client, login, setup,
                                                                   make_template):
    event, organiser, _good, _weak = setup
    make_template(subject_id=event.id, signatories=0)
    login(organiser)
    page = client.get(_base(event)).get_data(as_text=True)
    assert "has no signatory" in page
    assert "Issue to everyone who qualifies" not in page
    # Refused on the confirmation page, even when posted as confirmed: no job starts.
    response = client.post(f"{_base(event)}/bulk",
                           data={"kind": "participation", "confirmed": "1"})
    assert response.status_code == 409
    assert "has no signatory" in response.get_data(as_text=True)
    assert "Issue the certificates" not in response.get_data(as_text=True)
    assert db.session.scalar(select(IssueJob)) is None
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    issue_one = client.post(f"{_base(event)}/issue?kind=participation",
                            data={"person_id": _good.id})
    assert issue_one.status_code == 409 and "has no signatory" in issue_one.get_data(
        as_text=True)
