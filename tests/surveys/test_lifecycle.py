"""A survey's life: attached to every new event and edition, opened when the last session
ends, invitations to the people who attended only (through the real SMTP test server), one
reminder, closed at its date, and one set of invitations however many schedulers run."""

import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from elearn.courses.models import Course, Edition
from elearn.events.models import Event, EventKind, EventMode, EventStatus
from elearn.extensions import db
from elearn.forms.models import FormPurpose
from elearn.surveys.models import Survey, SurveyInvitation, SurveyStatus
from elearn.surveys.services import lifecycle
from elearn.surveys.services.setup import survey_of
from elearn.surveys.templates import TEMPLATE_KEY

from .conftest import link_token, now, run_scheduler

KEYS = ["satisfaction", "objectives", "usefulness", "speakers", "organisation", "mode",
        "platform", "venue", "improve", "recommend"]


def test_new_events_and_editions_get_the_evaluation_template(app, workshop):
    survey = survey_of("event", workshop.id)
    assert survey.status == SurveyStatus.SCHEDULED and survey.anonymous
    assert survey.form.purpose == FormPurpose.SURVEY
    assert survey.form.template_key == TEMPLATE_KEY
    questions = survey.form.current_version.questions
    assert [q.key for q in questions] == KEYS
    by_key = {q.key: q for q in questions}
    assert (by_key["platform"].condition_key, by_key["platform"].condition_values) == \
        ("mode", ["online"])
    assert by_key["venue"].condition_values == ["in_person"]
    assert set(by_key["satisfaction"].text) == {"en", "es", "pt", "fr"}

    # No session and no dates yet: a survey waiting for a date.
    bare = Event(kind=EventKind.WORKSHOP, mode=EventMode.VIRTUAL, title_en="Later",
                 timezone="UTC", status=EventStatus.DRAFT)
    course = Course(title_en="Diploma", title_es="Diplomado", description_en="x",
                    languages=["es"])
    edition = Edition(course=course, name_en="First", starts_on=date.today(),
                      ends_on=date.today() + timedelta(days=30), timezone="America/Lima")
    db.session.add_all([bare, edition])
    db.session.commit()
    assert survey_of("event", bare.id).status == SurveyStatus.DRAFT
    assert survey_of("edition", edition.id).status == SurveyStatus.SCHEDULED
    # An edition's live classes are evaluated with the edition, not on their own.
    live = Event(kind=EventKind.LIVE_CLASS, mode=EventMode.VIRTUAL, title_en="Live",
                 timezone="UTC")
    db.session.add(live)
    db.session.commit()
    assert survey_of("event", live.id) is None
    # A rolled-back event leaves no survey behind.
    count = db.session.scalar(select(func.count(Survey.id)))
    db.session.add(Event(kind=EventKind.FORUM, mode=EventMode.VIRTUAL, title_en="No",
                         timezone="UTC"))
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(select(func.count(Survey.id))) == count


def test_opens_when_the_last_session_ends_and_invites_only_who_attended(
        app, workshop, people, survey, mailbox):
    last_end = max(s.ends_at for s in workshop.sessions)
    assert run_scheduler(last_end - timedelta(minutes=1))["opened"] == 0
    assert survey.status == SurveyStatus.SCHEDULED and mailbox.messages == []

    assert run_scheduler(last_end + timedelta(minutes=1))["opened"] == 1
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.OPEN
    assert survey.closes_at == survey.opened_at + lifecycle.DEFAULT_OPEN_FOR
    invited = set(db.session.scalars(select(SurveyInvitation.user_id)))
    assert invited == {people["present"].id, people["late"].id}
    assert sorted(m["To"] for m in mailbox.messages) == ["late@example.org",
                                                         "present@example.org"]
    # Each in their language, with a personal link; only a hash of it is stored.
    spanish = mailbox.last("late@example.org")
    assert "Su opinión" in spanish["Subject"] or "opinión" in mailbox.text_of(spanish)
    token = link_token(mailbox, "present@example.org")
    assert token not in {i.token_hash for i in db.session.scalars(select(SurveyInvitation))}
    assert link_token(mailbox, "late@example.org") != token

    # Running again (or later) sends nothing twice.
    mailbox.clear()
    assert run_scheduler(last_end + timedelta(hours=1)) == {"opened": 0, "reminded": 0,
                                                            "closed": 0}
    assert mailbox.messages == []


def test_reminds_once_those_who_have_not_answered(app, client, workshop, people, survey,
                                                  mailbox):
    opened = max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1)
    run_scheduler(opened)
    token = link_token(mailbox, "present@example.org")
    from .conftest import answers

    assert client.post(f"/surveys/answer/{token}", data=answers()).status_code == 200
    mailbox.clear()
    assert run_scheduler(opened + timedelta(days=6))["reminded"] == 0
    assert run_scheduler(opened + timedelta(days=7, minutes=1))["reminded"] == 1
    assert [m["To"] for m in mailbox.messages] == ["late@example.org"]
    assert "Recordatorio" in mailbox.messages[0]["Subject"]
    # The reminder carries the same personal link as the invitation.
    assert link_token(mailbox, "late@example.org")
    mailbox.clear()
    assert run_scheduler(opened + timedelta(days=9))["reminded"] == 0
    assert lifecycle.remind(db.session.get(Survey, survey.id)) is False
    assert mailbox.messages == []


def test_closes_at_its_date_and_then_refuses_answers(app, client, workshop, people, survey,
                                                     mailbox):
    opened = max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1)
    run_scheduler(opened)
    token = link_token(mailbox, "late@example.org")
    db.session.refresh(survey)
    assert run_scheduler(survey.closes_at + timedelta(minutes=1))["closed"] == 1
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.CLOSED and survey.closed_at is not None
    from .conftest import answers

    page = client.get(f"/surveys/answer/{token}")
    assert page.status_code == 410 and "closed" in page.get_data(as_text=True)
    assert client.post(f"/surveys/answer/{token}", data=answers()).status_code == 410
    assert not db.session.scalar(select(func.count()).select_from(SurveyInvitation)
                                 .where(SurveyInvitation.answered.is_(True)))


def test_a_cancelled_event_opens_no_survey(app, workshop, people, survey, mailbox):
    workshop.status = EventStatus.CANCELLED
    db.session.commit()
    assert run_scheduler(now() + timedelta(days=1))["opened"] == 0
    assert mailbox.messages == []


def test_two_schedulers_at_once_send_one_set_of_invitations(app, workshop, people, survey,
                                                            mailbox):
    at = max(s.ends_at for s in workshop.sessions) + timedelta(minutes=1)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def scheduler():
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                outcomes.append(run_scheduler(at)["opened"])
            except Exception as exc:  # a run refused by the database sends nothing either
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(outcomes) == 1, (outcomes, errors)
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 2
    assert sorted(m["To"] for m in mailbox.messages) == ["late@example.org",
                                                         "present@example.org"]
