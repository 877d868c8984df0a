"""The rule of each kind: who is considered, who qualifies, and the reason given."""

import types
from datetime import UTC, date, datetime

import pytest

from elearn.certificates.kinds import get_kind
from elearn.certificates.models import CertificateKind
from elearn.extensions import db


def _verdicts(kind, subject, template=None):
    return {v.person.email: v for v in get_kind(kind).evaluate(subject, template)}


def test_participation_counts_present_and_late_against_the_threshold(
        make_user, make_event, register, attend, make_template):
    event = make_event(sessions=4)
    s = event.sessions
    full = make_user(email="full@example.org")
    late = make_user(email="late@example.org")
    short = make_user(email="short@example.org")
    excused = make_user(email="excused@example.org")
    for person in (full, late, short, excused):
        register(event, person)
    attend(full, s)
    attend(late, s[:2])
    attend(late, s[2:3], status="late")  # 3 of 4 = 75 %
    attend(short, s[:2])
    attend(short, s[2:], status="absent")
    attend(excused, s, status="excused")
    verdicts = _verdicts(CertificateKind.PARTICIPATION, event, make_template())
    assert verdicts["full@example.org"].qualifies
    assert verdicts["late@example.org"].qualifies
    assert "3 of 4" in verdicts["late@example.org"].reason
    assert not verdicts["short@example.org"].qualifies
    assert "2 of 4" in verdicts["short@example.org"].reason
    assert "75%" in verdicts["short@example.org"].reason
    assert not verdicts["excused@example.org"].qualifies
    assert verdicts["full@example.org"].details == {"sessions_attended": 4, "sessions": 4}


def test_participation_threshold_is_per_template_and_ignores_cancelled_sessions(
        make_user, make_event, register, attend, make_template):
    event = make_event(sessions=4)
    event.sessions[3].cancelled = True
    db.session.commit()
    person = make_user(email="ana@example.org")
    register(event, person)
    attend(person, event.sessions[:2])  # 2 of 3 remaining sessions = 66 %
    strict = make_template(min_attendance_percent=75)
    lenient = make_template(subject_id=event.id, min_attendance_percent=60)
    assert not _verdicts(CertificateKind.PARTICIPATION, event, strict)["ana@example.org"].qualifies
    verdict = _verdicts(CertificateKind.PARTICIPATION, event, lenient)["ana@example.org"]
    assert verdict.qualifies and "2 of 3" in verdict.reason


def test_participation_considers_walk_ins_with_attendance_but_not_cancelled_registrations(
        make_user, make_event, register, attend):
    event = make_event(sessions=2)
    walk_in = make_user(email="walkin@example.org")
    cancelled = make_user(email="gone@example.org")
    attend(walk_in, event.sessions)
    register(event, cancelled, status="cancelled")
    verdicts = _verdicts(CertificateKind.PARTICIPATION, event)
    assert set(verdicts) == {"walkin@example.org"}
    ok, reason = get_kind(CertificateKind.PARTICIPATION).qualifies(cancelled, event)
    assert not ok and reason


def test_speaker_needs_a_confirmed_speaking_role(make_user, make_event, register):
    event = make_event()
    speaker = make_user(email="speaker@example.org")
    pending = make_user(email="pending@example.org")
    listener = make_user(email="listener@example.org")
    register(event, speaker, role="panellist")
    register(event, pending, role="speaker", status="pending")
    register(event, listener)
    verdicts = _verdicts(CertificateKind.SPEAKER, event)
    assert verdicts["speaker@example.org"].qualifies
    assert verdicts["speaker@example.org"].details == {"role": "panellist"}
    assert not verdicts["pending@example.org"].qualifies
    assert "Awaiting approval" in verdicts["pending@example.org"].reason  # a label, not a code
    assert "listener@example.org" not in verdicts
    assert get_kind(CertificateKind.SPEAKER).qualifies(listener, event)[0] is False


@pytest.fixture
def edition(app):
    from elearn.courses.models import Course, Edition, EditionStatus, Module

    course = Course(title_en="Gender-focused SME policy", title_es="Políticas PYME con enfoque "
                    "de género", languages=["es", "en"])
    edition = Edition(course=course, name_en="Regional 2026", starts_on=date(2026, 2, 2),
                      ends_on=date(2026, 5, 29), timezone="America/Caracas",
                      status=EditionStatus.COMPLETED)
    edition.modules = [Module(title_en=f"M{n}", hours=h, position=n)
                       for n, h in enumerate([20, 20, 25.5])]
    db.session.add(edition)
    db.session.commit()
    return edition


def _enrol(edition, user, status):
    from elearn.courses.models import Enrolment

    db.session.add(Enrolment(edition_id=edition.id, user_id=user.id, status=status))
    db.session.commit()


def test_diploma_without_completion_service_uses_the_recorded_status(make_user, edition,
                                                                    monkeypatch):
    monkeypatch.setattr("elearn.certificates.kinds.completion_service", lambda: None)
    done = make_user(email="done@example.org")
    going = make_user(email="going@example.org")
    _enrol(edition, done, "completed")
    _enrol(edition, going, "not_completed")
    _enrol(edition, make_user(email="rejected@example.org"), "rejected")
    verdicts = _verdicts(CertificateKind.DIPLOMA, edition)
    assert verdicts["done@example.org"].qualifies
    assert not verdicts["going@example.org"].qualifies
    assert "rejected@example.org" not in verdicts


def test_diploma_asks_a_per_person_completion_service(make_user, edition, monkeypatch):
    """The adapter's contract: completion.evaluate(enrolment) -> Verdict(complete, reasons)."""
    calls = []

    def evaluate(enrolment):
        calls.append(enrolment.user_id)
        ok = enrolment.user.email.startswith("yes")
        return types.SimpleNamespace(complete=ok, reasons=[] if ok else ["Final grade 52 < 60"],
                                     grade=88.0 if ok else 52.0)

    fake = types.ModuleType("elearn.courses.services.completion")
    fake.evaluate = evaluate
    monkeypatch.setattr("elearn.certificates.kinds.completion_service", lambda: fake)
    yes = make_user(email="yes@example.org")
    no = make_user(email="no@example.org")
    _enrol(edition, yes, "accepted")
    _enrol(edition, no, "completed")  # the service, not the status, decides
    verdicts = _verdicts(CertificateKind.DIPLOMA, edition)
    assert verdicts["yes@example.org"].qualifies
    assert verdicts["yes@example.org"].details == {"grade": 88.0}
    assert not verdicts["no@example.org"].qualifies
    assert verdicts["no@example.org"].reason == "Final grade 52 < 60"
    assert sorted(calls) == sorted([yes.id, no.id])


def test_diploma_follows_the_real_completion_service(make_user, edition):
    """The courses domain's own rule: here a minimum grade with no graded work fails."""
    edition.min_grade = 60
    edition.require_required_passed = False
    db.session.commit()
    person = make_user(email="maria@example.org")
    _enrol(edition, person, "completed")
    verdict = _verdicts(CertificateKind.DIPLOMA, edition)["maria@example.org"]
    assert not verdict.qualifies and verdict.reason
    edition.min_grade = None
    db.session.commit()
    verdict = _verdicts(CertificateKind.DIPLOMA, edition)["maria@example.org"]
    assert verdict.qualifies


def test_edition_hours_are_the_modules_hours(edition):
    from elearn.certificates.subjects import subject_adapter

    facts = subject_adapter("edition").facts(edition, "es")
    assert facts.hours == 65.5
    assert facts.title.startswith("Políticas PYME")
    assert (facts.starts_on, facts.ends_on) == (date(2026, 2, 2), date(2026, 5, 29))


def test_instructor_kind_lists_the_edition_instructors(make_user, edition):
    from elearn.courses.models import EditionInstructor

    teacher = make_user(email="teacher@example.org")
    db.session.add(EditionInstructor(edition_id=edition.id, user_id=teacher.id))
    db.session.commit()
    db.session.refresh(edition)
    verdicts = _verdicts(CertificateKind.INSTRUCTOR, edition)
    assert list(verdicts) == ["teacher@example.org"] and verdicts["teacher@example.org"].qualifies
    assert get_kind(CertificateKind.INSTRUCTOR).qualifies(make_user(), edition)[0] is False


@pytest.fixture
def hackathon(app, make_event):
    from elearn.hackathons.models import Challenge, Hackathon

    event = make_event(sessions=2, title="Hackathon digital")
    found = Hackathon(event_id=event.id)
    found.challenges = [Challenge(title_en="Open data")]
    db.session.add(found)
    db.session.commit()
    return found


def _team(hackathon, name, members, rank=None, submit=True):
    from elearn.hackathons.judging_models import Submission
    from elearn.hackathons.models import HackathonParticipant, Team, TeamMember

    team = Team(hackathon_id=hackathon.id, name=name, member_count=len(members))
    db.session.add(team)
    db.session.flush()
    for user in members:
        participant = HackathonParticipant(
            hackathon_id=hackathon.id, user_id=user.id, discipline="economics",
            declaration="student", terms_accepted_at=datetime.now(UTC))
        db.session.add(participant)
        db.session.flush()
        db.session.add(TeamMember(team_id=team.id, hackathon_id=hackathon.id, user_id=user.id,
                                  participant_id=participant.id))
    if submit:
        db.session.add(Submission(hackathon_id=hackathon.id, team_id=team.id,
                                  challenge_id=hackathon.challenges[0].id, title=f"{name} app",
                                  summary="s", problem="p", final_rank=rank))
    db.session.commit()


def test_hackathon_participation_needs_a_submitting_team(make_user, hackathon):
    from elearn.hackathons.models import HackathonParticipant

    a, b = make_user(email="a@example.org"), make_user(email="b@example.org")
    _team(hackathon, "Ñandú", [a])
    _team(hackathon, "Idle", [b], submit=False)
    loner = make_user(email="loner@example.org")
    db.session.add(HackathonParticipant(hackathon_id=hackathon.id, user_id=loner.id,
                                        discipline="law", declaration="staff",
                                        terms_accepted_at=datetime.now(UTC)))
    db.session.commit()
    verdicts = _verdicts(CertificateKind.HACKATHON_PARTICIPATION, hackathon)
    assert verdicts["a@example.org"].qualifies
    assert verdicts["a@example.org"].details == {"team": "Ñandú", "project": "Ñandú app"}
    assert not verdicts["b@example.org"].qualifies
    assert "no submission" in verdicts["b@example.org"].reason
    assert not verdicts["loner@example.org"].qualifies


def test_hackathon_award_needs_published_results_and_a_top_placing(make_user, hackathon):
    first, fifth = make_user(email="first@example.org"), make_user(email="fifth@example.org")
    _team(hackathon, "Cóndor", [first], rank=1)
    _team(hackathon, "Quetzal", [fifth], rank=5)
    before = _verdicts(CertificateKind.HACKATHON_AWARD, hackathon)
    assert not before["first@example.org"].qualifies
    assert "not published" in before["first@example.org"].reason
    hackathon.results_published_at = datetime.now(UTC)
    db.session.commit()
    after = _verdicts(CertificateKind.HACKATHON_AWARD, hackathon)
    assert after["first@example.org"].qualifies
    assert after["first@example.org"].details["placing"] == 1
    assert not after["fifth@example.org"].qualifies
