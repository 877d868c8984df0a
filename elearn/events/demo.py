"""Demo events tied to real activities of the work programme: past and upcoming, of every
kind, with agendas, their organisers, and registrations (some waitlisted, some pending).

The Social Development programme's migration events are organised by the scoped event organiser
(events-organiser@elearn.demo), who manages those and no others; the rest by the programme
manager (organiser@elearn.demo), who manages every event anyway.

Rows are inserted in bulk with the seat counters set to match, instead of going through
services.register: that would queue hundreds of emails and take far longer."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from elearn.accounts.demo import DEMO_PASSWORD
from elearn.accounts.models import Role, Sector, User, UserRole, user_by_email
from elearn.accounts.services import hash_password
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.multilingual import sql_text
from elearn.programme.models import Activity

from .models import (
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
from .services.events import local_to_utc

# (activity title keyword, kind, mode, days from today, zone, venue, capacities, extras)
PLAN = [
    ("port logistics communities", EventKind.MEETING, EventMode.HYBRID, 35, "America/Bogota",
     ("Centro de Convenciones Cartagena de Indias", "Cartagena", "CO"), (6, 200), {}),
    ("port logistics communities", EventKind.MEETING, EventMode.HYBRID, -330,
     "America/Panama", ("Panama Maritime Authority", "Panama City", "PA"), (40, 150), {}),
    ("behavioural economics", EventKind.WORKSHOP, EventMode.IN_PERSON, 21, "America/Caracas",
     ("SELA headquarters", "Caracas", "VE"), (12, None),
     {"requires_approval": True, "public_officials_only": True}),
    ("behavioural economics", EventKind.WORKSHOP, EventMode.VIRTUAL, -60, "America/Caracas",
     None, (None, 100), {}),
    ("rights of migrant women", EventKind.VIRTUAL_SEMINAR, EventMode.VIRTUAL, 9,
     "America/Mexico_City", None, (None, 8), {}),
    ("return migration", EventKind.VIRTUAL_SEMINAR, EventMode.VIRTUAL, -20, "America/Lima",
     None, (None, 300), {}),
    ("chairs and secretariats", EventKind.ROUND_TABLE, EventMode.HYBRID, 50,
     "America/Santo_Domingo", ("Ministerio de Relaciones Exteriores", "Santo Domingo", "DO"),
     (25, 60), {}),
    ("freight transport", EventKind.FORUM, EventMode.VIRTUAL, 14, "America/Sao_Paulo", None,
     (None, None), {}),
    ("migration data information systems", EventKind.TRAINING, EventMode.VIRTUAL, 28,
     "America/Port_of_Spain", None, (None, 30), {"eligible_subregions": ["caribbean"]}),
    ("cyber-governance", EventKind.WORKSHOP, EventMode.VIRTUAL, 90, "America/Caracas", None,
     (None, 40), {"status": EventStatus.DRAFT}),
]


PROGRAMME_MANAGER_EMAIL = "organiser@elearn.demo"
EVENT_ORGANISER_EMAIL = "events-organiser@elearn.demo"
# Activities whose events the scoped event organiser runs.
SCOPED_KEYWORDS = {"rights of migrant women", "return migration",
                   "migration data information systems"}


def _event_organiser() -> User:
    """The scoped event organiser: made by the accounts demo; made here only if it is not."""
    user = user_by_email(EVENT_ORGANISER_EMAIL)
    if user is None:
        now = utcnow()
        user = User(email=EVENT_ORGANISER_EMAIL, full_name="Eva Eventos",
                    password_hash=hash_password(DEMO_PASSWORD), email_confirmed_at=now,
                    preferred_language="es", country="VE", sector=Sector.INTERNATIONAL,
                    institution="SELA", stats_consent_at=now, timezone="America/Caracas")
        user.roles.append(UserRole(role=Role.ORGANISER))
        db.session.add(user)
        db.session.flush()
    return user


def _activity(keyword: str) -> Activity | None:
    return db.session.scalar(select(Activity).where(
        func.lower(sql_text(Activity.title, "en")).like(f"%{keyword.lower()}%"))
        .order_by(Activity.id))


def _sessions(event: Event, start_day: datetime, days: int) -> None:
    for day in range(days):
        base = (start_day + timedelta(days=day)).replace(tzinfo=None)
        for hour, length, label_en, label_es in ((9, 3, "Morning session", "Sesión de mañana"),
                                                  (14, 2, "Afternoon session", "Sesión de tarde")):
            wall = base.replace(hour=hour, minute=0, second=0, microsecond=0)
            starts = local_to_utc(wall, event.timezone)
            event.sessions.append(EventSession(
                title_en=f"Day {day + 1}: {label_en}", title_es=f"Día {day + 1}: {label_es}",
                starts_at=starts, ends_at=starts + timedelta(hours=length)))


def _registrations(rng, event: Event, people: list[User], now: datetime) -> list[Registration]:
    modes = {EventMode.HYBRID: [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE],
             EventMode.VIRTUAL: [AttendanceMode.ONLINE],
             EventMode.IN_PERSON: [AttendanceMode.IN_PERSON]}[event.mode]
    regs = []
    taken = {AttendanceMode.IN_PERSON: 0, AttendanceMode.ONLINE: 0}
    capacity = {AttendanceMode.IN_PERSON: event.capacity_in_person,
                AttendanceMode.ONLINE: event.capacity_online}
    for n, person in enumerate(rng.sample(people, min(len(people), rng.randint(12, 22)))):
        if event.public_officials_only and not person.is_public_official:
            continue
        mode = rng.choice(modes)
        at = now - timedelta(days=30) + timedelta(minutes=37 * n)
        if event.requires_approval and n % 3 == 0:
            status = RegistrationStatus.PENDING
        elif capacity[mode] is None or taken[mode] < capacity[mode]:
            status = RegistrationStatus.CONFIRMED
            taken[mode] += 1
        else:
            status = RegistrationStatus.WAITLISTED
        regs.append(Registration(
            event_id=event.id, user_id=person.id, mode=mode, status=status, created_at=at,
            waitlisted_at=at if status == RegistrationStatus.WAITLISTED else None,
            decided_at=at if event.requires_approval and status != RegistrationStatus.PENDING
            else None))
    event.seats_taken_in_person = taken[AttendanceMode.IN_PERSON]
    event.seats_taken_online = taken[AttendanceMode.ONLINE]
    return regs


def populate(rng) -> list[str]:
    manager = user_by_email(PROGRAMME_MANAGER_EMAIL)
    scoped = _event_organiser()
    people = list(db.session.scalars(
        select(User).where(~User.roles.any()).order_by(User.id)))
    now = utcnow()
    events = []
    for keyword, kind, mode, days, tz, venue, (cap_in, cap_online), extra in PLAN:
        activity = _activity(keyword)
        title_en = activity.text("title", "en") if activity else keyword.capitalize()
        title_es = (activity.title.get("es") if activity else "") or title_en
        organiser = scoped if keyword in SCOPED_KEYWORDS else manager
        status = extra.pop("status", None) or (
            EventStatus.COMPLETED if days < 0 else EventStatus.PUBLISHED)
        event = Event(
            kind=kind, mode=mode, timezone=tz, language="es", status=status,
            title_en=title_en, title_es=title_es,
            description_en=f"{title_en}. An activity of SELA's work programme "
                           f"{activity.path_code if activity else ''}.",
            description_es=f"{title_es}. Actividad del programa de trabajo del SELA.",
            activity_id=activity.id if activity else None,
            capacity_in_person=cap_in, capacity_online=cap_online,
            registration_opens_at=now + timedelta(days=days - 60),
            registration_closes_at=now + timedelta(days=days - 1),
            created_by_id=organiser.id if organiser else None, **extra)
        if venue:
            event.venue_name, event.venue_city, event.venue_country = venue
        _sessions(event, now + timedelta(days=days), 2 if mode == EventMode.HYBRID else 1)
        event.starts_at = min(s.starts_at for s in event.sessions)
        event.ends_at = max(s.ends_at for s in event.sessions)
        if organiser:
            event.organisers.append(EventOrganiser(user_id=organiser.id))
        events.append(event)
    db.session.add_all(events)
    db.session.flush()
    regs = []
    for event in events:
        if event.status != EventStatus.DRAFT and people:
            regs += _registrations(rng, event, people, now)
    db.session.add_all(regs)
    db.session.flush()
    by_status = {}
    for reg in regs:
        by_status[reg.status.value] = by_status.get(reg.status.value, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()))
    return [f"Events: {len(events)} (past and upcoming, every kind); registrations: {summary}."]
