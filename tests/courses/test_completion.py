"""Completion: each part of the rule, the reasons given, and a constant number of queries."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.courses.models import Enrolment, EnrolmentStatus
from elearn.courses.services import assignments, completion, live, quizzes
from elearn.events.models import AttendanceMode
from elearn.extensions import db

from .conftest import now


def perfect_quiz(quiz, user):
    single, multiple, true_false, numeric = [str(q.id) for q in quiz.questions]
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {single: "1", multiple: ["0", "2"], true_false: "true",
                                   numeric: "3.14"})


def classes(edition, instructor, n=4):
    start = now() - timedelta(days=n + 1)
    return [live.schedule(edition, f"Class {i}", start + timedelta(days=i),
                          start + timedelta(days=i, hours=2), actor=instructor)
            for i in range(n)]


def attend(sessions, user, statuses):
    for session, status in zip(sessions, statuses, strict=False):
        record_attendance(session, user, status=AttendanceStatus(status),
                          mode=AttendanceMode.ONLINE, source=AttendanceSource.ROLL_CALL)


def enrolment_of(user):
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))


def test_complete_participant(edition, quiz, case_study, participant, instructor):
    user = participant()
    perfect_quiz(quiz, user)
    assignments.grade(assignments.submit(case_study, user, "case"), 16, "", actor=instructor)
    sessions = classes(edition, instructor)
    attend(sessions, user, ["present", "late", "present", "absent"])
    db.session.commit()
    verdict = completion.evaluate(enrolment_of(user))
    assert verdict.complete, verdict.reasons
    assert verdict.grade == pytest.approx((100 * 1 + 80 * 3) / 4)
    assert verdict.attendance_share == 0.75


def test_reasons_explain_what_is_missing(edition, quiz, case_study, participant, instructor):
    user = participant()
    single = str(quiz.questions[0].id)
    attempt = quizzes.start(quiz, user)
    quizzes.submit(attempt, user, {single: "1"})  # 25 %
    assignments.submit(case_study, user, "case")  # not graded
    sessions = classes(edition, instructor)
    attend(sessions, user, ["present", "absent", "excused", "absent"])
    db.session.commit()
    verdict = completion.evaluate(enrolment_of(user))
    assert not verdict.complete
    text = " | ".join(verdict.reasons)
    assert "weighted grade is 6%; at least 60% is needed" in text
    assert '"Quiz 1" is not passed: 25% (pass mark 50%)' in text
    assert '"Case study of your country" is handed in but not graded yet' in text
    assert "Attended 1 of 4 live classes (25%); at least 75% is needed" in text


def test_final_assignment_failing_blocks_completion(edition, quiz, case_study, participant,
                                                   instructor):
    edition.require_required_passed = False
    edition.min_grade = None
    edition.min_attendance_share = None
    case_study.required = False
    user = participant()
    perfect_quiz(quiz, user)
    assignments.grade(assignments.submit(case_study, user, "case"), 5, "", actor=instructor)
    db.session.commit()
    verdict = completion.evaluate(enrolment_of(user))
    assert verdict.reasons == ['"Case study of your country" is not passed: 25% (pass mark 60%).']


def test_no_live_classes_means_attendance_is_not_counted(edition, quiz, case_study,
                                                         participant, instructor):
    user = participant()
    perfect_quiz(quiz, user)
    assignments.grade(assignments.submit(case_study, user, "x"), 20, "", actor=instructor)
    db.session.commit()
    verdict = completion.evaluate(enrolment_of(user))
    assert verdict.complete and verdict.attendance_share is None


def _count_queries(fn):
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        result = fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return result, len(statements)


def _populate(edition, quiz, case_study, participant, instructor, n, sessions):
    for _ in range(n):
        user = participant()
        perfect_quiz(quiz, user)
        assignments.grade(assignments.submit(case_study, user, "x"), 12, "", actor=instructor)
        attend(sessions, user, ["present"] * 3)
    db.session.commit()


def test_evaluate_edition_uses_a_constant_number_of_queries(edition, quiz, case_study,
                                                            participant, instructor):
    edition.capacity = None
    sessions = classes(edition, instructor, 3)
    _populate(edition, quiz, case_study, participant, instructor, 3, sessions)
    db.session.expire_all()
    few, few_queries = _count_queries(lambda: completion.evaluate_edition(edition))
    _populate(edition, quiz, case_study, participant, instructor, 12, sessions)
    db.session.expire_all()
    many, many_queries = _count_queries(lambda: completion.evaluate_edition(edition))
    assert len(few) == 3 and len(many) == 15
    assert few_queries == many_queries <= 12
    assert all(v.complete for v in many.values())


def test_record_results_closes_the_edition(edition, quiz, case_study, participant, instructor):
    good, poor = participant(), participant()
    for user in (good, poor):
        perfect_quiz(quiz, user)
    assignments.grade(assignments.submit(case_study, good, "x"), 20, "", actor=instructor)
    edition.min_attendance_share = None
    db.session.commit()
    counts = completion.record_results(edition, actor=instructor)
    db.session.commit()
    assert counts == {"completed": 1, "not_completed": 1}
    assert enrolment_of(good).status == EnrolmentStatus.COMPLETED
    assert enrolment_of(good).final_grade == 100
    assert enrolment_of(poor).status == EnrolmentStatus.NOT_COMPLETED
    assert edition.status.value == "completed"
    # Results stay evaluable for certificates after the close.
    assert completion.evaluate(enrolment_of(good)).complete
