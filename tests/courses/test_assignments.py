"""Assignments: hand-in, late policy, file checks, grading with audit, who sees what."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.courses.assessment_models import LatePolicy, Submission
from elearn.courses.errors import CourseError
from elearn.courses.services import assignments
from elearn.extensions import db

from .conftest import PDF, now


def test_text_submission_and_replacement(case_study, participant):
    user = participant()
    first = assignments.submit(case_study, user, "Venezuela case")
    db.session.commit()
    second = assignments.submit(case_study, user, "Better version")
    db.session.commit()
    assert first.id == second.id and second.text == "Better version"
    assert not second.is_late


def test_late_flagged_or_refused(case_study, participant):
    user = participant()
    case_study.due_at = now() - timedelta(hours=1)
    db.session.commit()
    assert assignments.submit(case_study, user, "late work").is_late
    db.session.rollback()
    case_study.late_policy = LatePolicy.REFUSE
    db.session.commit()
    with pytest.raises(CourseError, match="due date has passed") as exc:
        assignments.submit(case_study, user, "too late")
    assert exc.value.status == 409


def test_empty_submission_refused(case_study, participant):
    with pytest.raises(CourseError, match="attach a file") as exc:
        assignments.submit(case_study, participant(), "   ")
    assert exc.value.status == 400


def test_grade_change_is_audited_before_and_after(case_study, participant, instructor):
    user = participant()
    submission = assignments.submit(case_study, user, "text")
    assignments.grade(submission, 15, "Good", actor=instructor)
    db.session.commit()
    assert submission.percent == 75
    assignments.grade(submission, 18, "Better after review", actor=instructor)
    db.session.commit()
    trail = db.session.scalars(select(AuditRecord).where(AuditRecord.action ==
                                                         "assignment.graded")
                               .order_by(AuditRecord.id)).all()
    assert len(trail) == 2
    assert trail[1].before["score"] == 15 and trail[1].after["score"] == 18
    with pytest.raises(CourseError):
        assignments.grade(submission, 25, "", actor=instructor)
    with pytest.raises(CourseError, match="already been graded"):
        assignments.submit(case_study, user, "change after grading")


def upload(client, case_study, name, data):
    return client.post(f"/courses/assessments/{case_study.id}/submit",
                       data={"text": "", "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_file_checks_through_the_page(client, login, case_study, participant, app):
    login(participant())
    exe = upload(client, case_study, "case.pdf", b"MZ\x90\x00 program")
    assert exe.status_code == 400 and b"not accepted" in exe.data
    html = upload(client, case_study, "case.pdf", b"<html><script>alert(1)</script>")
    assert html.status_code == 400
    app.config["COURSE_FILE_MAX_BYTES"] = 50
    big = upload(client, case_study, "case.pdf", PDF + b"0" * 100)
    assert big.status_code == 400 and b"too large" in big.data
    assert db.session.scalar(select(func.count(Submission.id))) == 0
    app.config["COURSE_FILE_MAX_BYTES"] = 10_000
    ok = upload(client, case_study, "../../etc/passwd", PDF)
    assert ok.status_code == 302
    row = db.session.scalar(select(Submission))
    assert row.filename == "etc_passwd.pdf"
    download = client.get(f"/courses/submissions/{row.id}/file")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data == PDF


def test_participant_cannot_see_another_submission_or_grade_it(client, login, case_study,
                                                               participant):
    owner, other = participant(), participant()
    submission = assignments.submit(case_study, owner, "mine")
    db.session.commit()
    login(other)
    assert client.get(f"/courses/submissions/{submission.id}").status_code == 403
    assert client.get(f"/courses/submissions/{submission.id}/file").status_code == 403
    graded = client.post(f"/courses/submissions/{submission.id}/grade",
                         data={"score": "20", "comments": "self-service"})
    assert graded.status_code == 403
    db.session.refresh(submission)
    assert submission.score is None


def test_instructor_grades_through_the_page(client, login, case_study, participant, instructor,
                                            make_user):
    owner = participant()
    submission = assignments.submit(case_study, owner, "mine")
    db.session.commit()
    other_instructor = make_user(roles=["instructor"])  # instructor, but not of this edition
    login(other_instructor)
    assert client.get(f"/courses/submissions/{submission.id}/grade").status_code == 403
    client.post("/logout")
    login(instructor)
    bad = client.post(f"/courses/submissions/{submission.id}/grade",
                      data={"score": "abc", "comments": ""})
    assert bad.status_code == 400 and b"number" in bad.data
    too_high = client.post(f"/courses/submissions/{submission.id}/grade",
                           data={"score": "21", "comments": ""})
    assert too_high.status_code == 400
    ok = client.post(f"/courses/submissions/{submission.id}/grade",
                     data={"score": "16", "comments": "Solid diagnosis"})
    assert ok.status_code == 302
    db.session.refresh(submission)
    assert submission.score == 16 and submission.percent == 80
    client.post("/logout")
    login(owner)
    mine = client.get(f"/courses/submissions/{submission.id}")
    assert mine.status_code == 200 and b"Solid diagnosis" in mine.data
