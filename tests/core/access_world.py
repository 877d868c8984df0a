"""The small world the access matrix is played on: one of each object, built the way the
services build them, with the ids the database gives (nothing is hard-coded).

Event A (organised by organiser_a, one live session, the owner registered, present, with a
ticket), event B (organiser_b), a draft event of organiser_a; edition A of a course (taught by
instructor_a: a module, a lesson with a file, a quiz with a question and an attempt of the
owner, an assignment with the owner's submission, the owner's enrolment with an endorsement, a
live class), edition B (instructor_b); a hackathon on an event organised by organiser_a with
challenges, criteria and a team captained by the owner (a teammate, a submission with a file,
an invitation); certificates of the owner for event A and edition A, templates for those
subjects and a default one with signatories, a bulk-issue job; the owner's calendar feed; a
programme tree for the statistics.
"""

from datetime import UTC, date, datetime, timedelta

from elearn.accounts.models import Role, User, UserRole
from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.certificates.codes import new_code
from elearn.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateTemplate,
    IssueJob,
    JobStatus,
    Signatory,
    SubjectType,
)
from elearn.certificates.services import issue
from elearn.courses import content
from elearn.courses.assessment_models import (
    Assessment,
    AssessmentKind,
    Question,
    QuestionKind,
    QuizAttempt,
)
from elearn.courses.assessment_models import Submission as CourseSubmission
from elearn.courses.models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonFile,
    Module,
)
from elearn.courses.services import live
from elearn.downloads.models import DownloadStatus, PreparedDownload
from elearn.events.models import (
    AttendanceMode,
    CalendarFeed,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
    VideoProvider,
)
from elearn.extensions import db
from elearn.forms.building import from_definition
from elearn.forms.models import FormPurpose
from elearn.hackathons import services as hackathons
from elearn.hackathons.judging_models import Criterion
from elearn.hackathons.models import Challenge, Hackathon
from elearn.hackathons.services.uploads import CheckedFile
from elearn.programme.models import Activity, Programme, Project, Sdg, ThematicArea
from tests.conftest import _password_hash

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The owner's self-described gender: a word that must never leave the owner's own pages.
GENDER_MARK = "Matrixgenderqx"

# What a copied certificate must not share with the one the service issued.
FRESH_COLUMNS = {"id", "code", "holder_id", "subject_id", "template_id", "issued_at",
                 "issued_by_id", "superseded_by_id"}
PEOPLE = {  # role -> global roles held
    "owner": (), "other": (), "organiser_a": ("organiser",), "organiser_b": ("organiser",),
    "instructor_a": ("instructor",), "instructor_b": ("instructor",), "judge": ("judge",),
    "programme_manager": ("programme_manager",), "admin": ("admin",),
    "mate": (), "free": (),  # the owner's teammate; a hackathon participant without a team
}


def now() -> datetime:
    return datetime.now(UTC)


class World(dict):
    """name -> id (or token, code...) of each object; `people` -> User by role."""

    def __init__(self):
        super().__init__()
        self.people = {}


def build(certificates: dict, people: dict | None = None) -> World:
    """The world, committed. A world is rebuilt after every request that changed it: the people
    (`people`: role -> id) and their log-in sessions are kept, so nobody logs in again, and
    `certificates` keeps the first certificates the service issued, whose rendered PDF later
    worlds reuse instead of drawing it again."""
    w = World()
    if people is None:
        _people(w)
    else:
        w.people = {role: db.session.get(User, id_) for role, id_ in people.items()}
        w.update(people)
    _programme(w)
    _events(w)
    _courses(w)
    _hackathon(w)
    _certificates(w, certificates)
    _questions(w)
    _forms(w)  # issue 16 (form builder): registration questions of event A
    _results_survey(w)
    _outputs(w)
    db.session.commit()
    return w


QUESTION = {"title": {"en": "Questions"}, "sections": [{"questions": [
    {"key": "role", "type": "short_text", "text": {"en": "Your role"}},
    {"key": "letter", "type": "file", "text": {"en": "Nomination letter"}},
    {"key": "medical", "type": "file", "sensitive": True, "text": {"en": "Medical form"}}]}]}


def _questions(w: World) -> None:
    """Registration questions of event A and application questions of edition A (regquestions):
    the pages that ask and show them are reached with something to ask."""
    event = db.session.get(Event, w["event_a"])
    event.registration_form = from_definition(QUESTION, FormPurpose.REGISTRATION, "event",
                                              event.id)
    edition = db.session.get(Edition, w["edition_a"])
    edition.application_form = from_definition(QUESTION, FormPurpose.REGISTRATION, "edition",
                                               edition.id)
    db.session.flush()
    w.update(form_a=event.registration_form_id)
    _file_answers(w, event, edition)


def _file_response(version, keys):
    """A response to `version` giving a PDF to each question of `keys` (stored as uploaded)."""
    from elearn import uploads
    from elearn.forms.answering import FILES
    from elearn.forms.models import FormAnswer, FormResponse

    answers = [FormAnswer(question=q, filename=f"{q.key}.pdf", stored_name=uploads.store(
        FILES, PDF, ".pdf", "application/pdf")) for q in version.questions if q.key in keys]
    response = FormResponse(version=version, answers=answers)
    db.session.add(response)
    db.session.flush()
    return {a.question.key: a.id for a in answers}, response


def _file_answers(w: World, event: Event, edition: Edition) -> None:
    """Task answerfiles: the owner's registration to event A holds a nomination letter and a
    sensitive medical form, the owner's application to edition A a letter; a survey-purpose
    form of event A has a file answer that nobody may download."""
    ids, response = _file_response(event.registration_form.current_version, {"letter", "medical"})
    db.session.get(Registration, w["registration_a"]).form_response = response
    w.update(answer_letter_a=ids["letter"], answer_medical_a=ids["medical"])
    ids, response = _file_response(edition.application_form.current_version, {"letter"})
    db.session.get(Enrolment, w["enrolment_a"]).form_response = response
    w.update(answer_letter_edition=ids["letter"])
    survey_form = from_definition(QUESTION, FormPurpose.SURVEY, "event", event.id)
    ids, _response = _file_response(survey_form.current_version, {"letter"})
    w.update(answer_survey_file=ids["letter"])


def _people(w: World) -> None:
    for role, roles in PEOPLE.items():
        profile = {"gender": "another", "gender_other": GENDER_MARK} if role == "owner" else {}
        person = User(email=f"{role}@matrix.example", password_hash=_password_hash(),
                      full_name=f"Matrix {role.replace('_', ' ').title()}",
                      email_confirmed_at=now(), stats_consent_at=now(), country="VE",
                      institution=f"University of {role}", **profile)
        person.roles = [UserRole(role=Role(r)) for r in roles]
        db.session.add(person)
        w.people[role] = person
    db.session.flush()
    w.update({role: person.id for role, person in w.people.items()})


def _programme(w: World) -> None:
    area = ThematicArea(code="I", title_en="Economic", title_es="Económica")
    programme = Programme(area=area, code="II", title_en="SMEs", title_es="Pymes")
    project = Project(programme=programme, code="A", title_en="Policy", title_es="Política")
    activity = Activity(project=project, code="1", path_code="I.II.A.1", title_en="Diploma",
                        title_es="Diplomado")
    sdg = db.session.get(Sdg, 5) or Sdg(number=5, title_en="Gender equality",
                                        title_es="Igualdad de género")
    activity.sdgs.append(sdg)
    db.session.add(area)
    db.session.flush()
    w.update(programme=programme.id, activity=activity.id, activity_path=activity.path_code)


def _event(organiser, title: str, status=EventStatus.PUBLISHED, **fields) -> Event:
    start = now() - timedelta(minutes=5)
    event = Event(kind=fields.pop("kind", EventKind.WORKSHOP), mode=EventMode.HYBRID,
                  title_en=title, title_es=title, timezone="America/Caracas", status=status,
                  starts_at=start, ends_at=start + timedelta(hours=2), **fields)
    event.sessions.append(EventSession(title_en="Day 1", starts_at=start,
                                       ends_at=start + timedelta(hours=2)))
    event.organisers.append(EventOrganiser(user_id=organiser.id))
    db.session.add(event)
    db.session.flush()
    return event


def _events(w: World) -> None:
    p = w.people
    event = _event(p["organiser_a"], "Matrix workshop A", activity_id=w["activity"],
                   video_provider=VideoProvider.MANUAL, video_url="https://meet.example/a",
                   public_statistics=True)
    registration = Registration(event_id=event.id, user_id=p["owner"].id,
                                status=RegistrationStatus.CONFIRMED,
                                mode=AttendanceMode.ONLINE)
    event.seats_taken_online = 1
    db.session.add(registration)
    db.session.flush()
    record_attendance(event.sessions[0], p["owner"], status=AttendanceStatus.PRESENT,
                      mode=AttendanceMode.ONLINE, source=AttendanceSource.ROLL_CALL,
                      actor=p["organiser_a"])
    feed = CalendarFeed(user_id=p["owner"].id)
    db.session.add(feed)
    other = _event(p["organiser_b"], "Matrix workshop B")
    draft = _event(p["organiser_a"], "Matrix draft seminar", status=EventStatus.DRAFT)
    db.session.flush()
    w.update(event_a=event.id, session_a=event.sessions[0].id, registration_a=registration.id,
             ticket_token=registration.ticket_token, feed_token=feed.token, event_b=other.id,
             draft_event=draft.id, draft_session=draft.sessions[0].id)


def _stored(name: str) -> content.StoredFile:
    return content.store_upload(name, PDF, {"pdf"})


def _edition(course: Course, instructor, name: str) -> Edition:
    edition = Edition(course=course, name_en=name, starts_on=date.today(),
                      ends_on=date.today() + timedelta(days=60), timezone="America/Caracas",
                      language="es", status=EditionStatus.OPEN, capacity=10,
                      applications_open_at=now() - timedelta(days=5),
                      applications_close_at=now() + timedelta(days=5), min_grade=60)
    db.session.add(edition)
    edition.instructors = [EditionInstructor(user_id=instructor.id)]
    return edition


def _courses(w: World) -> None:
    p = w.people
    course = Course(title_en="Matrix diploma on SME policies", title_es="Diplomado matriz",
                    description_en="For public officials.", languages=["es", "en"],
                    activity_id=w["activity"])
    db.session.add(course)
    edition = _edition(course, p["instructor_a"], "Edition A")
    other = _edition(course, p["instructor_b"], "Edition B")
    module = Module(edition=edition, position=1, title_en="SME digitalisation",
                    opens_at=now() - timedelta(days=1), hours=10)
    db.session.add(module)
    lesson = Lesson(position=1, title="Why digitalise", body_markdown="Hello",
                    body_html="<p>Hello</p>")
    module.lessons.append(lesson)
    stored = _stored("notes.pdf")
    lesson.files.append(LessonFile(filename=stored.filename, stored_name=stored.stored_name,
                                   content_type=stored.content_type, size=stored.size))
    db.session.flush()
    quiz = Assessment(edition=edition, module=module, kind=AssessmentKind.QUIZ, position=1,
                      title="Quiz 1", pass_mark=50, max_attempts=3,
                      due_at=now() + timedelta(days=3))
    quiz.questions = [Question(position=1, kind=QuestionKind.SINGLE, text="Pick B",
                               choices=["A", "B"], correct=[1]),
                      Question(position=2, kind=QuestionKind.TRUE_FALSE, text="SMEs matter",
                               correct=[True])]
    case = Assessment(edition=edition, module=module, kind=AssessmentKind.ASSIGNMENT,
                      position=2, title="Case study", weight=3, pass_mark=60, max_score=20,
                      due_at=now() + timedelta(days=10))
    endorsement = _stored("endorsement.pdf")
    enrolment = Enrolment(edition=edition, user_id=p["owner"].id,
                          status=EnrolmentStatus.ACCEPTED, motivation="Because.",
                          endorsement_filename=endorsement.filename,
                          endorsement_stored_name=endorsement.stored_name)
    edition.seats_taken = 1
    db.session.add_all([quiz, case, enrolment])
    db.session.flush()
    attempt = QuizAttempt(assessment_id=quiz.id, user_id=p["owner"].id, number=1,
                          submitted_at=now(), answers={}, score=1, percent=50)
    hand_in = _stored("case.pdf")
    submission = CourseSubmission(assessment_id=case.id, user_id=p["owner"].id,
                                  text="My country's case.", filename=hand_in.filename,
                                  stored_name=hand_in.stored_name,
                                  content_type=hand_in.content_type)
    db.session.add_all([attempt, submission])
    live_session = live.schedule(edition, "Live class 1", now() - timedelta(minutes=5),
                                 now() + timedelta(hours=1), actor=p["instructor_a"])
    db.session.flush()
    w.update(course_a=course.id, edition_a=edition.id, edition_b=other.id, module_a=module.id,
             lesson_a=lesson.id, lesson_file_a=lesson.files[0].id, quiz_a=quiz.id,
             question_a=quiz.questions[0].id, assignment_a=case.id, enrolment_a=enrolment.id,
             attempt_a=attempt.id, course_submission_a=submission.id,
             live_session_a=live_session.id)


def _hackathon(w: World) -> None:
    p = w.people
    event = _event(p["organiser_a"], "Matrix hackathon", kind=EventKind.HACKATHON)
    hackathon = Hackathon(
        event=event, event_id=event.id, team_size_min=2, team_size_max=4,
        registration_deadline=now() + timedelta(days=5),
        submission_opens_at=now() - timedelta(days=1),
        submission_deadline=now() + timedelta(days=10),
        judging_opens_at=now() + timedelta(days=11), judging_closes_at=now() + timedelta(days=15),
        results_at=now() + timedelta(days=16), rules_en="Be original.", judges_per_submission=1)
    hackathon.challenges.append(Challenge(title_en="Trade facilitation"))
    hackathon.challenges.append(Challenge(title_en="Digital identity", position=1))
    db.session.add(hackathon)
    db.session.flush()
    criterion = Criterion(hackathon_id=hackathon.id, name_en="Impact", weight=3, scale_min=1,
                          scale_max=10)
    db.session.add(criterion)
    for role in ("owner", "mate", "free"):
        hackathons.register_participant(hackathon, p[role], discipline="Economics",
                                        declaration="student", accept_terms=True)
    team = hackathons.create_team(hackathon, p["owner"], "Matrix team")
    hackathons.join_team(team, p["mate"])
    db.session.flush()
    submission = hackathons.save_submission(
        team, p["owner"], {"title": "Customs bridge", "summary": "A shared customs hub.",
                           "problem": "Slow borders.", "repository_url": "https://git.example/c",
                           "video_url": "https://video.example/c", "original_work": True,
                           "challenge_id": hackathon.challenges[0].id},
        file=CheckedFile(data=PDF, kind="pdf", original_name="pitch.pdf"))
    invitation = hackathons.invite(team, p["owner"], p["free"])
    db.session.flush()
    w.update(hackathon=hackathon.id, hackathon_event=event.id, team=team.id,
             hackathon_submission=submission.id, challenge_spare=hackathon.challenges[1].id,
             criterion_a=criterion.id, invitation_token=invitation.token)


def _template(kind: CertificateKind, subject_id: int | None, name: str) -> CertificateTemplate:
    template = CertificateTemplate(kind=kind, subject_id=subject_id, name=name,
                                   organisation_name="Sistema Económico Latinoamericano")
    template.signatories.append(Signatory(position=0, name="Clarissa Bórquez",
                                          title="Secretaria Permanente"))
    db.session.add(template)
    return template


def _certificates(w: World, issued: dict) -> None:
    p = w.people
    event_template = _template(CertificateKind.PARTICIPATION, w["event_a"], "Workshop A")
    edition_template = _template(CertificateKind.DIPLOMA, w["edition_a"], "Edition A")
    default = _template(CertificateKind.PARTICIPATION, None, "Default participation")
    db.session.flush()
    subjects = {"certificate_event": (CertificateKind.PARTICIPATION, event_template,
                                      db.session.get(Event, w["event_a"])),
                "certificate_edition": (CertificateKind.DIPLOMA, edition_template,
                                        db.session.get(Edition, w["edition_a"]))}
    for name, (kind, template, subject) in subjects.items():
        if name not in issued:
            made, _ = issue(kind, subject, p["owner"], actor=p["admin"], notify=False,
                            override_justification="Access-matrix world")
            issued[name] = {column.key: getattr(made, column.key)
                            for column in Certificate.__table__.columns
                            if column.key not in FRESH_COLUMNS}
        else:
            made = Certificate(**issued[name], code=new_code(), holder_id=p["owner"].id,
                               subject_id=subject.id, template_id=template.id)
            db.session.add(made)
        db.session.flush()
        w[name] = made.code
    job = IssueJob(kind=CertificateKind.PARTICIPATION, subject_type=SubjectType.EVENT,
                   subject_id=w["event_a"], template_id=event_template.id,
                   status=JobStatus.FINISHED, created_by_id=p["organiser_a"].id)
    db.session.add(job)
    db.session.flush()
    w.update(template_event=event_template.id, template_edition=edition_template.id,
             template_default=default.id, signatory_event=event_template.signatories[0].id,
             signatory_default=default.signatories[0].id, job_a=job.id)


def _forms(w: World) -> None:
    """Issue 16, the form builder: event A's registration questions (a yes/no question and a
    choice question shown after "yes", in two sections)."""
    from elearn.forms.building import from_definition
    from elearn.forms.models import FormPurpose

    form = from_definition({"title": {"en": "Matrix questions"}, "sections": [
        {"title": {"en": "About you"}, "questions": [
            {"key": "visa", "type": "yes_no", "text": {"en": "Do you need a visa letter?"}},
            {"key": "language", "type": "single_choice", "text": {"en": "Language?"},
             "condition": {"key": "visa", "values": ["yes"]},
             "options": [{"key": "pt", "label": {"en": "Portuguese"}},
                         {"key": "fr", "label": {"en": "French"}}]}]},
        {"title": {"en": "Travel"}, "questions": []}]},
        FormPurpose.REGISTRATION, "event", w["event_a"])
    w.update(form_a=form.id)


def _results_survey(w: World) -> None:
    """Issue 16, helper "results": the survey of event A whose results pages are checked (the
    one made with the event when there is one)."""
    from sqlalchemy import select

    from elearn.forms.building import from_definition
    from elearn.forms.models import FormPurpose
    from elearn.surveys.models import Survey

    survey = db.session.scalar(select(Survey).where(Survey.owner_kind == "event",
                                                    Survey.owner_id == w["event_a"]))
    if survey is None:
        form = from_definition({"title": {"en": "Evaluation"}, "sections": [{"questions": [
            {"key": "improve", "type": "long_text", "text": {"en": "What should we improve?"}},
        ]}]}, FormPurpose.SURVEY, "event", w["event_a"])
        survey = Survey(form_id=form.id, owner_kind="event", owner_id=w["event_a"])
        db.session.add(survey)
        db.session.flush()
    w["results_survey"] = survey.id


def _outputs(w: World) -> None:
    """Issue 17: an output of each visibility on event A, one for the participants of edition
    A (all files through the service, as uploaded)."""
    import io

    from elearn.outputs.models import OutputKind, Visibility
    from elearn.outputs.services import add_output
    from elearn.outputs.services.files import check_file

    pm = w.people["programme_manager"]
    event, edition = db.session.get(Event, w["event_a"]), db.session.get(Edition, w["edition_a"])
    for name, owner, visibility in (
            ("output_public", event, Visibility.PUBLIC),
            ("output_participants", event, Visibility.PARTICIPANTS),
            ("output_organisers", event, Visibility.ORGANISERS),
            ("output_edition", edition, Visibility.PARTICIPANTS)):
        output = add_output(owner, pm, kind=OutputKind.MINUTES, title_en=name,
                            visibility=visibility, file=check_file(io.BytesIO(PDF), "a.pdf"))
        w[name] = output.id
    # A prepared download of event A's registrations that failed: its organiser sees it and
    # may ask again; nobody else learns it exists.
    download = PreparedDownload(
        owner_id=w.people["organiser_a"].id, kind="events.registrations",
        filename="registrations.csv",
        parameters={"event_id": w["event_a"], "fmt": "csv", "filters": {}},
        status=DownloadStatus.FAILED, error="Access-matrix world",
        expires_at=datetime.now(UTC) + timedelta(days=1))
    db.session.add(download)
    db.session.flush()
    w.update(download_a=download.id)
