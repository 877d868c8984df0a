"""The statistics roll-up follows every kind of change as it commits: figures read right after
a check-in, a cancellation, a role, profile, date or sub-region change are already the new ones.
(Every test of the suite also checks at its end that the roll-up equals a fresh derivation.)"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, insert, select, update

from elearn.accounts.models import MemberState, Subregion
from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.events.models import AttendanceMode, EventStatus, ParticipantRole
from elearn.events.services import cancel_registration, remove_session, set_role
from elearn.extensions import db
from elearn.stats import rollup
from elearn.stats.models import StatsFact
from elearn.stats.queries import GENDERS, Filters
from elearn.stats.services import gender_table

WOMAN = GENDERS.index("woman")


def total(measure, f, dims=("mode",)):
    return gender_table(measure, dims, f, protected=False).matrix[-1]


def cell(measure, f, dims, value, gender):
    table = gender_table(measure, dims, f, protected=False)
    row = table.rows.index((value,)) if (value,) in table.rows else None
    return 0 if row is None else table.matrix[row][GENDERS.index(gender)]


def check_in(event, person, status=AttendanceStatus.PRESENT):
    record_attendance(event.sessions[0], person, status=status, mode=AttendanceMode.IN_PERSON,
                      source=AttendanceSource.QR_CHECK_IN)
    db.session.commit()


def test_check_in_counts_at_once_and_marking_absent_takes_it_back(population):
    event, people = population
    f = Filters(event_id=event.id)
    before = total("attended", f)
    absent_woman = people[10]  # registered, marked absent by the fixture
    check_in(event, absent_woman)
    assert total("attended", f)[-1] == before[-1] + 1
    assert total("attended", f)[WOMAN] == before[WOMAN] + 1
    check_in(event, absent_woman, status=AttendanceStatus.ABSENT)
    assert total("attended", f) == before


def test_cancelled_registration_leaves_the_registered_figures(population):
    event, people = population
    f = Filters(event_id=event.id)
    before = total("registered", f)[-1]
    reg = next(r for r in event.registrations if r.user_id == people[12].id)
    cancel_registration(reg, people[12])
    db.session.commit()
    assert total("registered", f)[-1] == before - 1


def test_a_participant_made_speaker_moves_to_the_panel(population):
    event, people = population
    f = Filters(event_id=event.id)
    woman = people[0]  # attended as a participant
    attended, panel = total("attended", f)[WOMAN], total("panel", f, ("role",))[WOMAN]
    reg = next(r for r in event.registrations if r.user_id == woman.id)
    set_role(reg, ParticipantRole.SPEAKER, _organiser(event))
    db.session.commit()
    assert total("attended", f)[WOMAN] == attended - 1  # panel attendance is counted apart
    assert total("panel", f, ("role",))[WOMAN] == panel + 1


def _organiser(event):
    from elearn.accounts.models import User
    from elearn.events.models import EventOrganiser

    return db.session.scalar(select(User).join(EventOrganiser, EventOrganiser.user_id == User.id)
                             .where(EventOrganiser.event_id == event.id))


def test_profile_change_moves_the_person_between_cells(population):
    from elearn.accounts.services.profile import update_profile

    event, people = population
    f = Filters(event_id=event.id)
    person = people[0]  # a woman from Venezuela who attended
    assert cell("attended", f, ("country",), "VE", "woman") == 6
    update_profile(person, {"gender": "man", "country": "CO"})
    db.session.commit()
    assert cell("attended", f, ("country",), "VE", "woman") == 5
    assert cell("attended", f, ("country",), "CO", "man") == 1


def test_without_consent_a_person_counts_with_the_profile_not_stated(population, register):
    from elearn.accounts.models import User
    from elearn.accounts.services import set_stats_consent

    event, _people = population
    f = Filters(event_id=event.id)
    # make_user gives consent by default; this person has not agreed (yet).
    person = User(email="sin-consentimiento@example.org", full_name="Sin Consentimiento",
                  gender="woman", country="JM", sector="academia", year_of_birth=1980)
    db.session.add(person)
    db.session.commit()
    register(event, person)
    db.session.commit()
    assert cell("registered", f, ("country",), "JM", "woman") == 2  # the fixture's two
    assert cell("registered", f, ("country",), "", "not_answered") == 1
    set_stats_consent(person, True)  # ticked on the profile form
    db.session.commit()
    assert cell("registered", f, ("country",), "JM", "woman") == 3
    assert cell("registered", f, ("country",), "", "not_answered") == 0
    set_stats_consent(person, False)  # withdrawn: the profile leaves the figures at once
    db.session.commit()
    assert cell("registered", f, ("country",), "JM", "woman") == 2


def test_event_moved_to_another_year_moves_its_figures(population):
    event, _people = population
    assert total("registered", Filters(year=2025))[-1] == 17
    event.starts_at = datetime(2026, 2, 3, 14, tzinfo=UTC)
    db.session.commit()
    assert total("registered", Filters(year=2025))[-1] == 0
    assert total("registered", Filters(year=2026))[-1] == 17


def test_sub_region_change_of_a_member_state(population):
    event, _people = population
    f = Filters(event_id=event.id)
    jamaica = db.session.get(MemberState, "JM")
    original = jamaica.subregion
    try:
        assert cell("registered", f, ("subregion",), "caribbean", "woman") == 2
        jamaica.subregion = Subregion.CENTRAL_AMERICA
        db.session.commit()
        assert cell("registered", f, ("subregion",), "caribbean", "woman") == 0
        assert cell("registered", f, ("subregion",), "central_america", "woman") == 2
    finally:  # member states are shared by the whole test run
        jamaica.subregion = original
        db.session.commit()


def test_removing_a_draft_session_removes_its_attendance(population):
    event, _people = population
    assert total("attended", Filters(event_id=event.id))[-1] == 10
    event.status = EventStatus.DRAFT  # a draft's session is deleted, not kept as cancelled
    db.session.commit()
    remove_session(event.sessions[0], _organiser(event))
    db.session.commit()
    assert total("attended", Filters(event_id=event.id))[-1] == 0


def test_a_transaction_reads_its_own_changes_and_a_rollback_leaves_none(population):
    event, people = population
    f = Filters(event_id=event.id)
    before = total("attended", f)[-1]
    record_attendance(event.sessions[0], people[10], status=AttendanceStatus.PRESENT,
                      mode=AttendanceMode.ONLINE, source=AttendanceSource.SELF_CHECK_IN)
    assert total("attended", f)[-1] == before + 1  # not committed yet
    db.session.rollback()
    assert total("attended", f)[-1] == before
    assert rollup.differences() == ([], [])


def test_orm_bulk_statements_are_followed(population):
    event, people = population
    f = Filters(event_id=event.id)
    before = total("attended", f)[-1]
    late = people[11:]
    db.session.execute(insert(Attendance), [
        {"session_id": event.sessions[0].id, "user_id": p.id, "status": AttendanceStatus.LATE,
         "mode": AttendanceMode.ONLINE, "source": AttendanceSource.CSV_IMPORT,
         "updated_at": datetime.now(UTC)} for p in late])
    db.session.commit()
    assert total("attended", f)[-1] == before + len(late)
    # A bulk UPDATE names no one: everything is derived again.
    db.session.execute(update(Attendance).values(status=AttendanceStatus.ABSENT))
    db.session.commit()
    assert total("attended", f)[-1] == 0


def test_rebuild_derives_the_same_rows_as_the_changes_did(population):
    event, people = population
    check_in(event, people[10])
    rows = db.session.scalar(select(func.count()).select_from(StatsFact))
    assert rollup.differences() == ([], [])
    assert rollup.rebuild() == rows
    db.session.commit()
    assert rollup.differences() == ([], [])
    # 17 registered participants, 11 attended (in person), 5 on the panel
    measures = dict(db.session.execute(select(StatsFact.measure, func.count())
                                       .group_by(StatsFact.measure)).all())
    assert measures == {"registered": 17, "attended": 11, "panel": 5}


def test_rebuild_command(app, population):
    db.session.execute(StatsFact.__table__.delete())  # as after a load past the application
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["elearn", "stats-rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("32 facts derived")
    assert rollup.differences() == ([], [])


courses = pytest.importorskip("elearn.courses.models")
certificates = pytest.importorskip("elearn.certificates.models")


def test_completion_certificate_revocation_and_course_activity(app, make_user, activity):
    course = courses.Course(title_en="SME policy", title_es="Política pyme", languages=["es"])
    edition = courses.Edition(course=course, name_en="Caribbean 2026", starts_on=date(2026, 3, 1),
                              ends_on=date(2026, 6, 30), timezone="America/Jamaica")
    db.session.add(edition)
    db.session.commit()
    person = make_user(gender="woman", country="JM")
    enrolment = courses.Enrolment(edition_id=edition.id, user_id=person.id,
                                  status=courses.EnrolmentStatus.ACCEPTED)
    db.session.add(enrolment)
    db.session.commit()
    f = Filters(edition_id=edition.id)
    assert total("registered", f)[WOMAN] == 1 and total("completed", f)[-1] == 0
    enrolment.status = courses.EnrolmentStatus.COMPLETED
    diploma = certificates.Certificate(
        code="C00001", kind=certificates.CertificateKind.DIPLOMA,
        subject_type=certificates.SubjectType.EDITION, subject_id=edition.id,
        holder_id=person.id, language="es", holder_name=person.full_name,
        organisation_name="SELA", subject_title="Diploma", printed={}, pdf=b"%PDF",
        pdf_sha256="0" * 64)
    db.session.add(diploma)
    db.session.commit()
    assert total("completed", f)[WOMAN] == 1 and total("certified", f)[WOMAN] == 1
    diploma.status = certificates.CertificateStatus.REVOKED
    db.session.commit()
    assert total("certified", f)[-1] == 0
    # The course is filed under an activity later: its figures follow to the programme.
    programme = activity.project.programme_id
    assert total("completed", Filters(programme=programme))[-1] == 0
    course.activity_id = activity.id
    db.session.commit()
    assert total("completed", Filters(programme=programme))[WOMAN] == 1
