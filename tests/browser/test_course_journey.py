"""The diploma course journey in a real browser, as the issue's "done means": a public official
from a non-Caribbean member state is refused by the Caribbean edition with a clear reason,
applies to the second edition, is accepted by the instructor, follows a module, takes the quiz,
hands in the case study (a real PDF), attends a live class, and once the instructor has graded
the case study sees the course complete.

The course and its editions are built with the authoring services, as a programme manager's
pages would; the participant's and the instructor's steps go through the browser. A second
journey has the programme manager author a course in the browser, after an event organiser
has been shown the door."""

import re
from datetime import date, timedelta

import pytest

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.courses.assessment_models import AssessmentKind, Submission
from elearn.courses.models import EditionStatus, Enrolment, EnrolmentStatus
from elearn.courses.services import assessment_authoring, authoring, editions, live
from elearn.db_types import utcnow
from elearn.events.models import AttendanceMode
from elearn.extensions import db

PASSWORD = "correct horse battery staple"  # tests/conftest.py's password for make_user
OFFICIAL = "lucia.mendoza@produccion.gob.example"
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(autouse=True)
def _course_files(app_config, tmp_path):
    app_config["COURSE_FILES_DIR"] = str(tmp_path / "course_files")


def edition_values(name, **changes):
    now = utcnow()
    values = {
        "name": {"en": name}, "starts_on": date.today() - timedelta(days=2),
        "ends_on": date.today() + timedelta(days=60), "timezone": "America/Caracas",
        "language": "en", "capacity": 20,
        "applications_open_at": now - timedelta(days=10),
        "applications_close_at": now + timedelta(days=10),
        "eligible_countries": [], "eligible_subregions": [], "eligible_sectors": [],
        "public_officials_only": False, "min_grade": 60, "min_attendance_share": 0.75,
        "require_required_passed": True, "require_final_passed": True,
    }
    values.update(changes)
    return values


def build_course(manager, instructor):
    """Course, a Caribbean edition and a second edition with one module, a lesson, a quiz, the
    final case study and a live class held yesterday."""
    course = authoring.create_course({
        "title_en": "Gender-focused Diploma Course for experts in public policies on SMEs",
        "title_es": "Diplomado en políticas públicas para pymes con enfoque de género",
        "languages": ["es", "en"]}, actor=manager)
    caribbean = authoring.create_edition(
        course, edition_values("Caribbean edition", timezone="America/Port_of_Spain",
                               eligible_subregions=["caribbean"], public_officials_only=True),
        [instructor.id], actor=manager)
    second = authoring.create_edition(course, edition_values("Second edition"),
                                      [instructor.id], actor=manager)
    for edition in (caribbean, second):
        editions.set_status(edition, EditionStatus.OPEN, actor=manager)
    module = authoring.add_module(second, {
        "title_en": "SME digitalisation", "title_es": "Digitalización de las pymes",
        "opens_at": utcnow() - timedelta(days=1), "hours": 12}, actor=manager)
    editions.add_lesson(module, "Why SMEs go digital",
                        "Women-led SMEs gain **markets** through digital tools.",
                        actor=manager)
    quiz = assessment_authoring.create(second, AssessmentKind.QUIZ, {
        "title": "Quiz: digital gaps", "module_id": module.id, "instructions": "",
        "weight": 1, "required": True, "pass_mark": 60,
        "due_at": utcnow() + timedelta(days=7), "max_attempts": 2,
        "time_limit_minutes": 30}, actor=manager)
    assessment_authoring.add_question(
        quiz, "single", "Which is the most frequent barrier for women-led SMEs?",
        options=[("Access to credit", True), ("Too many clients", False)], actor=manager)
    assessment_authoring.add_question(
        quiz, "true_false", "Gender budgeting can be applied to SME programmes.",
        answer=True, actor=manager)
    assessment_authoring.create(second, AssessmentKind.ASSIGNMENT, {
        "title": "Case study of your country", "module_id": module.id,
        "instructions": "Assess one SME programme of your country with a gender lens.",
        "weight": 3, "required": True, "pass_mark": 60, "due_at": utcnow() + timedelta(days=20),
        "late_policy": "flag", "max_score": 20, "is_final": True, "accepts_file": True,
        "accepts_text": False}, actor=manager)
    held = utcnow() - timedelta(days=1)
    session = live.schedule(second, "Live class 1", held, held + timedelta(hours=2),
                            "https://meet.jit.si/sela-diploma", actor=instructor)
    db.session.commit()
    return caribbean, second, session


def log_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_public_official_follows_the_diploma_to_completion(page, browser, live_server, mailbox,
                                                            app, make_user):
    manager = make_user(email="coordinacion@sela.example", roles=["programme_manager"])
    instructor = make_user(email="ana.teacher@sela.example", roles=["instructor"],
                           full_name="Ana Teacher")
    official = make_user(email=OFFICIAL, full_name="Lucía Mendoza", country="VE",
                         is_public_official=True)
    caribbean, second, session = build_course(manager, instructor)
    base = live_server.url

    # The Caribbean edition refuses her, saying why.
    log_in(page, base, OFFICIAL)
    page.goto(base + "/courses/")
    page.get_by_role("link", name="Caribbean edition").click()
    assert "open only to officials of Caribbean member states" in main_text(page)
    assert page.get_by_role("link", name=re.compile("^apply$", re.I)).count() == 0
    response = page.goto(f"{base}/courses/editions/{caribbean.id}/apply")
    assert response.status == 403
    assert "open only to officials of Caribbean member states" in main_text(page)

    # She applies to the second edition.
    page.goto(base + "/courses/")
    page.get_by_role("link", name="Second edition").click()
    page.get_by_role("link", name=re.compile("^apply$", re.I)).click()
    page.get_by_label(re.compile("Why do you want to take part")).fill(
        "I coordinate the SME support programme of my ministry.")
    page.get_by_role("button", name=re.compile("apply|send", re.I)).click()
    assert "Your application has been received" in main_text(page)

    # The instructor accepts her.
    teacher = browser.new_context(locale="en-GB").new_page()
    teacher.set_default_timeout(10_000)
    log_in(teacher, base, "ana.teacher@sela.example")
    teacher.goto(f"{base}/courses/editions/{second.id}")
    teacher.get_by_role("link", name="Staff page").click()
    teacher.get_by_role("link", name="Applications").click()
    # The instructor cannot pick applicants by gender: the filter is not there.
    assert teacher.get_by_label("Gender").count() == 0
    teacher.get_by_role("checkbox", name="Lucía Mendoza").check()
    teacher.get_by_label("Decision").select_option("accept")
    teacher.get_by_role("button", name="Apply the decision").click()
    assert "1 accepted" in main_text(teacher)
    assert "Second edition" in mailbox.text_of(mailbox.last(OFFICIAL))

    # She follows the module: a lesson, the quiz, the case study.
    page.goto(f"{base}/courses/editions/{second.id}")
    page.get_by_role("link", name="Go to the course").click()
    page.get_by_role("link", name="Why SMEs go digital").click()
    assert "gain markets through digital tools" in main_text(page)
    page.go_back()
    page.get_by_role("link", name="Quiz: digital gaps").click()
    page.get_by_role("button", name="Start or continue the quiz").click()
    page.get_by_label("Access to credit").check()
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()
    assert "Score: 100%" in main_text(page)

    page.goto(f"{base}/courses/editions/{second.id}/learn")
    page.get_by_role("link", name="Case study of your country").click()
    page.locator("input[type=file][name=upload]").set_input_files(
        {"name": "case-study-venezuela.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Hand in").click()
    assert "You handed in your work" in main_text(page)

    # She attended the live class: recorded as the instructor's roll call would.
    with app.app_context():
        db.session.expire_all()
        record_attendance(db.session.get(type(session), session.id), official,
                          status=AttendanceStatus.PRESENT, mode=AttendanceMode.ONLINE,
                          source=AttendanceSource.ROLL_CALL, actor=instructor)
        db.session.commit()

    # Not complete until the case study is graded.
    page.goto(base + "/courses/mine")
    assert "Still needed to complete" in main_text(page)

    # The instructor grades the case study from the edition's Manage page.
    teacher.goto(f"{base}/courses/editions/{second.id}")
    teacher.get_by_role("link", name="Staff page").click()
    teacher.get_by_role("link", name="Content: modules, lessons and assessments").click()
    teacher.get_by_role("link", name="Submissions").click()
    teacher.get_by_role("link", name="Grade", exact=True).click()
    teacher.get_by_label("Score").fill("17")
    teacher.get_by_label("Comments for the participant").fill("A clear gender analysis.")
    teacher.get_by_role("button", name=re.compile("save", re.I)).click()
    assert "The grade has been saved" in main_text(teacher)
    teacher.context.close()

    page.goto(base + "/courses/mine")
    text = main_text(page)
    assert "You meet the completion requirements." in text
    assert "Live classes attended: 1 of 1." in text

    with app.app_context():
        db.session.expire_all()
        enrolment = db.session.scalar(db.select(Enrolment).where(
            Enrolment.edition_id == second.id, Enrolment.user_id == official.id))
        assert enrolment.status == EnrolmentStatus.ACCEPTED
        submission = db.session.scalar(db.select(Submission).where(
            Submission.user_id == official.id))
        assert submission.filename == "case-study-venezuela.pdf"
        assert submission.score == 17
        assert db.session.scalar(db.select(Enrolment).where(
            Enrolment.edition_id == caribbean.id)) is None


def test_programme_manager_authors_a_course_in_the_browser(page, browser, live_server, app,
                                                           make_user):
    make_user(email="eventos@sela.example", roles=["organiser"])
    make_user(email="coordinacion@sela.example", roles=["programme_manager"])
    make_user(email="ana.teacher@sela.example", roles=["instructor"], full_name="Ana Teacher")
    base = live_server.url

    # An event organiser neither sees nor reaches the course authoring pages.
    organiser = browser.new_context(locale="en-GB").new_page()
    organiser.set_default_timeout(10_000)
    log_in(organiser, base, "eventos@sela.example")
    organiser.goto(base + "/courses/")
    assert organiser.get_by_role("link", name="New course").count() == 0
    assert organiser.goto(base + "/courses/new").status == 403
    organiser.context.close()

    log_in(page, base, "coordinacion@sela.example")

    page.goto(base + "/courses/")
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Title (English)").fill("Digital trade for SMEs")
    page.get_by_label("Title (Spanish)").fill("Comercio digital para pymes")
    page.get_by_label("Languages the material is in").select_option(["es", "en"])
    page.get_by_role("button", name="Save").click()
    assert "The course has been saved" in main_text(page)

    page.get_by_role("link", name="New edition").click()
    # The edition is taught in the course's first language, Spanish: its name is required,
    # the English one optional.
    page.get_by_label("Name (Spanish)", exact=True).fill("Primera edición")
    page.get_by_label("Name (English)", exact=True).fill("First edition")
    page.get_by_label("Starts on").fill("2027-03-01")
    page.get_by_label("Ends on").fill("2027-05-01")
    # A select of zones (issue 13 point 11): "Mars/Olympus_Mons" cannot even be chosen.
    page.get_by_label("Time zone", exact=True).select_option("America/Caracas")
    page.get_by_label("Instructors").select_option(label="Ana Teacher <ana.teacher@sela.example>")
    page.get_by_role("button", name="Create the edition").click()
    assert "created as a draft" in main_text(page)
    assert "Ana Teacher" in main_text(page)

    page.get_by_role("link", name="New module").click()
    page.get_by_label("Title (Spanish)").fill("Vender en línea")
    page.get_by_label("Title (English)").fill("Selling online")
    page.get_by_label("Hours of training (for certificates)").fill("10")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="New lesson").click()
    page.get_by_label("Title").fill("Marketplaces")
    page.get_by_label("Text (Markdown)").fill("Regional **marketplaces** for SMEs.")
    page.get_by_role("button", name="Save").click()
    assert "The lesson has been saved" in main_text(page)

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="New quiz").click()
    page.get_by_label("Title").fill("Quiz: marketplaces")
    page.get_by_label("Module").select_option(label="Selling online")
    page.get_by_label("Attempts allowed (empty: no limit)").fill("2")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="New question").click()
    page.get_by_label("Kind of question").select_option("single")
    page.get_by_label("Question", exact=True).fill("Which fee do marketplaces charge most often?")
    page.get_by_label("Option 1", exact=True).fill("A commission on each sale")
    page.get_by_label("Option 2", exact=True).fill("Nothing at all")
    page.get_by_role("button", name="Save").click()
    assert "Mark exactly one option as correct" in main_text(page)
    page.get_by_label("Option 1 is correct").check()
    page.get_by_role("button", name="Save").click()
    assert "The question has been saved" in main_text(page)

    page.get_by_role("link", name="First edition").click()
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill("Online sales plan")
    page.get_by_label("This is the final assignment").check()
    page.get_by_role("button", name="Save").click()
    text = main_text(page)
    assert "Selling online" in text and "Marketplaces" in text
    assert "Quiz: marketplaces" in text and "(1 question)" in text
    assert "Online sales plan" in text
