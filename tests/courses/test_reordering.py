"""Reordering what authors wrote: modules, lessons and quiz questions move up and down on the
authoring pages, participants see the new order, and nobody can reach outside their own
edition or move an item into or out of another parent."""

import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.courses.assessment_models import Assessment, AssessmentKind, Question, QuestionKind
from elearn.courses.errors import CourseError
from elearn.courses.models import Course, Edition, EditionInstructor, EditionStatus, Lesson, Module
from elearn.courses.services import editions, ordering, quizzes
from elearn.extensions import db


@pytest.fixture
def lessons(edition, instructor):
    """The first module's lessons: "Why digitalise" (from conftest), then two more."""
    module = edition.modules[0]
    editions.add_lesson(module, "Tools for SMEs", actor=instructor)
    editions.add_lesson(module, "Financing growth", actor=instructor)
    db.session.commit()
    return module


def titles(module):
    return [lesson.title for lesson in db.session.scalars(
        select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.position))]


def positions(model, **where):
    query = select(model.id, model.position).order_by(model.id)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.execute(query).all()


def moves():
    return db.session.scalar(select(func.count()).select_from(AuditRecord)
                             .where(AuditRecord.action.like("%.moved"))) or 0


def order_in(html: str, *texts: str) -> list[str]:
    """`texts` sorted by where they first appear in the page."""
    return sorted(texts, key=lambda t: html.index(t))


def move_lesson(client, module, lesson, direction):
    return client.post(f"/courses/modules/{module.id}/lessons/{lesson.id}/move",
                       data={"direction": direction})


def by_title(title):
    return db.session.scalar(select(Lesson).where(Lesson.title == title))


def test_instructor_moves_a_lesson_and_participants_see_it(client, login, instructor,
                                                            edition, lessons, participant):
    learner = participant()
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/manage").get_data(as_text=True)
    tools = by_title("Tools for SMEs")
    assert f"/courses/modules/{lessons.id}/lessons/{tools.id}/move" in page
    response = move_lesson(client, lessons, tools, "up")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/courses/editions/{edition.id}/manage#lesson-{tools.id}")
    db.session.expire_all()
    assert titles(lessons) == ["Tools for SMEs", "Why digitalise", "Financing growth"]
    move_lesson(client, lessons, by_title("Why digitalise"), "down")
    db.session.expire_all()
    assert titles(lessons) == ["Tools for SMEs", "Financing growth", "Why digitalise"]
    assert [p for _i, p in positions(Lesson, module_id=lessons.id)] == [3, 1, 2]

    client.post("/logout")
    login(learner)
    learn = client.get(f"/courses/editions/{edition.id}/learn").get_data(as_text=True)
    assert order_in(learn, "Why digitalise", "Tools for SMEs", "Financing growth") == [
        "Tools for SMEs", "Financing growth", "Why digitalise"]


def test_instructor_moves_a_module_and_participants_see_it(client, login, instructor,
                                                            edition, participant):
    learner = participant()
    second = edition.modules[1]
    login(instructor)
    assert client.post(f"/courses/modules/{second.id}/move",
                       data={"direction": "up"}).status_code == 302
    client.post("/logout")
    login(learner)
    learn = client.get(f"/courses/editions/{edition.id}/learn").get_data(as_text=True)
    assert order_in(learn, "SME digitalisation", "Business diagnostics") == [
        "Business diagnostics", "SME digitalisation"]


def test_the_ends_are_no_ops(client, login, instructor, edition, lessons, quiz):
    login(instructor)
    before = positions(Lesson, module_id=lessons.id)
    assert move_lesson(client, lessons, by_title("Why digitalise"), "up").status_code == 302
    assert move_lesson(client, lessons, by_title("Financing growth"), "down").status_code == 302
    last = quiz.questions[-1]
    assert client.post(f"/courses/assessments/{quiz.id}/questions/{last.id}/move",
                       data={"direction": "down"}).status_code == 302
    first_module = edition.modules[0]
    assert client.post(f"/courses/modules/{first_module.id}/move",
                       data={"direction": "up"}).status_code == 302
    db.session.expire_all()
    assert positions(Lesson, module_id=lessons.id) == before
    assert [q.position for q in quiz.questions] == [1, 2, 3, 4]
    assert moves() == 0  # nothing moved, nothing audited
    assert ordering.move(lessons, by_title("Why digitalise"), -1, actor=instructor) is False


def test_the_page_offers_only_the_moves_that_exist(client, login, instructor, edition,
                                                   lessons):
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/manage").get_data(as_text=True)
    first, last = by_title("Why digitalise"), by_title("Financing growth")
    assert 'aria-label="Move up: Tools for SMEs"' in page
    assert 'aria-label="Move up: Why digitalise"' not in page
    assert 'aria-label="Move down: Financing growth"' not in page
    assert f'id="lesson-{first.id}"' in page and f'id="lesson-{last.id}"' in page
    # The only lesson of the second module has nowhere to go: no form at all.
    alone = edition.modules[1].lessons[0]
    assert f"/lessons/{alone.id}/move" not in page


def test_positions_become_contiguous(instructor, edition, lessons):
    for lesson, position in zip(lessons.lessons, (5, 9, 20), strict=True):
        lesson.position = position
    db.session.commit()
    ordering.move(lessons, by_title("Financing growth"), -1, actor=instructor)
    db.session.commit()
    assert titles(lessons) == ["Why digitalise", "Financing growth", "Tools for SMEs"]
    assert sorted(p for _i, p in positions(Lesson, module_id=lessons.id)) == [1, 2, 3]


def test_moving_across_parents_is_impossible(client, login, instructor, edition, lessons,
                                             quiz, case_study):
    other_module = edition.modules[1]
    foreign_lesson = other_module.lessons[0]
    other_quiz = Assessment(edition=edition, kind=AssessmentKind.QUIZ, position=3,
                            title="Quiz 2", questions=[
                                Question(position=1, kind=QuestionKind.TRUE_FALSE, text="Yes?",
                                         correct=[True]),
                                Question(position=2, kind=QuestionKind.TRUE_FALSE, text="No?",
                                         correct=[False])])
    db.session.add(other_quiz)
    db.session.commit()
    before = (positions(Lesson), positions(Question), positions(Module))
    login(instructor)
    # A lesson of the second module, posted under the first one: not found, nothing written.
    assert move_lesson(client, lessons, foreign_lesson, "up").status_code == 404
    assert move_lesson(client, lessons, foreign_lesson, "down").status_code == 404
    foreign_question = other_quiz.questions[1]
    assert client.post(f"/courses/assessments/{quiz.id}/questions/{foreign_question.id}/move",
                       data={"direction": "up"}).status_code == 404
    # A question under a lesson's URL, ids that do not exist, ids beyond an INTEGER column.
    assert client.post(f"/courses/modules/{lessons.id}/lessons/999999/move",
                       data={"direction": "up"}).status_code == 404
    assert client.post(f"/courses/assessments/{quiz.id}/questions/{2**40}/move",
                       data={"direction": "up"}).status_code == 404
    assert client.post(
        f"/courses/assessments/{case_study.id}/questions/{quiz.questions[1].id}/move",
        data={"direction": "up"}).status_code == 404
    db.session.expire_all()
    assert (positions(Lesson), positions(Question), positions(Module)) == before
    assert moves() == 0
    with pytest.raises(CourseError) as exc:
        ordering.move(lessons, foreign_lesson, -1, actor=instructor)
    assert exc.value.status == 404
    with pytest.raises(CourseError) as exc:
        ordering.move(quiz, foreign_lesson, -1, actor=instructor)  # wrong kind of parent
    assert exc.value.status == 404


def test_bad_direction_is_refused(client, login, instructor, edition, lessons, quiz):
    login(instructor)
    tools = by_title("Tools for SMEs")
    for direction in ("sideways", "", "-1"):
        assert move_lesson(client, lessons, tools, direction).status_code == 400
    assert client.post(f"/courses/assessments/{quiz.id}/questions/{quiz.questions[1].id}/move",
                       data={}).status_code == 400
    with pytest.raises(CourseError) as exc:
        ordering.move(lessons, tools, 2, actor=instructor)
    assert exc.value.status == 400
    assert moves() == 0


@pytest.fixture
def other_instructor(make_user, edition):
    """Teaches another edition of the same course, not this one."""
    teacher = make_user(email="other@example.org", roles=["instructor"])
    course = db.session.get(Course, edition.course_id)
    db.session.add(Edition(course=course, name_en="Caribbean edition", starts_on=date.today(),
                           ends_on=date.today() + timedelta(days=30),
                           timezone="America/Port_of_Spain", status=EditionStatus.OPEN,
                           instructors=[EditionInstructor(user_id=teacher.id)]))
    db.session.commit()
    return teacher


def test_participants_and_other_staff_are_refused(client, login, edition, lessons, quiz,
                                                  participant, other_instructor, make_user):
    tools, second = by_title("Tools for SMEs"), quiz.questions[1]
    module = edition.modules[1]
    posts = [
        (f"/courses/modules/{lessons.id}/lessons/{tools.id}/move", "up"),
        (f"/courses/assessments/{quiz.id}/questions/{second.id}/move", "up"),
        (f"/courses/modules/{module.id}/move", "up"),
    ]
    before = (positions(Lesson), positions(Question), positions(Module))
    for url, direction in posts:  # not logged in: to the login page
        response = client.post(url, data={"direction": direction})
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    for user in (participant(), other_instructor, make_user(roles=["organiser"])):
        login(user)
        for url, direction in posts:
            assert client.post(url, data={"direction": direction}).status_code == 403, url
        assert client.get(f"/courses/editions/{edition.id}/manage").status_code == 403
        client.post("/logout")
    db.session.expire_all()
    assert (positions(Lesson), positions(Question), positions(Module)) == before
    assert moves() == 0


def test_programme_managers_may_reorder(client, login, make_user, edition, lessons):
    login(make_user(roles=["programme_manager"]))
    assert move_lesson(client, lessons, by_title("Financing growth"), "up").status_code == 302
    db.session.expire_all()
    assert titles(lessons) == ["Why digitalise", "Financing growth", "Tools for SMEs"]


def legends(html: str) -> list[str]:
    return re.findall(r"<legend>\d+\. ([^<]+)</legend>", html)


def test_questions_reorder_and_the_quiz_shows_it(client, login, instructor, edition, quiz,
                                                 participant):
    learner = participant()
    login(instructor)
    numeric = quiz.questions[3]
    url = f"/courses/assessments/{quiz.id}/questions/{numeric.id}/move"
    response = client.post(url, data={"direction": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/courses/assessments/{quiz.id}/questions#question-{numeric.id}")
    client.post(url, data={"direction": "up"})
    page = client.get(f"/courses/assessments/{quiz.id}/questions").get_data(as_text=True)
    expected = ["Pick B", "About pi", "Pick A and C", "SMEs matter"]
    assert order_in(page, *expected) == expected
    client.post("/logout")

    login(learner)
    started = client.post(f"/courses/assessments/{quiz.id}/start")
    assert started.status_code == 302
    assert legends(client.get(started.headers["Location"]).get_data(as_text=True)) == expected


def test_reordering_after_attempts_keeps_every_answer(client, login, instructor, edition,
                                                      quiz, participant):
    learner = participant()
    single, multiple, true_false, numeric = quiz.questions
    login(learner)
    attempt_url = client.post(f"/courses/assessments/{quiz.id}/start").headers["Location"]
    # Right on the single choice and the number, wrong on the other two.
    client.post(attempt_url, data={f"q{single.id}": "1", f"q{multiple.id}": ["1"],
                                   f"q{true_false.id}": "false", f"q{numeric.id}": "3,14"})
    attempt = quizzes.attempts_of(quiz, learner)[0]
    answers, percent = dict(attempt.answers), attempt.percent
    right = {r["question"].id: r["correct"] for r in quizzes.results(attempt)}
    assert percent == 50 and right == {single.id: True, multiple.id: False,
                                       true_false.id: False, numeric.id: True}
    client.post("/logout")

    login(instructor)
    page = client.get(f"/courses/assessments/{quiz.id}/questions").get_data(as_text=True)
    assert "You can still change their order" in page
    assert f"/questions/{numeric.id}/move" in page and f"/questions/{single.id}/edit" not in page
    for question in (numeric, numeric, numeric, true_false):
        assert client.post(f"/courses/assessments/{quiz.id}/questions/{question.id}/move",
                           data={"direction": "up"}).status_code == 302
    db.session.expire_all()
    assert [q.text for q in quiz.questions] == ["About pi", "Pick B", "SMEs matter",
                                                "Pick A and C"]
    # The attempt still means what it meant: same answers per question, same score.
    assert attempt.answers == answers and attempt.percent == percent
    assert {r["question"].id: r["correct"] for r in quizzes.results(attempt)} == right
    client.post("/logout")

    login(learner)  # a second attempt is graded per question, whatever the order
    second = client.post(f"/courses/assessments/{quiz.id}/start").headers["Location"]
    client.post(second, data={f"q{single.id}": "1", f"q{multiple.id}": ["0", "2"],
                              f"q{true_false.id}": "true", f"q{numeric.id}": "3.14"})
    assert quizzes.attempts_of(quiz, learner)[1].percent == 100


def test_every_move_is_audited(client, login, instructor, edition, lessons, quiz):
    login(instructor)
    tools = by_title("Tools for SMEs")
    first_lesson = by_title("Why digitalise")
    move_lesson(client, lessons, tools, "up")
    second_module = edition.modules[1]
    client.post(f"/courses/modules/{second_module.id}/move", data={"direction": "up"})
    question = quiz.questions[0]
    client.post(f"/courses/assessments/{quiz.id}/questions/{question.id}/move",
                data={"direction": "down"})
    rows = {r.action: r for r in db.session.scalars(
        select(AuditRecord).where(AuditRecord.action.like("%.moved")))}
    assert set(rows) == {"lesson.moved", "module.moved", "question.moved"}
    assert all(r.actor_id == instructor.id for r in rows.values())
    lesson_row = rows["lesson.moved"]
    assert (lesson_row.subject_type, lesson_row.subject_id) == ("lesson", str(tools.id))
    assert lesson_row.before == {"position": 2}
    assert lesson_row.after == {"position": 1, "swapped_with": first_lesson.id}
    assert rows["module.moved"].subject_id == str(second_module.id)
    assert rows["module.moved"].after["position"] == 1
    question_row = rows["question.moved"]
    assert (question_row.subject_type, question_row.subject_id) == ("assessment", str(quiz.id))
    assert question_row.before == {"question": question.id, "position": 1}
    assert question_row.after["position"] == 2


def test_simultaneous_moves_keep_positions_unique(app, instructor, edition, lessons):
    """Two authors moving lessons of one module at the same moment: one waits for the other,
    so the positions stay 1..n instead of both renumbering from the same old order."""
    module_id, actor_id = lessons.id, instructor.id
    ids = [by_title("Tools for SMEs").id, by_title("Financing growth").id]
    barrier = threading.Barrier(len(ids))
    errors = []

    def move(lesson_id):
        with app.app_context():
            try:
                from elearn.accounts.models import User

                module = db.session.get(Module, module_id)
                lesson = db.session.get(Lesson, lesson_id)
                actor = db.session.get(User, actor_id)
                barrier.wait(timeout=10)
                ordering.move(module, lesson, -1, actor=actor)
                db.session.commit()
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=move, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()
    assert sorted(p for _i, p in positions(Lesson, module_id=module_id)) == [1, 2, 3]
    assert moves() == 2
