"""Answering the evaluation survey (issue 16 point 3), in English and Spanish: Rosa attended a
workshop; when its last session has ended the scheduler emails her a personal link. She opens
it from the email (the browser goes where the link points), reads that her answers are
anonymous, answers, and is thanked; opening the link again says it was already answered."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from elearn.attendance.models import Attendance, AttendanceSource, AttendanceStatus
from elearn.events.models import AttendanceMode
from elearn.extensions import db
from elearn.mail.services import deliver_committed
from elearn.surveys.services import lifecycle
from elearn.surveys.templates import EVALUATION
from tests.browser.journey_kit import Journey
from tests.browser.test_event_journey import wait_for_mail

TEXTS = {q["key"]: q["text"] for s in EVALUATION["sections"] for q in s["questions"]}


def open_link_from_mail(j: Journey, message) -> None:
    found = re.search(r"https?://\S+?(/surveys/answer/[A-Za-z0-9_-]+)",
                      message.get_body(("plain",)).get_content())
    assert found, message["Subject"]
    j.page.goto(j.base + found.group(1))
    j.arrived()


def choose(j: Journey, key: str, option: str) -> None:
    """Tick `option` among the answers of the question `key`, as read on the page."""
    group = j.page.get_by_role("group", name=TEXTS[key][j.language])
    group.get_by_label(option, exact=True).check()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_participant_answers_the_survey_from_the_email(
        browser, live_server, mailbox, make_event, make_user, register, language):
    start = datetime.now(UTC) - timedelta(days=1)
    event = make_event(starts_at=start, minutes=180, title_en="Port logistics workshop",
                       title_es="Taller de logística portuaria")
    rosa = make_user(email="rosa@example.org", full_name="Rosa Quispe",
                     preferred_language=language, gender="woman", country="PE")
    register(event, rosa)
    db.session.add(Attendance(session_id=event.sessions[0].id, user_id=rosa.id,
                              status=AttendanceStatus.PRESENT, mode=AttendanceMode.ONLINE,
                              source=AttendanceSource.SELF_CHECK_IN))
    db.session.commit()
    lifecycle.run()
    deliver_committed()

    j = Journey(browser, live_server, language=language, width=360)
    try:
        j.start()
        subject = j._("Your opinion on %(title)s").split("%")[0].strip()
        message = wait_for_mail(mailbox, rosa.email, subject)
        open_link_from_mail(j, message)
        assert j.sees("Your answers are anonymous.")
        best = "5 – " + {"en": "Excellent", "es": "Excelente"}[language]
        for key in ("satisfaction", "objectives", "usefulness", "speakers", "organisation"):
            choose(j, key, best)
        choose(j, "mode", {"en": "Online", "es": "En línea"}[language])
        choose(j, "platform", "4")
        j.page.get_by_label(TEXTS["improve"][language]).fill(
            {"en": "Share the slides earlier.", "es": "Compartir antes las presentaciones."}
            [language])
        choose(j, "recommend", j._("Yes"))
        j.click_button("Send my answers")
        assert j.sees("Thank you")
        open_link_from_mail(j, message)
        assert j.sees("Already answered")
        j.assert_clean()
    finally:
        j.close()
