"""Benchmark: the annual report of a busy year (issue 17, point 6).

    .venv/bin/python bench/report.py            # SQLite temporary file (the target's database)

Data, bulk-inserted past the ORM into a throw-away SQLite file: the real work programme (44
activities), the member states, 12,000 people (genders, countries, consent as in life), 200
events of 2025 spread over the activities, each with 2 sessions and 125 registered
participants who all attend both (50,000 attendance records), 4 panel members per event, and
500 public outputs; then the statistics roll-up is derived (`rollup.rebuild`).

Measures in-process with the test client, logged in as a programme manager: the report's web
page (/reports/2025, in Spanish), its PDF, its Word document and the annex (the states below),
/health in the same run for the ratio, and the SQL statements of each request (an engine
listener).
Targets: page < 1 s, PDF < 5 s, statements bounded (the same as for a small year).

Measured per request, as people meet it: "after a change" (the figures changed, then the
scheduled warm-up job, reports/warmup.py, ran as a worker runs it: it audits and stores the
tables of the report in English and Spanish; the web worker has not seen these tables: its
per-process cache is empty, the shared store full) and "warm" (best of 3); and "truly cold"
(nothing stored, nobody warmed it: a person opening the report within the minute after a
change, before the job ran) for the record. Each with its wall time and its CPU time: this
machine's 2 cores are shared by up to 8 helpers (load average 9-14 during the runs below),
so the wall time is mostly waiting for a core, and the CPU time says what one idle core takes.

History (previous helpers): page cold 6.8/4.8 s -> 3.0-3.8 s, fresh worker 0.8-1.0 s, warm
0.6 s; PDF 4-8 s, over target; the cold page NOT under target right after the figures change.

Where the time went before this change (cProfile, busy-year data, this helper):
- page, truly cold: the disclosure audit ~2.1 s of 3.1 s under the profiler, of which the
  attended-by-activity-x-sub-region table (221 x 7, 604 figures hidden, 164 rounds of
  complementary suppression) 1.5 s; in the audit: HiGHS 0.7 s (1,088 LPs on 286 models built
  anew each round, each model's first solve from scratch), noting each solution's 604 values
  in a dict 0.3 s, pricing the rectangles (_complement/_cost, 53,000 calls) 0.5 s, building
  the models 0.25 s; the SQL 0.3-0.4 s, the outline and template 0.3 s.
- PDF, warm: reportlab's multiBuild laid the whole document out THREE times (the contents'
  page numbers settle on the third pass), 1.5 s a pass, most of it wrapping and drawing a
  Paragraph for every figure of every table (42,000 Paragraph wraps).
Changes:
1. PDF laid out once (reports/pdf.py): the contents' entries are known from the outline
   before the layout, each page number is drawn as a reference to a PDF form written once
   the body is laid out; figure cells are plain strings. tests/reports/test_pdf_contents.py
   checks every contents entry against the page its bookmark (and heading text) is on.
2. Audit (stats/audit.py, disclosure.py): one HiGHS program per search over every figure,
   published ones fixed by their bounds, so hiding more changes bounds and HiGHS keeps its
   basis (primal simplex, no presolve: half the time of the default on the 221 x 7 table);
   extremes kept as numpy arrays; rectangle costs worked out once per table. The very same
   cells hidden on each of the report's 16 distinct tables (both languages; checked table by
   table against the previous code) and on seeded random tables
   (tests/stats/test_audit_same_cells.py). The report's audits: 1.6 -> 1.0 s CPU.
3. Warm-up (reports/warmup.py, scheduled every minute as "warm-reports"): after the figures
   change, the current and previous year's report in en and es are audited and stored; a
   fingerprint query makes a run with nothing changed one query.

Before (c18caf4, two runs; wall s, CPU s where measured; /health 0.24-0.25 ms):
  page  cold 2.28 / 7.18 s (CPU 1.96), fresh worker 0.46 / 0.67 s (CPU 0.38), warm 0.45 /
        0.40 s (CPU 0.35); 57 statements
  PDF   cold 5.93 / 8.25 s (CPU 4.40), fresh worker 4.08 / 2.70 s (CPU 2.83), warm 2.24 /
        3.91 s (CPU 2.54-2.64)
  (a third run at load 14, measuring CPU: page cold 16.75 s wall, warm 3.16 s; PDF warm
  16.6 s wall)
After (two runs at load average 13-14; /health 0.25 / 0.28 ms):
  page  after a change 5.28 / 2.41 s wall, CPU 0.39 / 0.36 s (21373x / 8572x /health);
        warm 3.52 / 2.88 s wall, CPU 0.36 / 0.35; truly cold 12.99 / 11.31 s wall, CPU 1.44
        / 1.53 s; 57 statements (the store's reads and writes are on its own engine).
  PDF   after a change 10.10 / 7.73 s wall, CPU 1.10 / 1.10 s; warm 6.65 / 5.67 s wall, CPU
        0.88 / 0.90 s; truly cold 24.0 / 14.3 s wall, CPU 2.15 / 1.98 s.
  Word  after a change CPU 1.83-1.88 s, warm 1.90-1.98 s (unchanged: not a target).
  Warm-up job (both languages of one year) CPU 1.6-1.7 s.
  A third run, at a quieter moment (load 8; /health 0.26 ms): page after a change 0.38 s
  (1482x /health), warm 0.30 s (1192x), truly cold 1.19 s (4654x); PDF after a change 0.99 s
  (3872x), warm 1.06 s (4168x), truly cold 1.77 s (6928x); warm-up job 1.3 s. Both targets
  met as measured.
  On one idle core both targets are met after a change (page 0.4 s, PDF 1.1 s) and the PDF
  even truly cold (2.0-2.2 s); the truly cold page (within the minute after a change,
  before the warm-up ran) stays over 1 s (1.4-1.5 s CPU). On this overloaded machine the
  wall times are 6-10 times the CPU times and over target whatever the code.
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
                       "title": {"en": f"Regional workshop {n}", "es": f"Taller regional {n}"},
                       "activity_id": activities[n % len(activities)],
                       "starts_at": start + timedelta(days=n * 1.7),
                       "ends_at": start + timedelta(days=n * 1.7 + 1, hours=3)}
                      for n in range(EVENTS)]
            conn.execute(Event.__table__.insert(), events)
            event_ids = [r for r, in conn.execute(db.text("SELECT id FROM event ORDER BY id"))]
            conn.execute(EventSession.__table__.insert(), [
                {"event_id": e, "title": {"en": f"Day {d + 1}", "es": f"Día {d + 1}"},
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
                "title": {"en": f"Output {n}", "es": f"Producto {n}"},
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

    cpu: list = []  # the CPU seconds of each timed request, in order

    def timed(path: str) -> tuple[float, int, int]:
        """(seconds, SQL statements, bytes) of one request; its CPU seconds go to `cpu` (on a
        machine shared by several benchmarks, wall time is mostly waiting for a core)."""
        statements.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        seconds = time.perf_counter() - started
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (path, response.status_code)
        return seconds, len(statements), len(response.data)

    def forget(store: bool) -> None:
        """A fresh worker: the audit's per-process cache empty; `store`: the shared store
        too (the first request after the figures changed)."""
        from elearn.stats import disclosure
        from elearn.stats.models import DisclosureResult

        disclosure._suppress.cache_clear()
        disclosure._suppress_together.cache_clear()
        if store:
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(DisclosureResult.__table__.delete())

    def warm_up() -> tuple[float, float]:
        """The scheduled warm-up job after a change (reports/warmup.py), as a worker runs it:
        its seconds and CPU seconds."""
        from elearn.reports import warmup

        started, started_cpu = time.perf_counter(), time.process_time()
        with app.app_context():
            built = warmup.warm_reports([YEAR])
        assert built == 2, built
        return time.perf_counter() - started, time.process_time() - started_cpu

    health = min(timed("/health")[0] for _ in range(20))
    print(f"/health: {health * 1000:.2f} ms (best of 20)")
    for name, path in (("page", f"/reports/{YEAR}?lang=es"),
                       ("pdf", f"/reports/{YEAR}/report.pdf?lang=es"),
                       ("docx", f"/reports/{YEAR}/report.docx?lang=es"),
                       ("annex", f"/reports/{YEAR}/annex.xlsx?lang=es")):
        forget(store=True)
        cold, count, size = timed(path)
        cold_cpu = cpu[-1]
        # The figures change; the warm-up job runs (a minute at most later) in a worker; a
        # person then opens the report in a web worker that has not seen these tables.
        forget(store=True)
        job, job_cpu = warm_up()
        forget(store=False)
        after, after_count, _size = timed(path)
        after_cpu = cpu[-1]
        warm = min(timed(path)[0] for _ in range(3))
        warm_cpu = min(cpu[-3:])
        target = TARGETS.get(name)
        verdict = "" if target is None else (
            (" OK" if max(after, warm) < target else " OVER TARGET") + " (on one idle core: "
            + ("OK)" if max(after_cpu, warm_cpu) < target else "OVER TARGET)"))
        print(f"{name:5}: after a change {after:.2f} s (warm-up job ran: {job:.2f} s), "
              f"warm {warm:.2f} s (target {target} s){verdict}; truly cold {cold:.2f} s "
              f"(nothing stored, for the record); {count} statements cold, {after_count} "
              f"after the warm-up; {size / 1024:.0f} KB; ratio to /health: after a change "
              f"{after / health:.0f}x, warm {warm / health:.0f}x, cold {cold / health:.0f}x")
        print(f"       CPU seconds: after a change {after_cpu:.2f}, warm {warm_cpu:.2f}, "
              f"truly cold {cold_cpu:.2f}; warm-up job {job_cpu:.2f}")


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
