"""Issue 13 points 6 and 7 for editions: closing is confirmed with counts and refused before
its time (unless closed early with an audited reason); bulk decisions and rejections are
confirmed with counts; messages say who went to the waiting list and why people were skipped."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from elearn.audit.models import AuditRecord
from elearn.courses.models import EditionStatus, Enrolment, EnrolmentStatus
from elearn.courses.services import closing, live
from elearn.courses.services import enrolment as service
from elearn.extensions import db

from .conftest import now


def _statuses(edition):
    db.session.expire_all()
    return [e.status for e in db.session.scalars(
        select(Enrolment).where(Enrolment.edition_id == edition.id).order_by(Enrolment.id))]


def test_closing_asks_first_with_the_counts_and_what_is_not_over(client, login, edition,
                                                                 participant, instructor):
    participant(full_name="First Person")
    participant(full_name="Second Person")
    login(instructor)
    for response in (client.get(f"/courses/editions/{edition.id}/close"),
                     client.post(f"/courses/editions/{edition.id}/close")):
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "0 accepted participants will be marked completed" in text
        assert "2 accepted participants will be marked not completed" in text
        assert "&#34;Quiz 1&#34; is due on" in text or '"Quiz 1" is due on' in text
        assert 'name="close_early"' in text
    assert _statuses(edition) == [EnrolmentStatus.ACCEPTED] * 2
    assert edition.status == EditionStatus.OPEN


def test_closing_too_early_is_refused_without_close_early_and_a_reason(client, login, edition,
                                                                       participant,
                                                                       instructor):
    participant()
    login(instructor)
    url = f"/courses/editions/{edition.id}/close"
    for data in ({"confirmed": "1"}, {"confirmed": "1", "close_early": "1"},
                 {"confirmed": "1", "reason": "Because."}):
        response = client.post(url, data=data)
        assert response.status_code == 409, data
        assert b"too early" in response.data
    assert _statuses(edition) == [EnrolmentStatus.ACCEPTED]
    assert db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "edition.closed_early")) is None
    response = client.post(url, data={"confirmed": "1", "close_early": "1",
                                      "reason": "The ministry ended the programme."})
    assert response.status_code == 302
    assert _statuses(edition) == [EnrolmentStatus.NOT_COMPLETED]
    early = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "edition.closed_early"))
    assert early.actor_id == instructor.id
    assert early.after["reason"] == "The ministry ended the programme."
    assert any("Quiz 1" in line for line in early.after["unmet"])
    again = client.get(url)
    assert again.status_code == 409 and b"already closed" in again.data
    assert f"/courses/editions/{edition.id}/staff".encode() in again.data  # a way back


def test_closing_after_the_end_needs_no_reason(client, login, edition, participant,
                                               instructor):
    participant()
    start = now() + timedelta(days=15)
    live.schedule(edition, "Last class", start, start + timedelta(hours=2), "",
                  actor=instructor)
    db.session.commit()
    with time_machine.travel(now() + timedelta(days=12), tick=False):
        assert any("last live class" in line for line in closing.too_early(edition))
    with time_machine.travel(now() + timedelta(days=16), tick=False):
        assert closing.too_early(edition) == []
        login(instructor)
        page = client.get(f"/courses/editions/{edition.id}/close").get_data(as_text=True)
        assert 'name="close_early"' not in page and "1 accepted participants" in page
        response = client.post(f"/courses/editions/{edition.id}/close",
                               data={"confirmed": "1"})
        assert response.status_code == 302
    assert _statuses(edition) == [EnrolmentStatus.NOT_COMPLETED]
    assert db.session.get(type(edition), edition.id).status == EditionStatus.COMPLETED


def _apply(edition, make_user, n):
    people = [make_user(full_name=f"Applicant {i}", country="VE") for i in range(n)]
    for person in people:
        service.apply(edition, person, "Motivation")
    db.session.commit()
    return [e.id for e in db.session.scalars(select(Enrolment).where(
        Enrolment.edition_id == edition.id).order_by(Enrolment.id))]


def test_bulk_accept_is_confirmed_with_counts_beyond_capacity(client, login, edition, make_user,
                                                              instructor):
    ids = _apply(edition, make_user, 5)  # capacity 3
    login(instructor)
    url = f"/courses/editions/{edition.id}/applications"
    form = {"ids": [str(i) for i in ids], "decision": "accept"}
    page = client.post(url, data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 will be accepted." in text
    assert "2 will go to the waiting list: no place is left." in text
    assert _statuses(edition) == [EnrolmentStatus.PENDING] * 5
    done = client.post(url, data=dict(form, confirmed="1"), follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "3 accepted." in text
    assert "2 went to the waiting list, not accepted: no place was left." in text
    assert _statuses(edition) == [EnrolmentStatus.ACCEPTED] * 3 + \
        [EnrolmentStatus.WAITLISTED] * 2
    again = client.post(url, data=dict(form, confirmed="1"), follow_redirects=True)
    text = again.get_data(as_text=True)
    assert "3 skipped: a decision had already been taken." in text
    assert "2 skipped: already on the waiting list and no place is free." in text


def test_one_accept_beyond_capacity_says_waiting_list_not_approved(client, login, edition,
                                                                  make_user, instructor):
    ids = _apply(edition, make_user, 4)
    service.decide(edition, ids[:3], "accept", actor=instructor)
    db.session.commit()
    login(instructor)
    response = client.post(f"/courses/editions/{edition.id}/applications",
                           data={"ids": [str(ids[3])], "decision": "accept"},
                           follow_redirects=True)  # one person: no confirmation step
    text = response.get_data(as_text=True)
    assert "1 went to the waiting list, not accepted" in text and "1 accepted." not in text
    assert _statuses(edition)[3] == EnrolmentStatus.WAITLISTED


def test_rejecting_one_person_is_confirmed(client, login, edition, make_user, instructor):
    ids = _apply(edition, make_user, 2)
    login(instructor)
    url = f"/courses/editions/{edition.id}/applications"
    form = {"ids": [str(ids[0])], "decision": "reject", "reason": "Outside the target group"}
    page = client.post(url, data=form).get_data(as_text=True)
    assert "1 will be rejected; each is emailed the reason." in page
    assert 'value="Outside the target group"' in page  # carried to the confirming form
    assert _statuses(edition) == [EnrolmentStatus.PENDING] * 2
    client.post(url, data=dict(form, confirmed="1"))
    assert _statuses(edition) == [EnrolmentStatus.REJECTED, EnrolmentStatus.PENDING]
    # the preview itself writes nothing and refuses what decide refuses
    assert service.preview(edition, [ids[1]], "waitlist").waitlisted == 1
    assert _statuses(edition)[1] == EnrolmentStatus.PENDING


def test_the_status_select_cannot_complete_an_edition_behind_the_confirmation(
        client, login, edition, participant, instructor):
    participant()
    login(instructor)
    response = client.post(f"/courses/editions/{edition.id}/status",
                           data={"status": "completed"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/editions/{edition.id}/close")
    assert _statuses(edition) == [EnrolmentStatus.ACCEPTED]
    assert edition.status == EditionStatus.OPEN


def test_the_edition_form_offers_time_zones_from_a_list(client, login, edition, make_user):
    login(make_user(roles=["programme_manager"]))
    page = client.get(f"/courses/{edition.course_id}/editions/new").get_data(as_text=True)
    assert '<select' in page and 'value="America/Port_of_Spain"' in page
    assert 'value="America/Bogota"' in page and "<optgroup" in page
