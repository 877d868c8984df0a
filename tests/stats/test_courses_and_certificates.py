from datetime import date

import pytest

from elearn.extensions import db
from elearn.stats.queries import GENDERS, Filters
from elearn.stats.services import gender_table

from .conftest import add_certificate

courses = pytest.importorskip("elearn.courses.models")
certificates = pytest.importorskip("elearn.certificates.models")


@pytest.fixture
def edition(app, make_user):
    course = courses.Course(title_en="Gender-focused SME policy", title_es="Política pyme",
                            languages=["es"])
    edition = courses.Edition(course=course, name_en="Regional 2025", starts_on=date(2025, 3, 1),
                              ends_on=date(2025, 6, 30), timezone="America/Caracas")
    db.session.add(edition)
    db.session.commit()
    S = courses.EnrolmentStatus
    people = []
    for gender, status in [("woman", S.COMPLETED)] * 5 + [("man", S.COMPLETED)] * 5 + \
            [("woman", S.ACCEPTED), ("man", S.NOT_COMPLETED), ("woman", S.REJECTED)]:
        person = make_user(gender=gender, country="CO")
        db.session.add(courses.Enrolment(edition_id=edition.id, user_id=person.id,
                                         status=status))
        people.append((person, status))
    for n, (person, _status) in enumerate(people[:8]):
        add_certificate(f"C{n:05d}", certificates.CertificateKind.DIPLOMA,
                        certificates.SubjectType.EDITION, edition.id, person)
    db.session.commit()
    return edition


def test_enrolled_completed_and_certified_by_gender(edition):
    f = Filters(edition_id=edition.id)
    registered = gender_table("registered", ("kind",), f, protected=False)
    completed = gender_table("completed", ("kind",), f, protected=False)
    certified = gender_table("certified", ("year",), f, protected=False)
    woman = GENDERS.index("woman")
    assert registered.matrix[-1][-1] == 12 and registered.matrix[-1][woman] == 6
    assert completed.matrix[-1][-1] == 10 and completed.matrix[-1][woman] == 5
    assert certified.matrix[-1][-1] == 8 and certified.row_labels == [("2025",)]


def test_edition_dashboard_page(client, login, make_user, edition):
    login(make_user(roles=["admin"]))
    page = client.get(f"/stats/edition/{edition.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Participants who completed" in html and "Certified participants" in html
    assert "Colombia" in html
