"""Demo: the pilot hackathon "Digital solutions for regional integration" (SELA Digitalisation
programme), already judged, with results published.

Participants are demo users made academic (sector, university); rows are inserted directly,
like the events demo, so loading queues no email. Judging goes through the real assignment
and scoring services so the demo shows the same ranking the rules produce."""

from datetime import timedelta

from sqlalchemy import select

from elearn.accounts.models import Role, Sector, User, UserRole
from elearn.db_types import utcnow
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventOrganiser,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.multilingual import sql_text
from elearn.programme.models import Activity

from .judging_models import Criterion, JudgeAssignment, Score, Submission, SubmissionVersion
from .models import Challenge, Declaration, Hackathon, HackathonParticipant, Team, TeamMember

TEAMS = 12
TEAM_SIZE = 3
UNIVERSITIES = ["Universidad de Buenos Aires", "Universidade de São Paulo",
                "Universidad Nacional Autónoma de México", "University of the West Indies",
                "Universidad de Chile", "Universidad de la República", "Universidad de Costa Rica",
                "Pontificia Universidad Católica del Perú", "Universidad Central de Venezuela",
                "Universidad de los Andes", "Université d'État d'Haïti", "University of Guyana"]
DISCIPLINES = ["Economics", "Computer science", "International relations", "Law",
               "Industrial design", "Data science", "Public policy", "Logistics engineering"]
TEAM_NAMES = ["Andes Coders", "Caribe Connect", "Mercosur Data", "Puentes Digitales",
              "Frontera Ágil", "Integra Lab", "Red Aduanera", "Ruta Verde", "Datos Abiertos",
              "Istmo Tech", "Amazonía Link", "Antillas Hub"]
CHALLENGES = [
    ("Trade facilitation at the borders", "Facilitación del comercio en las fronteras",
     "Tools that cut the time and cost of moving goods between member states.",
     "Herramientas que reduzcan el tiempo y costo de mover mercancías entre Estados miembros."),
    ("Digital identity across the region", "Identidad digital en la región",
     "Let people and firms prove who they are to another country's public services.",
     "Que personas y empresas acrediten su identidad ante servicios públicos de otro país."),
    ("Open data for integration", "Datos abiertos para la integración",
     "Make regional statistics usable for policy makers and SMEs.",
     "Hacer utilizables las estadísticas regionales para decisores y pymes."),
]
CRITERIA = [("Impact on regional integration", "Impacto en la integración regional", 3),
            ("Innovation", "Innovación", 2), ("Feasibility", "Viabilidad", 2),
            ("Quality of the pitch", "Calidad de la presentación", 1)]
JUDGE_INSTITUTIONS = ["SELA", "Inter-American Development Bank", "CAF Development Bank",
                      "ECLAC Digital Agenda"]
COMMENTS = ["Clear problem statement and a realistic pilot plan.",
            "Strong idea; the business model needs more work.",
            "Good use of open data; consider privacy by design.",
            "Impressive prototype for the time available.",
            "Would benefit from talking to customs authorities early."]


def _users_with(role: Role) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role).order_by(User.id)))


def _judges(rng) -> list[User]:
    found = _users_with(Role.JUDGE)
    template = found[0] if found else None
    for n in range(len(found), 3):
        judge = User(email=f"judge{n + 1}@elearn.demo", full_name=f"Judge {n + 1}",
                     password_hash=template.password_hash if template else None,
                     email_confirmed_at=utcnow(), preferred_language=rng.choice(["en", "es"]),
                     country="VE", sector=Sector.INTERNATIONAL)
        judge.roles.append(UserRole(role=Role.JUDGE))
        db.session.add(judge)
        found.append(judge)
    for n, judge in enumerate(found):
        judge.institution = JUDGE_INSTITUTIONS[n % len(JUDGE_INSTITUTIONS)]
    db.session.flush()
    return found


def _event(organiser: User | None, now) -> Event:
    activity = db.session.scalar(select(Activity).where(
        sql_text(Activity.title, "en").ilike("%hackathon%")))
    event = Event(kind=EventKind.HACKATHON, activity_id=activity.id if activity else None,
                  title_en="Hackathon: digital solutions for regional integration",
                  title_es="Hackathon: soluciones digitales para la integración regional",
                  description_en="Pilot hackathon in which interdisciplinary teams from the "
                  "academic sector build practical digital solutions that favour regional "
                  "integration.",
                  description_es="Hackathon piloto en el que equipos interdisciplinarios del "
                  "sector académico construyen soluciones digitales prácticas para la "
                  "integración regional.",
                  timezone="America/Caracas", mode=EventMode.VIRTUAL, language="es",
                  status=EventStatus.COMPLETED, eligible_sectors=[Sector.ACADEMIA.value],
                  registration_closes_at=now - timedelta(days=60),
                  created_by_id=organiser.id if organiser else None)
    if organiser:
        event.organisers.append(EventOrganiser(user_id=organiser.id))
    for title_en, title_es, start, hours in [("Kick-off", "Lanzamiento", -50, 2),
                                             ("Final pitches", "Presentaciones finales", -28, 4)]:
        starts = (now + timedelta(days=start)).replace(hour=14, minute=0, second=0,
                                                       microsecond=0)
        event.sessions.append(EventSession(title_en=title_en, title_es=title_es,
                                           starts_at=starts,
                                           ends_at=starts + timedelta(hours=hours)))
    event.starts_at = event.sessions[0].starts_at
    event.ends_at = event.sessions[-1].ends_at
    db.session.add(event)
    db.session.flush()
    return event


def populate(rng) -> list[str]:
    from .services import assign_judges, score_submission
    from .services.results import fix_results

    now = utcnow()
    # The hackathon's event is organised by an event organiser of the demo (programme managers
    # manage it anyway); without one, by a programme manager.
    organisers = _users_with(Role.ORGANISER) or _users_with(Role.PROGRAMME_MANAGER)
    event = _event(organisers[0] if organisers else None, now)
    hackathon = Hackathon(
        event=event, event_id=event.id, team_size_min=2, team_size_max=4, min_disciplines=2,
        registration_deadline=now - timedelta(days=55),
        submission_opens_at=now - timedelta(days=50),
        submission_deadline=now - timedelta(days=30),
        judging_opens_at=now - timedelta(days=29), judging_closes_at=now - timedelta(days=20),
        results_at=now - timedelta(days=15), judges_per_submission=3,
        rules_en="1. Teams of 2 to 4 people from at least two disciplines.\n2. The work must "
                 "be original and built during the hackathon.\n3. Code is published under an "
                 "open licence.\n4. Respect the code of conduct.",
        rules_es="1. Equipos de 2 a 4 personas de al menos dos disciplinas.\n2. El trabajo "
                 "debe ser original y realizado durante el hackathon.\n3. El código se "
                 "publica con licencia abierta.\n4. Respete el código de conducta.")
    for n, (t_en, t_es, d_en, d_es) in enumerate(CHALLENGES):
        hackathon.challenges.append(Challenge(title_en=t_en, title_es=t_es, description_en=d_en,
                                              description_es=d_es, position=n))
    db.session.add(hackathon)
    db.session.flush()
    criteria = [Criterion(hackathon_id=hackathon.id, name_en=en, name_es=es, weight=w,
                          scale_min=1, scale_max=10, position=n)
                for n, (en, es, w) in enumerate(CRITERIA)]
    db.session.add_all(criteria)

    pool = [u for u in db.session.scalars(select(User).where(~User.roles.any()).order_by(User.id))
            if u.email.startswith("participant")]
    people = rng.sample(pool, min(len(pool), TEAMS * TEAM_SIZE))
    registered = now - timedelta(days=70)
    teams = []
    for n in range(len(people) // TEAM_SIZE):
        team = Team(hackathon_id=hackathon.id, name=TEAM_NAMES[n % len(TEAM_NAMES)],
                    member_count=0, created_at=registered, locked=rng.random() < 0.5)
        db.session.add(team)
        db.session.flush()
        for k, user in enumerate(people[n * TEAM_SIZE:(n + 1) * TEAM_SIZE]):
            user.sector = Sector.ACADEMIA
            user.institution = UNIVERSITIES[(n + k) % len(UNIVERSITIES)]
            participant = HackathonParticipant(
                hackathon_id=hackathon.id, user_id=user.id,
                discipline=DISCIPLINES[(n * 2 + k) % len(DISCIPLINES)],
                skills=rng.choice(["Python, GIS", "UX research", "Trade law", "Econometrics",
                                   "Cloud, APIs", "Statistics, R"]),
                declaration=rng.choice([Declaration.STUDENT] * 3 + [Declaration.STAFF]),
                looking_for_team=False, terms_accepted_at=registered, registered_at=registered)
            db.session.add(participant)
            db.session.add(Registration(event_id=event.id, user_id=user.id,
                                        mode=AttendanceMode.ONLINE,
                                        status=RegistrationStatus.CONFIRMED,
                                        created_at=registered, decided_at=registered))
            db.session.flush()
            db.session.add(TeamMember(team_id=team.id, hackathon_id=hackathon.id,
                                      user_id=user.id, participant_id=participant.id,
                                      joined_at=registered + timedelta(hours=k)))
            team.member_count += 1
            if k == 0:
                team.captain_id = user.id
        teams.append(team)
    event.seats_taken_online = len(teams) * TEAM_SIZE

    quality = {}
    for n, team in enumerate(teams):
        saved = now - timedelta(days=31, hours=rng.randint(0, 90))
        submission = Submission(
            hackathon_id=hackathon.id, team_id=team.id,
            challenge_id=hackathon.challenges[n % len(CHALLENGES)].id,
            title=f"{team.name}: {rng.choice(['prototype', 'platform', 'toolkit', 'app'])}",
            summary="A working prototype that connects public data across borders.",
            problem="Information needed for regional trade and services is scattered.",
            repository_url=f"https://git.example.org/{team.name.lower().replace(' ', '-')}",
            video_url="https://video.example.org/demo", original_work=True, version=1,
            created_at=saved, submitted_at=saved)
        db.session.add(submission)
        db.session.flush()
        db.session.add(SubmissionVersion(submission_id=submission.id, number=1,
                                         saved_by_id=team.captain_id, saved_at=saved,
                                         snapshot={"title": submission.title, "version": 1}))
        quality[submission.id] = rng.uniform(4, 9)

    judges = _judges(rng)
    outcome = assign_judges(hackathon)
    # Scoring goes through the service, so its window rule applies: open it for the load.
    closes, hackathon.judging_closes_at = hackathon.judging_closes_at, now + timedelta(hours=1)
    opens, hackathon.judging_opens_at = hackathon.judging_opens_at, now - timedelta(hours=1)
    bias = {j.id: rng.uniform(-1.5, 1.5) for j in judges}  # some harsh, some generous
    for assignment in db.session.scalars(
            select(JudgeAssignment).join(Submission)
            .where(Submission.hackathon_id == hackathon.id)):
        base = quality[assignment.submission_id] + bias[assignment.judge_id]
        marks = {c.id: (max(1, min(10, round(base + rng.uniform(-1, 1)))), rng.choice(COMMENTS))
                 for c in criteria}
        score_submission(assignment.judge, assignment.submission, marks)
    hackathon.judging_opens_at, hackathon.judging_closes_at = opens, closes
    db.session.flush()
    entries = fix_results(hackathon)
    hackathon.results_published_at = hackathon.results_at
    db.session.flush()
    scores = db.session.scalar(select(db.func.count(Score.id)))
    title = event.text("title", "en")
    return [f"Hackathon: '{title}' with {len(teams)} teams, {len(judges)} judges "
            f"({outcome['added']} assignments, {scores} scores); winner: "
            f"{entries[0].submission.team.name if entries else '-'} "
            f"(/hackathons/{hackathon.id})"]
