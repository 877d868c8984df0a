"""The demo step issues certificates for past events and completed editions."""

import random
from datetime import date

from sqlalchemy import select

from elearn.certificates import demo
from elearn.certificates.models import Certificate, CertificateKind
from elearn.extensions import db


def test_demo_uses_attendance_when_recorded_else_confirmed_registrations(
        make_user, make_event, register, attend):
    with_attendance = make_event(sessions=2, title="With roll call")
    without = make_event(sessions=2, title="No roll call")
    a, b, c = (make_user(full_name=n) for n in ("Ana", "Bea", "Caro"))
    register(with_attendance, a)
    register(with_attendance, b)
    attend(a, with_attendance.sessions)  # b attended nothing
    register(without, c)
    lines = demo.populate(random.Random(1))
    db.session.commit()
    issued = {(x.subject_id, x.holder_name): x for x in db.session.scalars(select(Certificate))}
    assert (with_attendance.id, "Ana") in issued
    assert (with_attendance.id, "Bea") not in issued
    assert issued[(without.id, "Caro")].override_justification == demo.DEMO_JUSTIFICATION
    assert any("from attendance" in line for line in lines)
    assert any("confirmed registrations" in line for line in lines)
    # Running it again issues nothing new.
    demo.populate(random.Random(1))
    db.session.commit()
    assert len(db.session.scalars(select(Certificate)).all()) == 2


def test_demo_issues_diplomas_for_completed_editions(make_user):
    from elearn.courses.models import Course, Edition, Enrolment

    edition = Edition(course=Course(title_en="SME policy", title_es="Política PYME"),
                      name_en="2025", starts_on=date(2025, 2, 1), ends_on=date(2025, 6, 1),
                      timezone="America/Caracas", status="completed",
                      require_required_passed=False)
    db.session.add(edition)
    db.session.flush()
    person = make_user(full_name="Dora")
    db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, status="completed"))
    db.session.commit()
    demo.populate(random.Random(1))
    db.session.commit()
    diploma = db.session.scalar(select(Certificate).where(
        Certificate.kind == CertificateKind.DIPLOMA))
    assert diploma is not None and diploma.holder_name == "Dora"
