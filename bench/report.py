"""Benchmark: the annual report of a busy year (issue 17, point 6).

    .venv/bin/python bench/report.py            # SQLite temporary file (the target's database)

Data, bulk-inserted past the ORM into a throw-away SQLite file: the real work programme (44
activities), the member states, 12,000 people (genders, countries, consent as in life), 200
events of 2025 spread over the activities, each with 2 sessions and 125 registered
participants who all attend both (50,000 attendance records), 4 panel members per event, and
500 public outputs; then the statistics roll-up is derived (`rollup.rebuild`).

Measures in-process with the test client, logged in as a programme manager: the report's web
page (/reports/2025, in Spanish), its PDF and its Word document, first (cold: the disclosure
audit solves its linear programs) and best of 3 (warm: the audit's cache), /health in the same
run for the ratio, and the SQL statements of each request (an engine listener).
Targets: page < 1 s, PDF < 5 s, statements bounded (the same as for a small year).

Findings (one run, 2 cores shared with other work, SQLite; /health 0.36 ms best of 20):
  page  cold 6.83 s, warm 0.60 s (target 1 s: met warm), 56 statements, 272 KB, 1651x /health
  PDF   cold 4.37 s, warm 3.91 s (target 5 s: met), 56 statements, 316 KB (its "cold" run
        came after the page's, so the disclosure audit's cache was already warm)
  Word  3.2-3.4 s, 56 statements, 81 KB;  annex XLSX 0.16-0.20 s, 31 statements, 17 KB
- The number of statements is the same as for a one-event year (tests/reports/test_queries.py):
  every figure is a GROUP BY over the roll-up; nothing is asked per activity or event.
- The cold page is the disclosure audit solving its linear programs the first time it sees
  these tables (activity x sub-region has ~44 x 6 rows, audited with the registered /
  attended / completed / certified / panel tables by activity); later renders reuse its
  cache (keyed by the tables' figures, so any new record makes the next render cold again).
  The first render after a change is therefore the one to move to a background "prepared
  download" (or to warm after each roll-up refresh) if 7 s is too long for the Secretariat.
- The PDF's time is reportlab laying out ~200 event rows and ~100 tables twice (multiBuild
  needs two passes for the table of contents' page numbers); the Word file is python-docx
  building the same tables cell by cell.
"""

import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

# The script's own folder must not shadow the standard library (bench/calendar.py exists).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from sqlalchemy import event as sa_event  # noqa: E402

EVENTS, SESSIONS, PARTICIPANTS, PANEL, OUTPUTS = 200, 2, 125, 4, 500
PEOPLE = 12_000
YEAR = 2025
PASSWORD = "bench-password-123"
MANAGER = "manager@bench.example.org"
GENDERS = ["woman"] * 50 + ["man"] * 42 + ["non_binary", "another", "prefer_not_to_say"] \
    + [None] * 5
TARGETS = {"page": 1.0, "pdf": 5.0}


def populate(app, rng: random.Random) -> None:
    from elearn.accounts.models import Role, User, UserRole
    from elearn.accounts.services import hash_password, load_member_states
    from elearn.attendance.models import Attendance
    from elearn.events.models import Event, EventSession, Registration
    from elearn.extensions import db
    from elearn.outputs.models import Output
    from elearn.programme.models import Activity
    from elearn.programme.services import load_programme
    from elearn.stats import rollup

    with app.app_context():
        db.create_all()
        load_member_states()
        load_programme()
        manager = User(email=MANAGER, full_name="Programme Manager", password_hash=hash_password(
            PASSWORD), email_confirmed_at=datetime.now(UTC), preferred_language="es")
        manager.roles.append(UserRole(role=Role.PROGRAMME_MANAGER))
        db.session.add(manager)
        db.session.commit()
        activities = db.session.scalars(db.select(Activity.id).order_by(Activity.id)).all()
        countries = [c for c, in db.session.execute(db.text(
            "SELECT country_code FROM member_state"))] + ["ES", "US"]
        now = datetime.now(UTC)
        with db.engine.begin() as conn:  # past the ORM: the roll-up is derived once at the end
            conn.execute(User.__table__.insert(), [{
                "email": f"p{i}@bench.example.org", "full_name": f"Person {i}",
                "email_confirmed_at": now, "gender": rng.choice(GENDERS),
                "country": rng.choice(countries) if rng.random() < 0.95 else None,
                "year_of_birth": rng.randint(1955, 2002), "preferred_language": "es",
                "stats_consent_at": now if rng.random() < 0.9 else None,
                "is_active_account": True, "session_version": 1, "created_at": now,
                "is_public_official": True} for i in range(PEOPLE)])
            first_person = conn.execute(db.text("SELECT min(id) FROM \"user\" WHERE email "
                                                "LIKE 'p%@bench.example.org'")).scalar()
            people = list(range(first_person, first_person + PEOPLE))
            start = datetime(YEAR, 1, 10, 14, tzinfo=UTC)
            events = [{"kind": rng.choice(["workshop", "virtual_seminar", "meeting", "forum"]),
                       "mode": rng.choice(["in_person", "virtual", "hybrid"]),
                       "status": "completed", "timezone": "America/Caracas",
                       "title_en": f"Regional workshop {n}", "title_es": f"Taller regional {n}",
                       "activity_id": activities[n % len(activities)],
                       "starts_at": start + timedelta(days=n * 1.7),
                       "ends_at": start + timedelta(days=n * 1.7 + 1, hours=3)}
                      for n in range(EVENTS)]
            conn.execute(Event.__table__.insert(), events)
            event_ids = [r for r, in conn.execute(db.text("SELECT id FROM event ORDER BY id"))]
            conn.execute(EventSession.__table__.insert(), [
                {"event_id": e, "title_en": f"Day {d + 1}", "title_es": f"Día {d + 1}",
                 "starts_at": events[n]["starts_at"] + timedelta(days=d),
                 "ends_at": events[n]["starts_at"] + timedelta(days=d, hours=3)}
                for n, e in enumerate(event_ids) for d in range(SESSIONS)])
            sessions = conn.execute(db.text("SELECT event_id, id FROM event_session")).all()
            by_event: dict = {}
            for e, s in sessions:
                by_event.setdefault(e, []).append(s)
            registrations, attendance = [], []
            for e in event_ids:
                chosen = rng.sample(people, PARTICIPANTS + PANEL)
                for k, person in enumerate(chosen):
                    role = "participant" if k < PARTICIPANTS else rng.choice(
                        ["speaker", "panellist", "chair", "moderator"])
                    registrations.append({"event_id": e, "user_id": person, "role": role,
                                          "mode": "in_person", "status": "confirmed"})
                    if role == "participant":
                        attendance += [{"session_id": s, "user_id": person, "status": "present",
                                        "mode": "in_person", "source": "roll_call",
                                        "updated_at": now} for s in by_event[e]]
            conn.execute(Registration.__table__.insert(), registrations)
            conn.execute(Attendance.__table__.insert(), attendance)
            conn.execute(Output.__table__.insert(), [{
                "event_id": event_ids[n % EVENTS], "kind": rng.choice(
                    ["minutes", "presentation", "recording", "report"]),
                "title_en": f"Output {n}", "title_es": f"Producto {n}",
                "url": f"https://example.org/outputs/{n}", "language": "es",
                "published_on": date(YEAR, 1, 1) + timedelta(days=n % 360),
                "visibility": "public", "created_at": now} for n in range(OUTPUTS)])
        print(f"loaded {PEOPLE} people, {EVENTS} events, {len(attendance)} attendance records, "
              f"{len(registrations)} registrations, {OUTPUTS} outputs")
        started = time.perf_counter()
        facts = rollup.rebuild()
        db.session.commit()
        print(f"roll-up: {facts} facts in {time.perf_counter() - started:.1f} s")


def measure(app) -> None:
    from elearn.extensions import db

    client = app.test_client()
    response = client.post("/login", data={"email": MANAGER, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    with app.app_context():
        engine = db.engine
    statements: list = []
    sa_event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))

    def timed(path: str) -> tuple[float, int, int]:
        statements.clear()
        started = time.perf_counter()
        response = client.get(path)
        seconds = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        return seconds, len(statements), len(response.data)

    health = min(timed("/health")[0] for _ in range(20))
    print(f"/health: {health * 1000:.2f} ms (best of 20)")
    for name, path in (("page", f"/reports/{YEAR}?lang=es"),
                       ("pdf", f"/reports/{YEAR}/report.pdf?lang=es"),
                       ("docx", f"/reports/{YEAR}/report.docx?lang=es"),
                       ("annex", f"/reports/{YEAR}/annex.xlsx?lang=es")):
        cold, count, size = timed(path)
        warm = min(timed(path)[0] for _ in range(3))
        target = TARGETS.get(name)
        verdict = "" if target is None else (" OK" if warm < target else " OVER TARGET")
        print(f"{name:5}: cold {cold:.2f} s, warm {warm:.2f} s (target {target} s){verdict}; "
              f"{count} statements; {size / 1024:.0f} KB; ratio to /health "
              f"{warm / health:.0f}x")


def main() -> int:
    from elearn import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                          "SECRET_KEY": "x" * 40, "WTF_CSRF_ENABLED": False, "TESTING": True,
                          "REDIS_URL": None, "MAIL_SERVER": None, "RATELIMIT_ENABLED": False})
        populate(app, random.Random(17))
        measure(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
