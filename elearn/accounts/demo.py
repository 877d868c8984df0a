"""Demo accounts: staff with known logins and ~50 participants from the member states."""

from datetime import timedelta

from elearn.db_types import utcnow
from elearn.extensions import db

from .models import Gender, Role, Sector, User, UserRole
from .services import hash_password, load_member_states, member_state_codes

DEMO_PASSWORD = "demo-password-2026"
# organiser@ keeps its address from older demos but is the Secretariat (programme manager);
# the scoped staff manage only what the events and courses demos assign to them.
STAFF = [
    ("admin@elearn.demo", "Ana Administradora", Role.ADMIN, "es"),
    ("organiser@elearn.demo", "Olivia Organizadora", Role.PROGRAMME_MANAGER, "es"),
    ("events-organiser@elearn.demo", "Eva Eventos", Role.ORGANISER, "es"),
    ("instructor@elearn.demo", "Ignacio Instructor", Role.INSTRUCTOR, "es"),
    ("judge@elearn.demo", "Julian Judge", Role.JUDGE, "en"),
]
# What each demo login may do, as printed by `make run`.
STAFF_DESCRIPTIONS = {
    Role.ADMIN: "admin (everything, platform settings, users)",
    Role.PROGRAMME_MANAGER: "programme manager (the whole work programme)",
    Role.ORGANISER: "event organiser (only the events they organise)",
    Role.INSTRUCTOR: "instructor (only the editions they teach)",
    Role.JUDGE: "judge (the hackathon submissions assigned)",
}
FIRST_NAMES = {
    Gender.WOMAN: ["María", "Camila", "Valentina", "Lucía", "Ana", "Sofía", "Gabriela", "Keisha",
                   "Shanice", "Fernanda", "Isabel", "Daniela", "Marie", "Juliana"],
    Gender.MAN: ["José", "Carlos", "Luis", "Andrés", "Diego", "Jorge", "Marlon", "Dwayne",
                 "Pedro", "Rafael", "Jean", "Tiago", "Miguel"],
}
LAST_NAMES = ["González", "Rodríguez", "Pérez", "Martínez", "Gómez", "Silva", "Campbell",
              "Williams", "Joseph", "Ramírez", "Castillo", "Morales", "Herrera", "Baptiste",
              "Fernandes", "Vargas", "Rojas", "Mendoza", "Charles", "Thompson"]
INSTITUTIONS = {
    Sector.GOVERNMENT: ["Ministry of Economy", "Ministerio de Producción", "SME Development Agency",
                        "Ministerio de la Mujer", "National Statistics Office"],
    Sector.PRIVATE: ["Cámara de Comercio", "Cooperativa Textil del Sur", "Caribbean Exporters Ltd"],
    Sector.ACADEMIA: ["Universidad Nacional", "University of the West Indies", "FLACSO"],
    Sector.CIVIL_SOCIETY: ["Red de Mujeres Emprendedoras", "Fundación Pymes"],
    Sector.INTERNATIONAL: ["Regional Development Bank", "UN Women Regional Office"],
    Sector.OTHER: ["Independent consultant"],
}
JOB_TITLES = ["Policy analyst", "Director", "Advisor", "Economist", "Programme officer",
              "Researcher", "Entrepreneur", "Coordinator", "Specialist"]
# Weighted so the demo shows every category, including "not answered" (None).
GENDERS = ([Gender.WOMAN] * 24 + [Gender.MAN] * 16 + [Gender.NON_BINARY] * 2
           + [Gender.ANOTHER] + [Gender.PREFER_NOT_TO_SAY] * 3 + [None] * 4)
LANGUAGE_BY_REGION = {"BR": "pt", "HT": "fr"}
ENGLISH_SPEAKING = {"AG", "BS", "BB", "BZ", "DM", "GD", "GY", "JM", "KN", "LC", "VC", "TT"}


def _language(country: str) -> str:
    if country in LANGUAGE_BY_REGION:
        return LANGUAGE_BY_REGION[country]
    return "en" if country in ENGLISH_SPEAKING else "es"


def populate(rng, participants: int = 50) -> list[str]:
    if not member_state_codes():
        load_member_states()
        db.session.flush()
    countries = sorted(member_state_codes())
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow on purpose: hash once
    now = utcnow()
    users = []
    for email, name, role, language in STAFF:
        user = User(email=email, full_name=name, password_hash=password_hash,
                    email_confirmed_at=now, preferred_language=language, country="VE",
                    sector=Sector.INTERNATIONAL, institution="SELA", stats_consent_at=now,
                    timezone="America/Caracas")
        user.roles.append(UserRole(role=role))
        users.append(user)
    genders = list(GENDERS)
    rng.shuffle(genders)
    for n in range(participants):
        gender = genders[n % len(genders)]
        names = FIRST_NAMES.get(gender) or FIRST_NAMES[rng.choice([Gender.WOMAN, Gender.MAN])]
        country = countries[n % len(countries)] if n < len(countries) else rng.choice(countries)
        sector = rng.choice([Sector.GOVERNMENT] * 5 + list(Sector))
        users.append(User(
            email=f"participant{n + 1:02d}@elearn.demo",
            full_name=f"{rng.choice(names)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
            password_hash=password_hash,
            email_confirmed_at=now - timedelta(days=rng.randint(1, 300)),
            country=country, sector=sector, institution=rng.choice(INSTITUTIONS[sector]),
            job_title=rng.choice(JOB_TITLES),
            is_public_official=sector == Sector.GOVERNMENT,
            year_of_birth=rng.randint(1962, 2003) if rng.random() < 0.85 else None,
            preferred_language=_language(country), gender=gender,
            gender_other="Two-spirit" if gender == Gender.ANOTHER else None,
            stats_consent_at=now if rng.random() < 0.9 else None,
        ))
    db.session.add_all(users)
    db.session.flush()
    return login_lines(participants)


def login_lines(participants: int = 50) -> list[str]:
    """The demo logins, printed by `flask elearn demo` (and by `make run` on every start)."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {email:<30} {STAFF_DESCRIPTIONS[role]}"
              for email, _name, role, _lang in STAFF]
    lines.append(f"  participant01@elearn.demo ... participant{participants:02d}@elearn.demo"
                 f"  participants")
    return lines
