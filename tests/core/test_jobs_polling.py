"""Provider attendance polled on a schedule (issue 15.3): every session on now of a published
BigBlueButton event is polled, each in its own job; a provider that fails costs only its own
session, and its job is tried again. BigBlueButton is stubbed with `responses`."""

from datetime import timedelta

import pytest
import responses
from rq.job import Job
from sqlalchemy import select

from elearn.attendance.models import Attendance, AttendanceStatus
from elearn.attendance.polling import live_sessions, poll_live_meetings
from elearn.db_types import utcnow
from elearn.events.models import AttendanceMode, EventStatus, VideoProvider
from elearn.extensions import db

BBB = "https://bbb.example.org/bigbluebutton/api/"
SECRET = "polling-test-secret"


@pytest.fixture
def app_config(app_config):
    app_config.update(BBB_URL=BBB, BBB_SECRET=SECRET, BBB_TIMEOUT=2)
    return app_config


def meeting_info(*user_ids):
    people = "".join(f"<attendee><userID>{uid}</userID><fullName>P{uid}</fullName>"
                     "<role>VIEWER</role></attendee>" for uid in user_ids)
    return ("<response><returncode>SUCCESS</returncode><meetingID>m</meetingID>"
            "<running>true</running>"
            f"<participantCount>{len(user_ids)}</participantCount>"
            f"<attendees>{people}</attendees></response>")


@pytest.fixture
def meetings(make_user, make_event, register):
    """Two live BBB meetings, and sessions that must not be polled: tomorrow's, a Jitsi one,
    a cancelled event's."""
    people = [make_user(email=f"m{n}@example.org") for n in range(2)]
    live = []
    for n, person in enumerate(people):
        event = make_event(video_provider=VideoProvider.BIGBLUEBUTTON,
                           video_meeting_id=f"meeting-{n}")
        register(event, person, mode=AttendanceMode.ONLINE)
        live.append(event)
    make_event(video_provider=VideoProvider.BIGBLUEBUTTON, video_meeting_id="later",
               starts_at=utcnow() + timedelta(days=1))
    make_event(video_provider=VideoProvider.JITSI, video_meeting_id="jitsi-room")
    make_event(video_provider=VideoProvider.BIGBLUEBUTTON, video_meeting_id="gone",
               status=EventStatus.CANCELLED)
    return live, people


def _stub(event, *user_ids, status=200):
    responses.get(f"{BBB}getMeetingInfo",
                  match=[responses.matchers.query_param_matcher(
                      {"meetingID": event.video_meeting_id}, strict_match=False)],
                  body=meeting_info(*user_ids), status=status)


def _present(event):
    return set(db.session.scalars(select(Attendance.user_id).where(
        Attendance.session_id == event.sessions[0].id,
        Attendance.status == AttendanceStatus.PRESENT)))


@responses.activate
def test_the_command_polls_every_live_meeting_and_nothing_else(app, meetings):
    live, people = meetings
    for event, person in zip(live, people, strict=True):
        _stub(event, person.id)
    assert {s.event_id for s in live_sessions()} == {event.id for event in live}

    result = app.test_cli_runner().invoke(args=["elearn", "poll-attendance"])

    assert "2 live session(s) polled." in result.output, result.output
    db.session.expire_all()
    for event, person in zip(live, people, strict=True):
        assert _present(event) == {person.id}
    assert len(responses.calls) == 2


@responses.activate
def test_a_provider_failing_costs_only_its_own_session(app, meetings):
    live, people = meetings
    _stub(live[0], people[0].id, status=500)
    _stub(live[1], people[1].id)

    assert poll_live_meetings() == 2

    db.session.expire_all()
    assert _present(live[0]) == set() and _present(live[1]) == {people[1].id}


@responses.activate
def test_with_redis_each_session_is_a_job_and_a_failed_one_is_retried(
        app, meetings, rq_worker, monkeypatch):
    live, people = meetings
    monkeypatch.setenv("BBB_URL", BBB)  # the worker's app reads the environment
    monkeypatch.setenv("BBB_SECRET", SECRET)
    _stub(live[0], people[0].id, status=500)
    _stub(live[1], people[1].id)

    assert poll_live_meetings() == 2
    jobs = rq_worker.queue.jobs
    assert [job.args for job in jobs] == [
        ("elearn.attendance.polling.poll_session", event.sessions[0].id) for event in live]
    rq_worker.work()

    db.session.expire_all()
    assert _present(live[1]) == {people[1].id}
    statuses = {job.args[1]: Job.fetch(job.id, connection=rq_worker.connection).get_status()
                for job in jobs}
    assert statuses == {live[0].sessions[0].id: "scheduled",  # tried again in 30 s
                        live[1].sessions[0].id: "finished"}
