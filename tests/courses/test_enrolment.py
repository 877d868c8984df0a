"""Applying, eligibility, seats, waiting list, decisions with email and audit."""

from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from elearn.accounts.models import Sector
from elearn.audit.models import AuditRecord
from elearn.courses.errors import CourseError
from elearn.courses.models import Edition, EditionStatus, Enrolment, EnrolmentStatus
from elearn.courses.services import enrolment as service
from elearn.extensions import db

from .conftest import PDF, now


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def apply_as(user, edition, motivation="I design SME policy."):
    result = service.apply(edition, user, motivation)
    db.session.commit()
    return result


def test_apply_creates_pending_application_and_audit(edition, make_user):
    user = make_user(country="VE")
    enrolment = apply_as(user, edition)
    assert enrolment.status == EnrolmentStatus.PENDING
    assert count(AuditRecord, AuditRecord.action == "enrolment.applied") == 1


def test_applying_twice_is_a_conflict(edition, make_user):
    user = make_user(country="VE")
    apply_as(user, edition)
    with pytest.raises(CourseError) as exc:
        service.apply(edition, user, "again")
    assert exc.value.status == 409 and "already applied" in exc.value.message


@pytest.mark.parametrize("change, message", [
    ({"applications_close_at": -1}, "closed"),
    ({"applications_open_at": +1}, "not opened yet"),
    ({"status": EditionStatus.DRAFT}, "not taking applications"),
    ({"status": EditionStatus.RUNNING}, "not taking applications"),
])
def test_outside_the_window_or_closed(edition, make_user, change, message):
    for key, value in change.items():
        setattr(edition, key, now() + timedelta(days=value) if isinstance(value, int) else value)
    db.session.commit()
    with pytest.raises(CourseError, match=message) as exc:
        service.apply(edition, make_user(country="VE"), "x")
    assert exc.value.status == 409
    assert count(Enrolment) == 0


def test_full_edition_refuses(edition, make_user):
    edition.seats_taken = edition.capacity
    db.session.commit()
    with pytest.raises(CourseError, match="full"):
        service.apply(edition, make_user(country="VE"), "x")


def test_caribbean_edition_eligibility(edition, make_user):
    edition.eligible_subregions = ["caribbean"]
    edition.public_officials_only = True
    db.session.commit()
    official_venezuela = make_user(country="VE", is_public_official=True)
    jamaican_private = make_user(country="JM", is_public_official=False)
    jamaican_official = make_user(country="JM", is_public_official=True)
    for user in (official_venezuela, jamaican_private):
        with pytest.raises(CourseError) as exc:
            service.apply(edition, user, "x")
        assert exc.value.status == 403
        assert exc.value.message == ("This edition is open only to officials of Caribbean "
                                     "member states.")
    assert apply_as(jamaican_official, edition).status == EnrolmentStatus.PENDING


def test_sector_and_country_lists(edition, make_user):
    edition.eligible_countries = ["BR", "AR"]
    edition.eligible_sectors = [Sector.GOVERNMENT.value]
    db.session.commit()
    with pytest.raises(CourseError, match="Brazil"):
        service.apply(edition, make_user(country="VE"), "x")
    with pytest.raises(CourseError, match="sectors"):
        service.apply(edition, make_user(country="BR", sector=Sector.PRIVATE), "x")
    with pytest.raises(CourseError, match="Add your country"):
        service.apply(edition, make_user(), "x")
    apply_as(make_user(country="AR", sector=Sector.GOVERNMENT), edition)


def test_endorsement_must_really_be_a_pdf(edition, make_user):
    user = make_user(country="VE")
    with pytest.raises(CourseError, match="not accepted") as exc:
        service.apply(edition, user, "x", ("letter.pdf", b"MZ\x90 program"))
    assert exc.value.status == 400
    db.session.rollback()
    assert count(Enrolment) == 0
    enrolment = service.apply(edition, user, "x", ("../../letter.pdf", PDF))
    assert enrolment.endorsement_filename == "letter.pdf"


def _pending(edition, make_user, n, **profile):
    out = []
    for i in range(n):
        user = make_user(country="VE", preferred_language="es" if i % 2 else "en", **profile)
        out.append(apply_as(user, edition))
    return out


def test_bulk_accept_takes_seats_then_waitlists_and_emails(edition, make_user, instructor,
                                                           mailbox, app):
    rows = _pending(edition, make_user, 4)
    with app.test_request_context():
        result = service.decide(edition, [r.id for r in rows], "accept", actor=instructor)
        db.session.commit()
    assert (result.accepted, result.waitlisted) == (3, 1)
    db.session.refresh(edition)
    assert edition.seats_taken == 3
    assert [r.status for r in rows] == [EnrolmentStatus.ACCEPTED] * 3 + \
        [EnrolmentStatus.WAITLISTED]
    from elearn.mail.services import deliver_committed
    deliver_committed()
    english = mailbox.last(rows[0].user.email)
    assert mailbox.last(rows[1].user.email)  # each applicant gets their own message
    assert "accepted" in english["Subject"]
    assert "Second edition" in mailbox.text_of(english)
    # rows[3] reads Spanish: the subject is in their language, not the decider's.
    with force_locale("es"):
        spanish = gettext("You are on the waiting list")
    assert mailbox.last(rows[3].user.email)["Subject"] == spanish
    decided = count(AuditRecord, AuditRecord.action == "enrolment.decided")
    assert decided == 4


def test_reject_needs_a_reason_and_writes_nothing_without(edition, make_user, instructor):
    rows = _pending(edition, make_user, 2)
    with pytest.raises(CourseError, match="reason") as exc:
        service.decide(edition, [r.id for r in rows], "reject", actor=instructor)
    assert exc.value.status == 400
    db.session.rollback()
    assert count(Enrolment, Enrolment.status == EnrolmentStatus.PENDING) == 2
    service.decide(edition, [rows[0].id], "reject", actor=instructor,
                   reason="Not a public official.")
    db.session.commit()
    assert rows[0].status == EnrolmentStatus.REJECTED
    assert rows[0].rejection_reason == "Not a public official."


def test_ids_from_another_edition_are_refused(edition, make_user, instructor):
    rows = _pending(edition, make_user, 1)
    other = Edition(course=edition.course, name_en="Other", starts_on=edition.starts_on,
                    ends_on=edition.ends_on, timezone="UTC")
    db.session.add(other)
    db.session.commit()
    with pytest.raises(CourseError):
        service.decide(other, [rows[0].id], "accept", actor=instructor)


def test_withdrawal_frees_the_seat_for_the_first_on_the_waiting_list(edition, make_user,
                                                                      instructor, mailbox):
    rows = _pending(edition, make_user, 5)
    service.decide(edition, [r.id for r in rows], "accept", actor=instructor)
    db.session.commit()
    assert [r.status for r in rows[3:]] == [EnrolmentStatus.WAITLISTED] * 2
    promoted = service.withdraw(rows[0], actor=rows[0].user)
    db.session.commit()
    assert promoted.id == rows[3].id and promoted.status == EnrolmentStatus.ACCEPTED
    assert rows[4].status == EnrolmentStatus.WAITLISTED
    db.session.refresh(edition)
    assert edition.seats_taken == 3
    with pytest.raises(CourseError):
        service.withdraw(rows[0], actor=rows[0].user)


def test_seat_update_is_conditional(edition):
    edition.seats_taken = edition.capacity
    db.session.commit()
    assert service._take_seat(edition) is False
    db.session.refresh(edition)
    assert edition.seats_taken == edition.capacity


# --- pages ------------------------------------------------------------------------------------

def test_apply_page_flow(client, login, make_user, edition):
    user = make_user(country="VE")
    login(user)
    page = client.get(f"/courses/editions/{edition.id}/apply")
    assert page.status_code == 200 and b"motivation" in page.data
    empty = client.post(f"/courses/editions/{edition.id}/apply", data={"motivation": ""})
    assert empty.status_code == 400
    done = client.post(f"/courses/editions/{edition.id}/apply",
                       data={"motivation": "I lead SME policy."})
    assert done.status_code == 302
    again = client.post(f"/courses/editions/{edition.id}/apply", data={"motivation": "x"})
    assert again.status_code == 409 and b"already applied" in again.data


def test_apply_page_refuses_bad_endorsement_with_400(client, login, make_user, edition):
    import io

    login(make_user(country="VE"))
    response = client.post(
        f"/courses/editions/{edition.id}/apply",
        data={"motivation": "x", "endorsement": (io.BytesIO(b"<html>x</html>"), "letter.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert b"not accepted" in response.data
    assert count(Enrolment) == 0


def test_ineligible_person_sees_the_reason(client, login, make_user, edition):
    edition.eligible_subregions = ["caribbean"]
    edition.public_officials_only = True
    db.session.commit()
    login(make_user(country="VE"))
    page = client.get(f"/courses/editions/{edition.id}")
    assert b"open only to officials of Caribbean member states" in page.data
    refused = client.post(f"/courses/editions/{edition.id}/apply", data={"motivation": "x"})
    assert refused.status_code == 403


def test_withdraw_page(client, login, participant, edition):
    user = participant()
    login(user)
    assert client.post(f"/courses/editions/{edition.id}/withdraw").status_code == 302
    assert client.post(f"/courses/editions/{edition.id}/withdraw").status_code == 409


def test_unconfirmed_address_cannot_apply(edition, make_user):
    with pytest.raises(CourseError, match="Confirm your email") as exc:
        service.apply(edition, make_user(country="VE", confirmed=False), "x")
    assert exc.value.status == 403


def test_my_courses_lists_applications_and_teaching(client, login, edition, make_user,
                                                    instructor):
    user = make_user(country="VE")
    apply_as(user, edition)
    login(user)
    page = client.get("/courses/mine").data
    assert b"Second edition" in page and b"Pending" in page
    client.post("/logout")
    login(instructor)
    assert b"Editions I teach" in client.get("/courses/mine").data
