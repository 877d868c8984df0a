"""The demo step builds the three editions of the diploma course with people at every stage."""

import random

from sqlalchemy import func, select

from elearn.accounts.models import Role, User, UserRole
from elearn.accounts.permissions import can
from elearn.courses.models import Course, Edition, EditionStatus, Enrolment, EnrolmentStatus
from elearn.courses.services import completion, live
from elearn.extensions import db


def test_demo_populates_the_diploma_course(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.courses import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(2026)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    db.session.commit()
    lines = demo.populate(rng)
    db.session.commit()
    assert any("First edition" in line for line in lines)
    course = db.session.scalar(select(Course))
    assert course.activity.path_code == "I.III.A.2"
    by_name = {e.name["en"]: e for e in db.session.scalars(select(Edition))}
    first, second, caribbean = (by_name["First edition"], by_name["Second edition"],
                                by_name["Caribbean edition"])
    assert first.status == EditionStatus.COMPLETED
    statuses = dict(db.session.execute(
        select(Enrolment.status, func.count()).where(Enrolment.edition_id == first.id)
        .group_by(Enrolment.status)).all())
    assert statuses.get(EnrolmentStatus.COMPLETED) and statuses.get(EnrolmentStatus.NOT_COMPLETED)
    assert second.status == EditionStatus.RUNNING
    assert {"SME digitalisation", "Business diagnostics"} <= {m.title["en"] for m in second.modules}
    assert len(live.sessions(second)) == 6
    assert caribbean.status == EditionStatus.OPEN
    assert caribbean.activity.path_code == "I.III.A.3"
    assert caribbean.eligible_subregions == ["caribbean"] and caribbean.public_officials_only
    verdicts = completion.evaluate_edition(first)
    assert any(v.complete for v in verdicts.values())
    assert any(not v.complete and v.reasons for v in verdicts.values())


def test_demo_instructor_teaches_some_editions_and_the_manager_all(app):
    """instructor@elearn.demo is scoped to the regional editions; the programme manager (the
    demo organiser, once accounts' demo names it so) reaches every edition."""
    from elearn.accounts import demo as accounts_demo
    from elearn.courses import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(7)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    db.session.commit()
    demo.populate(rng)
    db.session.commit()
    by_name = {e.name["en"]: e for e in db.session.scalars(select(Edition))}
    instructor = db.session.scalar(select(User).where(User.email == "instructor@elearn.demo"))
    assert can(instructor, "teach", by_name["First edition"])
    assert can(instructor, "teach", by_name["Second edition"])
    assert not can(instructor, "teach", by_name["Caribbean edition"])
    manager = db.session.scalar(select(User).where(User.roles.any(
        UserRole.role == Role.PROGRAMME_MANAGER)))
    if manager is None:  # accounts' demo still makes the organiser a plain organiser
        manager = db.session.scalar(select(User).where(User.email == "organiser@elearn.demo"))
        manager.roles.append(UserRole(role=Role.PROGRAMME_MANAGER))
        db.session.commit()
    assert all(can(manager, "teach", edition) for edition in by_name.values())
