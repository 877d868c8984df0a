"""Issue 16's journey from end to end, clicking only what is on the screen from `/` (the survey
link is opened from the email, as a person's mail program would): the organiser adds a
registration question to her event in the form editor; a participant registers and answers
it; she attends; when the event is over she gets the evaluation survey by email and answers
it; the organiser reads the results by gender. In English and Spanish; every page passes axe
and fits the screen.

The other 23 attendees (12 women and 11 men with Rosa) answer through the same services the
answer page uses, so groups are large enough for a breakdown by gender to be published."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from werkzeug.datastructures import MultiDict

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.events.models import AttendanceMode, EventMode
from elearn.extensions import db
from elearn.forms.answering import ask
from elearn.mail.services import deliver_committed
from elearn.surveys.models import Survey, SurveyInvitation
from elearn.surveys.services import answers, lifecycle
from elearn.surveys.tokens import hash_of, token_for
from tests.browser.journey_kit import Journey
from tests.browser.test_event_journey import wait_for_mail
from tests.browser.test_journey_survey import choose, open_link_from_mail
from tests.conftest import PASSWORD

TITLE = {"en": "Regional workshop on SME export finance",
         "es": "Taller regional de financiamiento de exportaciones de pymes"}
VISA = {"en": "Do you need a visa letter?", "es": "¿Necesita una carta para la visa?"}


def others_attend_and_answer(event, make_user) -> None:
    """23 more people attended; after the survey opens, each answers it."""
    people = [make_user(email=f"p{n}@example.org", full_name=f"Person {n}",
                        gender="woman" if n % 2 else "man", country="PE")
              for n in range(23)]
    for person in people:
        db.session.add(Attendance(session_id=event.sessions[0].id, user_id=person.id,
                                  status=AttendanceStatus.PRESENT, mode=AttendanceMode.ONLINE,
                                  source=AttendanceSource.SELF_CHECK_IN))
    db.session.commit()
    return people


def answer_for(survey: Survey, person, score: int) -> None:
    invitation = db.session.query(SurveyInvitation).filter_by(
        token_hash=hash_of(token_for(survey.id, person.id))).one()
    asked = ask(survey.form.current_version, "en", MultiDict({
        "q-satisfaction": str(score), "q-objectives": "4", "q-usefulness": str(score),
        "q-speakers": "5", "q-organisation": "4", "q-mode": "online", "q-platform": "4",
        "q-recommend": "yes"}))
    assert asked.validate(), asked.errors
    answers.submit(invitation, asked)
    db.session.commit()


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_question_registration_attendance_survey_and_results_by_gender(
        browser, live_server, mailbox, make_user, make_event, language, width):
    olga = make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos",
                     preferred_language=language)
    rosa = make_user(email="rosa@mincomercio.example", full_name="Rosa Quispe", country="PE",
                     gender="woman", preferred_language=language)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    event = make_event(olga, starts_at=start, minutes=180, mode=EventMode.VIRTUAL,
                       capacity_online=40, title_en=TITLE["en"], title_es=TITLE["es"])
    title = TITLE[language]
    o = Journey(browser, live_server, language=language, width=width).start()
    r = Journey(browser, live_server, language=language, width=width).start()
    try:
        # Olga adds a yes/no question from her event's dashboard, in the form editor.
        o.log_in(olga.email, PASSWORD)
        o.click_link("Events")
        o.click_link("My events as organiser")
        o.click_link(title)
        o.click_button("Add registration questions")
        o.click_link(o._("Add a question to section %(n)s") % {"n": 1})
        o.page.get_by_label(o._("Yes or no"), exact=True).check()
        o.click_button("Next")
        o.page.get_by_role("group", name="English").get_by_label(
            o._("Question"), exact=True).fill(VISA["en"])
        o.page.get_by_role("group", name="Español").get_by_label(
            o._("Question"), exact=True).fill(VISA["es"])
        o.check_box("An answer is required")
        o.click_button("Add the question")
        assert o.sees("Question added.")

        # Rosa registers from the catalogue and answers it.
        r.log_in(rosa.email, PASSWORD)
        r.click_link("Events")
        r.click_link(title)
        r.page.get_by_role("group", name=VISA[language]).get_by_label(
            r._("Yes"), exact=True).check()
        r.click_button("Register")
        assert r.sees("You are registered. A confirmation is on its way."), r.text()
        assert r.sees(VISA[language])

        # She attends (the door's check-in is another journey's business), as do 23 others.
        db.session.add(Attendance(session_id=event.sessions[0].id, user_id=rosa.id,
                                  status=AttendanceStatus.PRESENT, mode=AttendanceMode.ONLINE,
                                  source=AttendanceSource.SELF_CHECK_IN))
        people = others_attend_and_answer(event, make_user)
        with time_machine.travel(start + timedelta(days=1), tick=True):
            lifecycle.run()  # the scheduler: the last session has ended, the survey opens
            deliver_committed()
            survey = db.session.query(Survey).filter_by(owner_kind="event",
                                                        owner_id=event.id).one()
            for n, person in enumerate(people):
                answer_for(survey, person, 5 if n % 2 else 3)

            message = wait_for_mail(mailbox, rosa.email,
                                    r._("Your opinion on %(title)s").split("%")[0].strip())
            open_link_from_mail(r, message)
            best = "5 – " + {"en": "Excellent", "es": "Excelente"}[language]
            for key in ("satisfaction", "objectives", "usefulness", "speakers", "organisation"):
                choose(r, key, best)
            choose(r, "mode", {"en": "Online", "es": "En línea"}[language])
            choose(r, "recommend", r._("Yes"))
            r.click_button("Send my answers")
            assert r.sees("Thank you")

            # Olga reads the results by gender from her dashboard.
            o.click_link("Events")
            o.click_link("My events as organiser")
            o.click_link(title)
            o.click_link("Evaluation survey")
            assert o.sees("Answered")
            o.click_link("Results")
            assert o.sees(o._("%(answered)s of %(invited)s people invited answered")
                          % {"answered": 24, "invited": 24})
            by_gender = o._("by %(dimension)s") % {"dimension": o._("Gender").lower()}
            table = o.page.locator("table.stat", has_text=by_gender).first
            rows = {row.locator("th").first.inner_text(): row.inner_text()
                    for row in table.locator("tbody tr").all()}
            assert set(rows) >= {o._("Women"), o._("Men")}, rows
            assert all("12" in rows[o._(group)] for group in ("Women", "Men")), rows
        o.assert_clean()
        r.assert_clean()
    finally:
        o.close()
        r.close()
