"""Demo step: the gender-focused Diploma Course for experts in public policies on SMEs
(activity I.III.A.2): a completed first edition, a running second edition with the new modules
on SME digitalisation and business diagnostics, and an open Caribbean edition (I.III.A.3).

instructor@elearn.demo is a scoped instructor: named on the first and second editions only.
The Caribbean edition is run by the other demo instructors if there are any, and in any case
by the programme manager (who reaches every edition)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from elearn.accounts.models import MemberState, Role, Subregion, User, UserRole
from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.db_types import utcnow
from elearn.events.models import AttendanceMode
from elearn.extensions import db
from elearn.programme.models import Activity

from .assessment_models import Assessment, AssessmentKind, LatePolicy, Question, QuestionKind
from .models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
)
from .services import assignments, completion, editions, live, quizzes

ZONE = "America/Caracas"
MODULES = [
    ("Gender and SMEs in Latin America and the Caribbean",
     "Género y pymes en América Latina y el Caribe"),
    ("Designing inclusive SME policy", "Diseño de políticas inclusivas para pymes"),
    ("SME digitalisation", "Digitalización de las pymes"),
    ("Business diagnostics", "Diagnóstico empresarial"),
]
LESSON_TEXT = """## {title}

Women lead a growing share of **micro, small and medium-sized enterprises** in the region,
yet face gaps in credit, markets and digital tools.

* Read the case material before the live class.
* Note one policy from your country that addresses the gap.

Further reading: [SELA](https://www.sela.org).
"""


def _at(day, hour=14):
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def _quiz(edition, module, due):
    quiz = Assessment(edition=edition, module=module, kind=AssessmentKind.QUIZ, position=1,
                      title="Quiz: gender gaps in SMEs", weight=1, required=True, pass_mark=60,
                      max_attempts=2, time_limit_minutes=30, due_at=due)
    quiz.questions = [
        Question(position=1, kind=QuestionKind.SINGLE,
                 text="Which is the most frequent barrier reported by women-led SMEs?",
                 choices=["Access to credit", "Too many clients", "Excess of staff"],
                 correct=[0]),
        Question(position=2, kind=QuestionKind.MULTIPLE,
                 text="Which are tools of a gender-focused SME policy?",
                 choices=["Sex-disaggregated data", "Targeted credit lines", "Ignoring care work"],
                 correct=[0, 1]),
        Question(position=3, kind=QuestionKind.TRUE_FALSE,
                 text="Gender budgeting can be applied to SME programmes.", correct=[True]),
        Question(position=4, kind=QuestionKind.NUMERIC,
                 text="Out of 100 SMEs, how many are micro-enterprises (approximately)?",
                 correct=[88], tolerance=5),
    ]
    db.session.add(quiz)
    return quiz


def _case_study(edition, module, due):
    case = Assessment(edition=edition, module=module, kind=AssessmentKind.ASSIGNMENT,
                      position=2, title="Case study of your country",
                      instructions="Describe one SME support programme of your country and "
                                   "assess it with a gender lens (3-5 pages).",
                      weight=3, required=True, is_final=True, pass_mark=60, max_score=20,
                      due_at=due, late_policy=LatePolicy.FLAG)
    db.session.add(case)
    return case


def _edition(course, names, start, weeks, instructors, **values) -> Edition:
    """`names`: (English, Spanish)."""
    values.setdefault("language", "es")
    values.setdefault("timezone", ZONE)
    edition = Edition(course=course, name_en=names[0], name_es=names[1], starts_on=start,
                      ends_on=start + timedelta(weeks=weeks), capacity=30, min_grade=60,
                      require_required_passed=True, min_attendance_share=0.75,
                      require_final_passed=True, **values)
    edition.instructors = [EditionInstructor(user_id=u.id) for u in instructors]
    db.session.add(edition)
    for position, (title_en, title_es) in enumerate(MODULES, start=1):
        module = Module(position=position, title_en=title_en, title_es=title_es,
                        summary_en=f"Week {position}.", summary_es=f"Semana {position}.",
                        opens_at=_at(start + timedelta(weeks=position - 1), 8),
                        closes_at=_at(start + timedelta(weeks=weeks), 23), hours=12)
        edition.modules.append(module)
    db.session.flush()
    for module in edition.modules:
        for n, lesson_title in enumerate(("Concepts", "Regional evidence"), start=1):
            editions.add_lesson(module, f"{module.text('title', 'en')}: {lesson_title.lower()}",
                                LESSON_TEXT.format(title=lesson_title),
                                "https://www.youtube.com/watch?v=sela-demo" if n == 1 else None)
    first, last = edition.modules[0], edition.modules[-1]
    _quiz(edition, first, _at(start + timedelta(weeks=2), 23))
    _case_study(edition, last, _at(start + timedelta(weeks=weeks), 23))
    db.session.flush()
    return edition


def _enrol(edition, user, status, rng, when):
    enrolment = Enrolment(edition_id=edition.id, user_id=user.id, status=status,
                          motivation=rng.choice([
                              "I coordinate the SME programme of my ministry.",
                              "Quiero incorporar la perspectiva de género en nuestra política.",
                              "I design credit lines for women entrepreneurs."]),
                          applied_at=when, decided_at=when + timedelta(days=3))
    if status == EnrolmentStatus.WAITLISTED:
        enrolment.waitlisted_at = when + timedelta(days=3)
    if status == EnrolmentStatus.REJECTED:
        enrolment.rejection_reason = "The edition is aimed at public officials."
    if status == EnrolmentStatus.ACCEPTED:
        edition.seats_taken += 1
    db.session.add(enrolment)
    return enrolment


def _work(edition, user, rng, instructor, at, skill):
    """Quiz attempt and case study for one participant; `skill` 0-1 steers the scores."""
    quiz, case = db.session.scalars(select(Assessment).where(Assessment.edition_id ==
                                                             edition.id)
                                    .order_by(Assessment.position)).all()
    ids = [str(q.id) for q in quiz.questions]
    good = {ids[0]: "0", ids[1]: ["0", "1"], ids[2]: "true", ids[3]: "90"}
    answers = {k: v for k, v in good.items() if rng.random() < skill + 0.2}
    attempt = quizzes.start(quiz, user, now=at)
    quizzes.submit(attempt, user, answers, now=at + timedelta(minutes=12))
    handed_in = min(at + timedelta(weeks=4), utcnow())
    if case.module.is_open(handed_in) and rng.random() < skill + 0.3:
        return assignments.submit(case, user, "Case study: SME programme of my country seen "
                                  "with a gender lens.", now=handed_in)
    return None


def _classes(edition, instructor, start, count):
    return [live.schedule(edition, f"Live class {n + 1}",
                          _at(start + timedelta(weeks=n, days=2), 10),
                          _at(start + timedelta(weeks=n, days=2), 12),
                          "https://meet.jit.si/sela-diploma-demo", actor=instructor)
            for n in range(count)]


def _attend(sessions, user, share, rng, instructor):
    for session in sessions:
        status = AttendanceStatus.PRESENT if rng.random() < share else rng.choice(
            [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, AttendanceStatus.LATE])
        record_attendance(session, user, status=status, mode=AttendanceMode.ONLINE,
                          source=AttendanceSource.ROLL_CALL, actor=instructor)


def populate(rng) -> list[str]:
    regional = db.session.scalar(select(Activity).where(Activity.path_code == "I.III.A.2"))
    caribbean_activity = db.session.scalar(select(Activity)
                                           .where(Activity.path_code == "I.III.A.3"))
    instructors = list(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == Role.INSTRUCTOR).order_by(User.id)))
    people = list(db.session.scalars(
        select(User).where(~User.roles.any()).order_by(User.id)))
    if not instructors or len(people) < 20:
        return ["Courses: skipped (no demo instructors or participants)."]
    # The known login first: it teaches the regional editions, not the Caribbean one.
    instructors.sort(key=lambda u: u.email != "instructor@elearn.demo")
    lead = instructors[0]
    today = utcnow().date()
    course = Course(
        activity=regional, languages=["es", "en"],
        title_en="Gender-focused Diploma Course for experts in public policies on SMEs",
        title_es="Diplomado en políticas públicas para pymes con enfoque de género",
        description_en="Virtual training for public officials who design inclusive SME "
                       "policies with a gender perspective.",
        description_es="Formación virtual para funcionarias y funcionarios públicos que "
                       "diseñan políticas inclusivas para pymes con perspectiva de género.")
    db.session.add(course)
    lines = []
    lines.append(_first_edition(course, instructors, people, rng, today - timedelta(weeks=52)))
    lines.append(_second_edition(course, instructors, people, rng, today - timedelta(weeks=3)))
    lines.append(_caribbean_edition(course, instructors, people, rng, today, caribbean_activity))
    db.session.flush()
    return [f"Courses: {course.text('title', 'en')}"] + [f"  {line}" for line in lines] + \
        [f"  instructor login: {lead.email} (teaches the first and second editions only)"]


def _first_edition(course, instructors, people, rng, start) -> str:
    lead = instructors[0]
    edition = _edition(course, ("First edition", "Primera edición"), start, 8, [lead],
                       status=EditionStatus.RUNNING, activity=course.activity)
    sessions = _classes(edition, lead, start, 4)
    cohort = people[:16]
    for user in cohort:
        _enrol(edition, user, EnrolmentStatus.ACCEPTED, rng, _at(start - timedelta(weeks=4)))
    db.session.flush()
    for user in cohort:
        skill = rng.random()
        submission = _work(edition, user, rng, lead, _at(start + timedelta(days=8)), skill)
        if submission is not None:
            assignments.grade(submission, round(8 + 12 * skill), "Clear analysis.", actor=lead)
        _attend(sessions, user, 0.5 + skill / 2, rng, lead)
    counts = completion.record_results(edition, actor=lead,
                                       now=_at(start + timedelta(weeks=8, days=1)))
    return (f"First edition (completed): {counts['completed']} completed, "
            f"{counts['not_completed']} not completed")


def _second_edition(course, instructors, people, rng, start) -> str:
    lead = instructors[0]
    edition = _edition(course, ("Second edition", "Segunda edición"), start, 8, [lead],
                       status=EditionStatus.RUNNING, activity=course.activity,
                       applications_open_at=_at(start - timedelta(weeks=8)),
                       applications_close_at=_at(start - timedelta(weeks=2)))
    sessions = _classes(edition, lead, start, 6)  # 3 held, 3 to come
    held = [s for s in sessions if s.starts_at <= utcnow()]
    cohort = people[16:36]
    statuses = ([EnrolmentStatus.ACCEPTED] * 14 + [EnrolmentStatus.WAITLISTED] * 2 +
                [EnrolmentStatus.REJECTED] * 2 + [EnrolmentStatus.WITHDRAWN] +
                [EnrolmentStatus.PENDING])
    accepted = []
    for user, status in zip(cohort, statuses, strict=False):
        _enrol(edition, user, status, rng, _at(start - timedelta(weeks=5)))
        if status == EnrolmentStatus.ACCEPTED:
            accepted.append(user)
            live.register_participant(edition, user)
    db.session.flush()
    for n, user in enumerate(accepted):
        if n % 3:  # a third have not started the work yet
            submission = _work(edition, user, rng, lead, _at(start + timedelta(days=3)),
                               rng.random())
            if submission is not None and n % 2:
                assignments.grade(submission, rng.randint(10, 19), "Good start.", actor=lead)
        _attend(held, user, 0.8, rng, lead)
    return (f"Second edition (running): {len(accepted)} participants, "
            f"{len(held)} of {len(sessions)} live classes held")


def _caribbean_edition(course, instructors, people, rng, today, activity) -> str:
    start = today + timedelta(weeks=6)
    edition = _edition(course, ("Caribbean edition", "Edición del Caribe"), start, 6,
                       instructors[1:], status=EditionStatus.OPEN, activity=activity, language="en",
                       timezone="America/Port_of_Spain",
                       eligible_subregions=[Subregion.CARIBBEAN.value],
                       public_officials_only=True,
                       applications_open_at=_at(today - timedelta(weeks=1)),
                       applications_close_at=_at(today + timedelta(weeks=4)))
    caribbean = set(db.session.scalars(select(MemberState.country_code).where(
        MemberState.subregion == Subregion.CARIBBEAN)))
    eligible = [u for u in people if u.country in caribbean and u.is_public_official]
    for user in eligible[:6]:
        _enrol(edition, user, EnrolmentStatus.PENDING, rng, _at(today - timedelta(days=3)))
    return f"Caribbean edition (open): {min(len(eligible), 6)} applications to review"
