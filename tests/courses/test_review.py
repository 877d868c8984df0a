"""The applications review list: filters, bulk decisions; gender never beside a name, and a
gender filter only for programme managers, among people who consented."""

from sqlalchemy import select

from elearn.accounts.models import Gender, Sector
from elearn.courses.models import Enrolment, EnrolmentStatus
from elearn.courses.services import enrolment as service
from elearn.extensions import db


def applicants(edition, make_user):
    people = [
        make_user(full_name="Woman Official", country="JM", gender=Gender.WOMAN,
                  sector=Sector.GOVERNMENT, preferred_language="en"),
        make_user(full_name="Man Private", country="VE", gender=Gender.MAN,
                  sector=Sector.PRIVATE, preferred_language="es"),
        make_user(full_name="Unanswered Academic", country="VE", sector=Sector.ACADEMIA),
    ]
    for person in people:
        service.apply(edition, person, "Motivation text")
    db.session.commit()
    return people


def test_non_staff_get_403(client, login, edition, make_user):
    login(make_user(country="VE", roles=["instructor"]))  # teaches other editions only
    assert client.get(f"/courses/editions/{edition.id}/applications").status_code == 403
    assert client.post(f"/courses/editions/{edition.id}/applications",
                       data={"ids": ["1"], "decision": "accept"}).status_code == 403


def test_filters(client, login, edition, make_user, instructor):
    applicants(edition, make_user)
    login(instructor)
    url = f"/courses/editions/{edition.id}/applications"
    by_country = client.get(url, query_string={"country": "ve"}).data
    assert b"Man Private" in by_country and b"Woman Official" not in by_country
    by_sector = client.get(url, query_string={"sector": "academia"}).data
    assert b"Unanswered Academic" in by_sector and b"Man Private" not in by_sector
    by_status = client.get(url, query_string={"status": "accepted"}).data
    assert b"Man Private" not in by_status


def test_instructor_cannot_filter_by_gender(client, login, edition, make_user, instructor):
    """The edition's own instructor: no gender filter in the form, and ?gender= is ignored, so
    the list cannot be used as an oracle for an applicant's gender."""
    applicants(edition, make_user)
    login(instructor)
    url = f"/courses/editions/{edition.id}/applications"
    page = client.get(url)
    assert page.status_code == 200 and b'name="gender"' not in page.data
    for gender in ("woman", "man", "not_answered"):
        data = client.get(url, query_string={"gender": gender}).data
        assert all(name in data for name in (b"Woman Official", b"Man Private",
                                             b"Unanswered Academic")), gender


def test_programme_manager_filters_only_people_who_consented(client, login, edition,
                                                             make_user):
    applicants(edition, make_user)
    silent = make_user(full_name="Woman Without Consent", gender=Gender.WOMAN,
                       stats_consent_at=None)
    quiet = make_user(full_name="Unanswered Without Consent", stats_consent_at=None)
    for person in (silent, quiet):
        service.apply(edition, person, "Motivation text")
    db.session.commit()
    login(make_user(roles=["programme_manager"]))
    url = f"/courses/editions/{edition.id}/applications"
    assert b'name="gender"' in client.get(url).data
    women = client.get(url, query_string={"gender": "woman"}).data
    assert b"Woman Official" in women and b"Man Private" not in women
    assert b"Woman Without Consent" not in women
    unanswered = client.get(url, query_string={"gender": "not_answered"}).data
    assert b"Unanswered Academic" in unanswered and b"Woman Official" not in unanswered
    assert b"Unanswered Without Consent" not in unanswered
    everyone = client.get(url).data
    assert b"Woman Without Consent" in everyone and b"Unanswered Without Consent" in everyone


def test_gender_never_beside_a_name(client, login, edition, make_user, instructor):
    applicants(edition, make_user)
    for user in (instructor, make_user(roles=["programme_manager"]),
                 make_user(roles=["admin"])):
        login(user)
        page = client.get(f"/courses/editions/{edition.id}/applications").data
        assert b"<th scope=\"col\">Gender</th>" not in page
        assert b">woman<" not in page and b">man<" not in page
        client.post("/logout")


def test_bulk_decision_in_one_go_with_emails(client, login, edition, make_user, instructor,
                                             mailbox):
    people = applicants(edition, make_user)
    rows = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).all()
    login(instructor)
    response = client.post(f"/courses/editions/{edition.id}/applications",
                           data={"ids": [str(rows[0].id), str(rows[1].id)],
                                 "decision": "reject", "reason": "Outside the target group",
                                 "confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    statuses = [r.status for r in db.session.scalars(select(Enrolment).order_by(Enrolment.id))]
    assert statuses == [EnrolmentStatus.REJECTED, EnrolmentStatus.REJECTED,
                        EnrolmentStatus.PENDING]
    message = mailbox.last(people[0].email)
    assert "Outside the target group" in mailbox.text_of(message)
    assert mailbox.last(people[1].email)


def test_bulk_decision_refused_without_selection(client, login, edition, make_user, instructor):
    applicants(edition, make_user)
    login(instructor)
    response = client.post(f"/courses/editions/{edition.id}/applications",
                           data={"decision": "accept"})
    assert response.status_code == 400 and b"Select at least one" in response.data


def test_endorsement_visible_to_staff_and_owner_only(client, login, edition, make_user,
                                                     instructor):
    from .conftest import PDF

    owner = make_user(country="VE")
    row = service.apply(edition, owner, "x", ("letter.pdf", PDF))
    db.session.commit()
    login(make_user(country="VE"))
    assert client.get(f"/courses/enrolments/{row.id}/endorsement").status_code == 403
    client.post("/logout")
    login(instructor)
    response = client.get(f"/courses/enrolments/{row.id}/endorsement")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_absurd_ids_are_not_found(client, login, edition, make_user, instructor):
    applicants(edition, make_user)
    login(instructor)
    assert client.get("/courses/editions/99999999999999999999").status_code == 404
    response = client.post(f"/courses/editions/{edition.id}/applications",
                           data={"ids": ["99999999999999999999"], "decision": "accept"})
    assert response.status_code == 400
    assert client.get(f"/courses/editions/{edition.id}/gradebook?page="
                      + "9" * 5000).status_code == 200
