"""Authoring pages: who may open them, what they save, and how bad input is answered."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.courses.assessment_models import (
    Assessment,
    AssessmentKind,
    LatePolicy,
    Question,
    QuestionKind,
)
from elearn.courses.models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Module,
)
from elearn.courses.services import assignments
from elearn.extensions import db

from .conftest import PDF


@pytest.fixture
def manager(make_user):
    """A programme manager of the Secretariat: creates courses and editions, names instructors."""
    return make_user(email="manager@sela.example", roles=["programme_manager"])


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


EDITION_FORM = {
    "name_en": "Caribbean edition", "starts_on": "2027-03-01", "ends_on": "2027-05-01",
    "timezone": "America/Port_of_Spain", "language": "en", "capacity": "25",
    "applications_open_at": "2027-01-04T09:00", "applications_close_at": "2027-02-01T17:00",
    "eligible_countries": "", "eligible_subregions": ["caribbean"],
    "public_officials_only": "y", "min_grade": "60", "min_attendance_percent": "75",
    "require_required_passed": "y", "require_final_passed": "y", "activity_id": "0",
}


def test_programme_manager_creates_course_from_catalogue(client, login, manager):
    login(manager)
    assert b"/courses/new" in client.get("/courses/").data
    assert client.get("/courses/new").status_code == 200
    bad = client.post("/courses/new", data={"title_en": "X", "languages": ["de"],
                                            "activity_id": "0"})
    assert bad.status_code == 400 and count(Course) == 0
    empty = client.post("/courses/new", data={"title_en": "X", "activity_id": "0"})
    assert empty.status_code == 400 and b"at least one language" in empty.data
    response = client.post("/courses/new", data={
        "title_en": "Digital trade for SMEs", "title_es": "Comercio digital para pymes",
        "description_en": "For officials.", "languages": ["en", "es"], "activity_id": "0"})
    assert response.status_code == 302
    course = db.session.scalar(select(Course))
    assert course.title.get("es", "") == "Comercio digital para pymes"
    assert db.session.scalar(select(AuditRecord).where(AuditRecord.action == "course.created"))
    page = client.get(f"/courses/{course.id}/edit")
    assert page.status_code == 200 and b"Digital trade for SMEs" in page.data
    client.post(f"/courses/{course.id}/edit", data={
        "title_en": "Digital trade", "languages": ["en"], "activity_id": "0"})
    db.session.expire_all()
    assert course.title["en"] == "Digital trade" and course.languages == ["en"]


def test_course_pages_are_for_programme_managers(client, login, make_user, instructor,
                                                 edition):
    """Not for participants, not for the edition's own instructor, not for event organisers."""
    assert client.get("/courses/new").status_code == 302  # to the login page
    for user in (make_user(), instructor, make_user(roles=["organiser"])):
        login(user)
        assert b"/courses/new" not in client.get("/courses/").data
        assert client.get("/courses/new").status_code == 403
        assert client.post("/courses/new", data={"title_en": "X", "languages": ["en"],
                                                 "activity_id": "0"}).status_code == 403
        assert client.get(f"/courses/{edition.course_id}/edit").status_code == 403
        assert client.get(f"/courses/{edition.course_id}/editions/new").status_code == 403
        assert client.get(f"/courses/editions/{edition.id}/instructors").status_code == 403
        assert client.post(f"/courses/editions/{edition.id}/instructors",
                           data={"instructors": [str(user.id)]}).status_code == 403
        client.post("/logout")
    assert [i.user_id for i in edition.instructors] == [instructor.id]


def test_programme_manager_creates_edition_with_instructor(client, login, manager, edition,
                                                   instructor):
    login(manager)
    page = client.get(f"/courses/{edition.course_id}/editions/new")
    assert page.status_code == 200 and b"teacher@example.org" in page.data
    bad = client.post(f"/courses/{edition.course_id}/editions/new",
                      data=dict(EDITION_FORM, timezone="Caribbean/Nowhere",
                                instructors=[str(instructor.id)]))
    assert bad.status_code == 400 and b"Choose a time zone from the list" in bad.data
    assert count(Edition) == 1
    response = client.post(f"/courses/{edition.course_id}/editions/new",
                           data=dict(EDITION_FORM, instructors=[str(instructor.id)]))
    assert response.status_code == 302 and "/manage" in response.location
    new = db.session.scalar(select(Edition).where(Edition.id != edition.id))
    assert new.name == {"en": "Caribbean edition"}
    assert new.status == EditionStatus.DRAFT and new.capacity == 25
    assert new.applications_open_at == datetime(2027, 1, 4, 13, tzinfo=UTC)  # UTC-4
    assert new.min_attendance_share == 0.75 and new.eligible_subregions == ["caribbean"]
    assert [i.user_id for i in new.instructors] == [instructor.id]
    assert db.session.scalar(select(AuditRecord).where(AuditRecord.action ==
                                                       "edition.created")).actor_id == \
        manager.id


def test_manage_page_links_everything(client, login, instructor, edition, quiz):
    login(instructor)
    assert f"/courses/editions/{edition.id}/staff".encode() in \
        client.get(f"/courses/editions/{edition.id}").data
    assert b"/manage" in client.get(f"/courses/editions/{edition.id}/staff").data
    page = client.get(f"/courses/editions/{edition.id}/manage")
    assert page.status_code == 200
    for part in (b"SME digitalisation", b"Why digitalise", b"Quiz 1",
                 b"Case study of your country", b"/courses/lessons/",
                 f"/courses/assessments/{quiz.id}/questions".encode(), b"New lesson"):
        assert part in page.data
    assert b"/instructors" not in page.data  # instructors are named by programme managers


@pytest.fixture
def other_instructor(make_user, edition):
    """Teaches another edition of the same course, not this one."""
    user = make_user(email="other@example.org", roles=["instructor"])
    other = Edition(course_id=edition.course_id, name_en="Other", starts_on=edition.starts_on,
                    ends_on=edition.ends_on, timezone="UTC")
    other.instructors = [EditionInstructor(user_id=user.id)]
    db.session.add(other)
    db.session.commit()
    return user


def test_authoring_forbidden_outside_own_edition(client, login, edition, quiz, participant,
                                                 other_instructor):
    module = edition.modules[0]
    question = quiz.questions[0]
    gets = [f"/courses/editions/{edition.id}/manage",
            f"/courses/editions/{edition.id}/modules/new", f"/courses/modules/{module.id}/edit",
            f"/courses/editions/{edition.id}/quizzes/new",
            f"/courses/editions/{edition.id}/assignments/new",
            f"/courses/assessments/{quiz.id}/edit", f"/courses/assessments/{quiz.id}/questions",
            f"/courses/assessments/{quiz.id}/questions/new",
            f"/courses/questions/{question.id}/edit"]
    posts = [f"/courses/modules/{module.id}/move", f"/courses/modules/{module.id}/remove",
             f"/courses/assessments/{quiz.id}/remove",
             f"/courses/questions/{question.id}/remove"]
    for user in (participant(), other_instructor):
        login(user)
        for url in gets:
            assert client.get(url).status_code == 403, url
        for url in posts:
            assert client.post(url, data={"direction": "up"}).status_code == 403, url
    assert count(Module) == 2 + 0 and len(quiz.questions) == 4
    assert client.get("/courses/editions/999999/manage").status_code == 404


def test_modules_through_the_pages(client, login, instructor, edition):
    login(instructor)
    url = f"/courses/editions/{edition.id}/modules/new"
    bad = client.post(url, data={"title_en": "Late", "opens_at": "2027-03-08T08:00",
                                 "closes_at": "2027-03-01T08:00", "hours": "4"})
    assert bad.status_code == 400 and b"close after it opens" in bad.data
    assert count(Module) == 2
    response = client.post(url, data={"title_en": "Market access", "title_es": "Mercados",
                                      "opens_at": "2027-03-08T08:00", "hours": "6"})
    assert response.status_code == 302
    module = db.session.scalar(select(Module).where(
        Module.title["en"].as_string() == "Market access"))
    assert module.title == {"en": "Market access", "es": "Mercados"}
    assert module.position == 3 and module.hours == 6
    assert module.opens_at == datetime(2027, 3, 8, 12, tzinfo=UTC)  # Caracas is UTC-4
    form = client.get(f"/courses/modules/{module.id}/edit").data
    assert b'value="2027-03-08T08:00"' in form
    client.post(f"/courses/modules/{module.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert module.position == 2
    assert client.post(f"/courses/modules/{module.id}/move",
                       data={"direction": "sideways"}).status_code == 400
    assert client.get(f"/courses/modules/{module.id}/lessons/new").status_code == 200
    assert client.post(f"/courses/modules/{module.id}/remove").status_code == 302
    assert db.session.get(Module, module.id) is None


QUIZ_FORM = {"title": "Quiz 2", "module_id": "0", "instructions": "", "pass_mark": "70",
             "weight": "2", "required": "y", "max_attempts": "2", "time_limit_minutes": "15",
             "due_at": "2027-03-20T23:00"}


def test_quiz_and_questions_through_the_pages(client, login, instructor, edition):
    login(instructor)
    bad = client.post(f"/courses/editions/{edition.id}/quizzes/new",
                      data=dict(QUIZ_FORM, pass_mark="150"))
    assert bad.status_code == 400
    response = client.post(f"/courses/editions/{edition.id}/quizzes/new", data=QUIZ_FORM)
    assert response.status_code == 302
    quiz = db.session.scalar(select(Assessment).where(Assessment.title == "Quiz 2"))
    assert (quiz.kind, quiz.max_attempts, quiz.time_limit_minutes) == (
        AssessmentKind.QUIZ, 2, 15)
    new = f"/courses/assessments/{quiz.id}/questions/new"
    assert client.get(new).status_code == 200
    two_right = {"kind": "single", "text": "Pick one", "points": "1",
                 "options-0-text": "A", "options-0-correct": "y",
                 "options-1-text": "B", "options-1-correct": "y"}
    refused = client.post(new, data=two_right)
    assert refused.status_code == 400 and b"exactly one option" in refused.data
    assert count(Question) == 4
    ok = client.post(new, data=dict(two_right, **{"options-1-correct": ""}))
    assert ok.status_code == 302
    numeric = client.post(new, data={"kind": "numeric", "text": "How many?", "points": "1",
                                     "numeric_answer": "", "tolerance": "0"})
    assert numeric.status_code == 400 and b"correct number" in numeric.data
    client.post(new, data={"kind": "numeric", "text": "How many?", "points": "2",
                           "numeric_answer": "88,5", "tolerance": "5"})
    client.post(new, data={"kind": "true_false", "text": "Women lead SMEs", "points": "1",
                           "true_false": "true"})
    db.session.expire_all()
    kinds = [(q.kind, q.correct) for q in quiz.questions]
    assert kinds == [(QuestionKind.SINGLE, [0]), (QuestionKind.NUMERIC, [88.5]),
                     (QuestionKind.TRUE_FALSE, [True])]
    first = quiz.questions[0]
    edit = client.get(f"/courses/questions/{first.id}/edit").data
    assert b'value="A"' in edit and b"checked" in edit
    client.post(f"/courses/questions/{first.id}/edit", data={
        "kind": "multiple", "text": "Pick both", "points": "1", "options-0-text": "A",
        "options-0-correct": "y", "options-1-text": "B", "options-1-correct": "y"})
    db.session.expire_all()
    assert (first.kind, first.correct) == (QuestionKind.MULTIPLE, [0, 1])
    listing = client.get(f"/courses/assessments/{quiz.id}/questions")
    assert b"Pick both" in listing.data and b"88.5" in listing.data


ASSIGNMENT_FORM = {"title": "Policy brief", "module_id": "0", "instructions": "Two pages",
                   "pass_mark": "60", "weight": "3", "required": "y",
                   "late_policy": "refuse", "max_score": "20", "is_final": "y",
                   "accepts_file": "y", "due_at": ""}


def test_assignment_through_the_pages(client, login, instructor, edition):
    login(instructor)
    url = f"/courses/editions/{edition.id}/assignments/new"
    bad = client.post(url, data=dict(ASSIGNMENT_FORM, accepts_file=""))
    assert bad.status_code == 400 and b"a text answer or both" in bad.data
    module = edition.modules[0]
    assert client.post(url, data=dict(ASSIGNMENT_FORM,
                                      module_id=str(module.id))).status_code == 302
    item = db.session.scalar(select(Assessment).where(Assessment.title == "Policy brief"))
    assert item.late_policy == LatePolicy.REFUSE and item.is_final and item.max_score == 20
    assert item.module_id == module.id and not item.accepts_text
    page = client.get(f"/courses/assessments/{item.id}/edit")
    assert page.status_code == 200 and b"Policy brief" in page.data
    client.post(f"/courses/assessments/{item.id}/edit",
                data=dict(ASSIGNMENT_FORM, max_score="40", late_policy="flag"))
    db.session.expire_all()
    assert item.max_score == 40 and item.late_policy == LatePolicy.FLAG
    assert client.post(f"/courses/assessments/{item.id}/remove").status_code == 302
    assert db.session.get(Assessment, item.id) is None


def test_removing_assessment_with_work_is_409(client, login, instructor, case_study,
                                              participant):
    user = participant()
    assignments.submit(case_study, user, "My case", ("case.pdf", PDF))
    db.session.commit()
    login(instructor)
    response = client.post(f"/courses/assessments/{case_study.id}/remove")
    assert response.status_code == 409 and b"already worked on" in response.data
    assert db.session.get(Assessment, case_study.id) is not None


def test_programme_manager_changes_instructors(client, login, manager, edition, instructor,
                                      make_user):
    second = make_user(email="second@example.org", roles=["instructor"])
    plain = make_user()
    login(manager)
    page = client.get(f"/courses/editions/{edition.id}/instructors")
    assert b"second@example.org" in page.data and plain.email.encode() not in page.data
    bad = client.post(f"/courses/editions/{edition.id}/instructors",
                      data={"instructors": [str(plain.id)]})
    assert bad.status_code == 400 and b"instructor role" in bad.data
    client.post(f"/courses/editions/{edition.id}/instructors",
                data={"instructors": [str(instructor.id), str(second.id)]})
    db.session.expire_all()
    assert sorted(i.user_id for i in edition.instructors) == sorted([instructor.id, second.id])


def test_odd_numbers_and_ids_are_400_not_500(client, login, manager, edition):
    login(manager)
    huge = str(10**11)
    response = client.post(f"/courses/{edition.course_id}/editions/new",
                           data=dict(EDITION_FORM, instructors=[huge], activity_id=huge))
    assert response.status_code == 400 and count(Edition) == 1
    for changes in ({"module_id": huge}, {"weight": "nan"}, {"pass_mark": "inf"}):
        response = client.post(f"/courses/editions/{edition.id}/quizzes/new",
                               data=dict(QUIZ_FORM, **changes))
        assert response.status_code == 400, changes
    assert count(Assessment) == 2
    quiz = db.session.scalar(select(Assessment).where(Assessment.kind == AssessmentKind.QUIZ))
    response = client.post(f"/courses/assessments/{quiz.id}/questions/new", data={
        "kind": "numeric", "text": "?", "points": "1", "numeric_answer": "nan"})
    assert response.status_code == 400 and b"correct number" in response.data
    assert client.get(f"/courses/assessments/{quiz.id}/edit").status_code == 200
    assert client.get(f"/courses/assessments/{huge}/edit").status_code == 404
