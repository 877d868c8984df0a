"""Revoked certificates and dead bulk jobs (issue 11.10), the other rights over issued
certificates (11.1), and the bulk form the page really sends (13.1)."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from elearn.audit.models import AuditRecord
from elearn.certificates.kinds import get_kind
from elearn.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    IssueJob,
    JobStatus,
)
from elearn.certificates.services import issue, revoke
from elearn.certificates.services.issuing import build
from elearn.certificates.services.templates import design_for, template_for
from elearn.db_types import utcnow
from elearn.extensions import db

REASON = "Issued to the wrong person by a clerical error."


@pytest.fixture
def revoked(world, make_user, register, attend):
    holder = make_user(email="holder@example.org", full_name="Rosa Holder")
    register(world.event_a, holder)
    attend(holder, world.event_a.sessions)
    certificate, _ = issue(CertificateKind.PARTICIPATION, world.event_a, holder)
    revoke(certificate, REASON, actor=world.people["org_a"])
    db.session.commit()
    return certificate


def test_the_holder_cannot_download_a_revoked_certificate(client, login, revoked):
    login(revoked.holder)
    assert client.get(f"/certificates/{revoked.code}.pdf").status_code == 403
    assert client.get(f"/certificates/{revoked.code}/badge.json").status_code in (403, 410)


def test_mine_lists_a_revoked_certificate_apart_and_without_its_reason(client, login, revoked):
    login(revoked.holder)
    page = client.get("/certificates/mine").get_data(as_text=True)
    current, _, apart = page.partition("Revoked certificates")
    assert "None in force." in current and "Event A" not in current
    assert "Event A" in apart and "Revoked on" in apart
    assert f"/certificates/{revoked.code}.pdf" not in page
    assert REASON not in page


@pytest.mark.parametrize("who", ["org_a", "manager", "admin"])
def test_staff_may_still_download_a_revoked_certificate_marked(client, login, world, revoked,
                                                              who):
    login(world.people[who])
    response = client.get(f"/certificates/{revoked.code}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert "REVOKED" in response.headers["Content-Disposition"]
    assert response.headers["X-Certificate-Status"] == "revoked"


def test_the_public_sees_the_date_of_a_revocation_not_its_reason(client, revoked):
    page = client.get(f"/verify/{revoked.code}").get_data(as_text=True)
    assert "REVOKED" in page and "Revoked on" in page
    assert REASON not in page
    data = client.get(f"/verify/{revoked.code}.json").get_json()
    assert data["status"] == "revoked" and data["revoked_at"]
    assert REASON not in str(data)


@pytest.mark.parametrize("who,sees", [("org_a", True), ("admin", True), ("org_b", False),
                                      ("judge", False)])
def test_only_staff_read_the_reason(client, login, world, revoked, who, sees):
    login(world.people[who])
    assert (REASON in client.get(f"/verify/{revoked.code}").get_data(as_text=True)) is sees


@pytest.mark.parametrize("who", ["org_b", "instr_y", "participant", "judge"])
def test_outsiders_cannot_revoke_reissue_issue_or_download(client, login, world, revoked,
                                                          make_user, register, attend, who):
    other = make_user(email="other@example.org", full_name="Otra Persona")
    register(world.event_a, other)
    attend(other, world.event_a.sessions)
    issued, _ = issue(CertificateKind.PARTICIPATION, world.event_a, other)
    db.session.commit()
    login(world.people[who])
    before = (db.session.scalar(select(func.count(Certificate.id))),
              db.session.scalar(select(func.count(AuditRecord.id))))
    base = f"/certificates/manage/event/{world.event_a.id}"
    assert client.post(f"/certificates/{issued.code}/revoke",
                       data={"reason": "hostile"}).status_code == 403
    assert client.post(f"/certificates/{issued.code}/reissue", data={}).status_code == 403
    assert client.get(f"/certificates/{issued.code}/manage").status_code == 403
    assert client.get(f"/certificates/{issued.code}.pdf").status_code == 403
    assert client.get(f"/certificates/{revoked.code}.pdf").status_code == 403
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/bulk", data={"kind": "participation"}).status_code == 403
    assert client.get(f"{base}/certificates.zip").status_code == 403
    assert (db.session.scalar(select(func.count(Certificate.id))),
            db.session.scalar(select(func.count(AuditRecord.id)))) == before
    db.session.expire_all()
    assert issued.status == CertificateStatus.VALID


def test_a_programme_manager_revokes_but_may_not_override_the_rule(client, login, world,
                                                                  make_user, register):
    weak = make_user(email="weak@example.org", full_name="Beto Weak")
    register(world.event_a, weak)
    login(world.people["manager"])
    base = f"/certificates/manage/event/{world.event_a.id}"
    refused = client.post(f"{base}/issue?kind=participation",
                          data={"person_id": weak.id, "justification": "please"})
    assert refused.status_code == 403  # issuing to someone who does not qualify: admins only
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


class _Forms(HTMLParser):
    """The inputs of each form of a page, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action"), "fields": []}
            self.forms.append(self._current)
        elif tag in ("input", "button") and self._current is not None and attrs.get("name"):
            if tag == "input" or attrs.get("type") == "submit":
                self._current["fields"].append((attrs["name"], attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def test_the_bulk_form_sends_one_kind_and_issues(client, login, world, make_user, register,
                                                attend):
    people = [make_user(email=f"q{n}@example.org", full_name=f"Persona {n}") for n in range(2)]
    for person in people:
        register(world.event_a, person)
        attend(person, world.event_a.sessions)
    login(world.people["org_a"])
    page = client.get(f"/certificates/manage/event/{world.event_a.id}?kind=participation")
    parser = _Forms()
    parser.feed(page.get_data(as_text=True))
    bulk = next(f for f in parser.forms if f["action"].endswith("/bulk"))
    assert [name for name, _ in bulk["fields"]].count("kind") == 1
    confirm = client.post(bulk["action"], data=MultiDict(bulk["fields"]))
    assert confirm.status_code == 200  # the confirmation page, which re-posts one kind
    parser = _Forms()
    parser.feed(confirm.get_data(as_text=True))
    again = next(f for f in parser.forms if f["action"].endswith("/bulk"))
    assert [name for name, _ in again["fields"]].count("kind") == 1
    assert ("confirmed", "1") in again["fields"]
    response = client.post(again["action"], data=MultiDict(again["fields"]))
    assert response.status_code == 302
    job = db.session.scalar(select(IssueJob))
    assert (job.status, job.issued) == (JobStatus.FINISHED, 2)


# --- a bulk job whose worker died ------------------------------------------------------------

@pytest.fixture
def dead_job(world, make_user, register, attend):
    """Four people qualify; the worker issued to two of them, committed, and was killed."""
    people = [make_user(email=f"p{n}@example.org", full_name=f"Persona {n}") for n in range(4)]
    for person in people:
        register(world.event_a, person)
        attend(person, world.event_a.sessions)
    job = IssueJob(kind=CertificateKind.PARTICIPATION, subject_type="event",
                   subject_id=world.event_a.id, status=JobStatus.RUNNING, total=4, done=2,
                   issued=2, created_by_id=world.people["org_a"].id,
                   created_at=utcnow() - timedelta(hours=2),
                   heartbeat_at=utcnow() - timedelta(hours=1))
    db.session.add(job)
    db.session.flush()
    template = template_for(CertificateKind.PARTICIPATION, world.event_a.id)
    verdicts = {v.person.id: v for v in get_kind(CertificateKind.PARTICIPATION).evaluate(
        world.event_a, template)}
    for person in people[:2]:
        certificate = build(CertificateKind.PARTICIPATION, world.event_a, person, template,
                            design_for(template), verdicts[person.id].details)
        certificate.issue_job_id = job.id
        db.session.add(certificate)
    db.session.commit()
    return job, people


def _codes():
    return dict(db.session.execute(select(Certificate.holder_id, Certificate.code)).all())


def test_a_dead_job_is_shown_stalled_and_resumes_where_it_stopped(client, login, world,
                                                                 dead_job, mailbox):
    job, people = dead_job
    first_codes = _codes()
    login(world.people["org_a"])
    page = client.get(f"/certificates/jobs/{job.id}").get_data(as_text=True)
    assert "probably stopped" in page and 'http-equiv="refresh"' not in page
    assert re.search(rf'action="/certificates/jobs/{job.id}/resume"', page)
    response = client.post(f"/certificates/jobs/{job.id}/resume")
    assert response.status_code == 302
    db.session.expire_all()
    assert (job.status, job.total, job.done, job.issued, job.already) == (
        JobStatus.FINISHED, 4, 4, 4, 0)
    codes = _codes()
    assert sorted(codes) == sorted(p.id for p in people)  # one certificate each, no more
    assert db.session.scalar(select(func.count(Certificate.id))) == 4
    for holder_id, code in first_codes.items():
        assert codes[holder_id] == code  # the two issued before the crash are untouched
    assert not mailbox.to("p0@example.org") and mailbox.last("p3@example.org")
    entry = db.session.scalars(select(AuditRecord).where(
        AuditRecord.action == "certificate.bulk_resumed")).one()
    assert entry.actor_id == world.people["org_a"].id
    assert entry.before["status"] == "running" and entry.after["status"] == "queued"
    # Resuming a finished job does nothing.
    assert client.post(f"/certificates/jobs/{job.id}/resume").status_code == 409
    assert db.session.scalar(select(func.count(Certificate.id))) == 4


def test_a_job_still_beating_cannot_be_resumed(client, login, world, dead_job):
    job, _people = dead_job
    job.heartbeat_at = utcnow()
    db.session.commit()
    login(world.people["org_a"])
    assert client.post(f"/certificates/jobs/{job.id}/resume").status_code == 409
    db.session.expire_all()
    assert job.status == JobStatus.RUNNING and job.done == 2
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


@pytest.mark.parametrize("who", ["org_b", "instr_y", "participant", "judge"])
def test_outsiders_cannot_see_or_resume_a_dead_job(client, login, world, dead_job, who):
    job, _people = dead_job
    login(world.people[who])
    assert client.get(f"/certificates/jobs/{job.id}").status_code == 403
    assert client.post(f"/certificates/jobs/{job.id}/resume").status_code == 403
    db.session.expire_all()
    assert job.status == JobStatus.RUNNING
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_a_second_worker_does_not_run_a_job_already_running(world, dead_job):
    from elearn.certificates.services import bulk

    job, _people = dead_job
    bulk.run(job.id)  # a duplicate delivery of the RQ job: the claim refuses it
    db.session.expire_all()
    assert job.status == JobStatus.RUNNING
    assert db.session.scalar(select(func.count(Certificate.id))) == 2


def test_the_command_line_resumes_a_dead_job_too(app, dead_job):
    job, people = dead_job
    result = app.test_cli_runner().invoke(args=["elearn", "resume-certificate-job", str(job.id)])
    assert result.exit_code == 0, result.output
    assert "finished, 4 issued, 0 already had one" in result.output
    assert db.session.scalar(select(func.count(Certificate.id))) == len(people)
    again = app.test_cli_runner().invoke(args=["elearn", "resume-certificate-job", str(job.id)])
    assert again.exit_code != 0 and "nothing to resume" in again.output
