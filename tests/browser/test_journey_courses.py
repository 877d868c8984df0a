"""Issue 13's course journeys, clicking only what is on the screen from `/`:

(a) a public official of a Caribbean member state logs in, finds the Caribbean edition under
    Courses, applies; once accepted, opens a lesson, goes to the next ones, takes the quiz,
    hands in the case study, sees the progress, and after the results are recorded downloads
    the certificate;
(b) the instructor logs in, reaches the edition's staff page from "My courses", rejects another
    applicant through the confirmation page, accepts the application, grades the case study
    and, after the end (time travels past the due dates), closes the edition through its
    confirmation page and issues the certificate.

English and Spanish; both also on a 360 px screen. Every page visited is checked with
axe (WCAG 2 AA, 2.2 AA, best practice) and for sideways scrolling.
"""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from elearn.certificates.models import CertificateKind, CertificateTemplate, Signatory
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
    Enrolment,
    Lesson,
    Module,
)
from elearn.extensions import db
from tests.browser.journey_kit import Journey
from tests.conftest import PASSWORD

TITLE = {"en": "Gender-focused Diploma Course on SME policies",
         "es": "Diplomado en políticas públicas para pymes con enfoque de género"}
MODULE_ONE = {"en": "SME digitalisation", "es": "Digitalización de las pymes"}
MODULE_TWO = {"en": "Business diagnostics", "es": "Diagnóstico empresarial"}
EDITION = {"en": "Caribbean edition", "es": "Edición del Caribe"}
QUIZ = "Quiz: digital gaps"
CASE = "Case study of your country"


def signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 90), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(5, 85), (150, 5), (295, 45)], fill=(10, 20, 90, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _course_files(app_config, tmp_path):
    app_config["COURSE_FILES_DIR"] = str(tmp_path / "course_files")


def caribbean_edition(instructor) -> Edition:
    """Open for applications; two open modules (three lessons), a quiz due in two days and
    the final case study due in three; the edition ends in four days."""
    now = datetime.now(UTC)
    course = Course(title_en=TITLE["en"], title_es=TITLE["es"], languages=["es", "en"],
                    description_en="For public officials.",
                    description_es="Para funcionarios públicos.")
    edition = Edition(course=course, name_en=EDITION["en"], name_es=EDITION["es"],
                      starts_on=date.today() - timedelta(days=30),
                      ends_on=date.today() + timedelta(days=4),
                      timezone="America/Port_of_Spain", language="en",
                      status=EditionStatus.OPEN, capacity=20,
                      applications_open_at=now - timedelta(days=40),
                      applications_close_at=now + timedelta(days=1),
                      eligible_subregions=["caribbean"], public_officials_only=True,
                      min_grade=60, require_required_passed=True, require_final_passed=True)
    edition.instructors = [EditionInstructor(user_id=instructor.id)]
    first = Module(edition=edition, position=1, title_en=MODULE_ONE["en"],
                   title_es=MODULE_ONE["es"], opens_at=now - timedelta(days=3),
                   hours=6)
    second = Module(edition=edition, position=2, title_en=MODULE_TWO["en"],
                    title_es=MODULE_TWO["es"], opens_at=now - timedelta(days=1), hours=6)
    first.lessons = [Lesson(position=1, title="Why SMEs go digital",
                            body_html="<p>Women-led SMEs gain markets online.</p>"),
                     Lesson(position=2, title="Digital payments",
                            body_html="<p>Payments open new markets.</p>")]
    second.lessons = [Lesson(position=1, title="Diagnostics tools",
                             body_html="<p>Measure before you act.</p>")]
    db.session.add(edition)
    db.session.flush()
    quiz = Assessment(edition=edition, module=first, kind=AssessmentKind.QUIZ, position=1,
                      title=QUIZ, weight=1, required=True, pass_mark=60, max_attempts=2,
                      due_at=now + timedelta(days=2))
    quiz.questions = [Question(position=1, kind=QuestionKind.SINGLE,
                               text="The most frequent barrier for women-led SMEs?",
                               choices=["Access to credit", "Too many clients"], correct=[0])]
    case = Assessment(edition=edition, module=second, kind=AssessmentKind.ASSIGNMENT,
                      position=2, title=CASE, weight=3, required=True, is_final=True,
                      pass_mark=60, max_score=20, due_at=now + timedelta(days=3),
                      late_policy=LatePolicy.FLAG, accepts_text=True, accepts_file=False)
    template = CertificateTemplate(kind=CertificateKind.DIPLOMA, name="Diploma",
                                   organisation_name="Sistema Económico Latinoamericano y "
                                                     "del Caribe")
    template.signatories.append(Signatory(position=0, name="Clarissa Bórquez",
                                          title="Secretaria Permanente",
                                          signature_png=signature_png()))
    db.session.add_all([quiz, case, template])
    db.session.commit()
    return edition


def as_official_apply(j: Journey, email: str) -> None:
    j.start()
    j.log_in(email, PASSWORD)
    j.click_link("Courses")
    j.click_link(EDITION[j.language])
    j.click_link("Apply")
    j.fill("Why do you want to take part, and how will you use what you learn?",
           "To design SME credit lines with a gender lens.")
    j.click_button("Send my application")
    assert j.sees("Pending"), j.text()


def as_instructor_accept(i: Journey, email: str, applicant: str) -> None:
    i.start()
    i.log_in(email, PASSWORD)
    i.click_link("Courses")
    i.click_link("My courses")
    i.click_link(EDITION[i.language], exact=False)  # "Editions I teach" lead to the staff page
    assert i.sees(i._("Staff page of %(name)s") % {"name": EDITION[i.language]})
    i.click_link("Applications")
    # Rejecting is confirmed on a page saying how many people it touches.
    i.check_box("Late Applicant")
    i.select("Decision", "reject")
    i.fill("Reason (sent to the applicant when rejecting)", "Not a public official.")
    i.click_button("Apply the decision")
    assert i.sees(i._("%(n)s will be rejected; each is emailed the reason.") % {"n": 1})
    i.click_button("Apply the decision")
    assert i.sees(i._("%(n)s rejected; each is emailed the reason.") % {"n": 1}), i.text()
    i.check_box(applicant)
    i.select("Decision", "accept")
    i.click_button("Apply the decision")
    assert i.sees(i._("%(n)s accepted.") % {"n": 1}), i.text()


def as_official_learn(j: Journey) -> None:
    j.click_link("Courses")
    j.click_link("My courses")
    j.click_link("Go to the course")
    j.click_link("Why SMEs go digital")
    j.click_link("Next lesson", exact=False)
    assert "Payments open new markets." in j.text()
    j.click_link("Next lesson", exact=False)  # across modules
    assert "Measure before you act." in j.text()
    j.click_link("Previous lesson", exact=False)
    j.click_link(MODULE_ONE[j.language])  # the module's title leads back to the material
    j.click_link(QUIZ)
    j.click_button("Start or continue the quiz")
    j.page.get_by_label("Access to credit").check()
    j.click_button("Submit my answers")
    assert j.sees(j._("Score: %(p)s%%") % {"p": 100}), j.text()
    j.click_link(QUIZ)
    assert j.sees(j._("Your result: %(p)s%%") % {"p": 100})
    j.click_link(EDITION[j.language])
    j.click_link(CASE)
    j.fill("Your answer", "Our SME fund reaches few women: we propose a quota.")
    j.click_button("Hand in")
    assert j.sees("Your work has been handed in.")
    j.click_link("Courses")
    j.click_link("My courses")
    assert j.sees("Progress by module") and j.sees("Lessons viewed")


def as_instructor_grade_and_close(i: Journey, applicant: str) -> None:
    i.click_link("Courses")
    i.click_link("My courses")
    i.click_link(EDITION[i.language], exact=False)
    i.click_link(i._("Submissions: %(title)s") % {"title": CASE})
    i.click_link("Grade")
    i.fill("Score", "18")
    i.click_button("Save the grade")
    assert i.sees("The grade has been saved.")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=5), tick=True):
        i.click_link("Gradebook")
        i.click_link("Close the edition and record results")
        assert i.sees(i._("%(n)s accepted participants will be marked completed.") % {"n": 1})
        assert not i.page.get_by_label(i._("Close early")).count()  # it is over: no reason
        i.click_button("Close the edition and record results")
        assert i.sees(i._("Results recorded: %(c)s completed, %(n)s not completed.")
                      % {"c": 1, "n": 0}), i.text()
        i.click_link(i._("Staff page of %(name)s") % {"name": EDITION[i.language]})
        i.click_link("Certificates")
        i.click_button("Issue")
        assert applicant in i.text()


def as_official_download(j: Journey) -> bytes:
    j.click_link("Courses")
    j.click_link("My courses")
    assert j.sees("Completed")
    j.click_link("My certificates")
    with j.page.expect_download() as download:
        j.page.get_by_role("link", name=j._("PDF")).first.click()
    return open(download.value.path(), "rb").read()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 1280), ("es", 360)])
def test_official_and_instructor_journeys(browser, live_server, app, make_user, language,
                                          width):
    instructor = make_user(email="ana.teacher@sela.example", roles=["instructor"],
                           full_name="Ana Teacher", preferred_language=language)
    official = make_user(email="marsha.brown@mof.gov.jm", full_name="Marsha Brown",
                         country="JM", is_public_official=True, preferred_language=language)
    edition = caribbean_edition(instructor)
    late = make_user(email="late@example.org", full_name="Late Applicant", country="JM")
    db.session.add(Enrolment(edition_id=edition.id, user_id=late.id, motivation="Please."))
    db.session.commit()

    j = Journey(browser, live_server, language=language, width=width)
    i = Journey(browser, live_server, language=language, width=width)
    as_official_apply(j, official.email)
    as_instructor_accept(i, instructor.email, "Marsha Brown")
    as_official_learn(j)
    as_instructor_grade_and_close(i, "Marsha Brown")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=5), tick=True):
        pdf = as_official_download(j)
    assert pdf.startswith(b"%PDF-")
    i.assert_clean()
    j.assert_clean()
    i.close()
    j.close()
