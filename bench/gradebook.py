"""Benchmark: the gradebook and completion of a large edition.

500 participants x 20 assessments (10 quizzes, 10 assignments) with scores, and 10 live classes
with attendance. Measures the time to evaluate completion for the whole edition and to render
the gradebook page (test client), and counts SQL statements with an engine listener: the count
must not grow with the number of participants.

    .venv/bin/python bench/gradebook.py                  # SQLite temporary file
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/gradebook.py    # in a fresh PostgreSQL database, dropped after
"""

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

# The script's own folder must not shadow the standard library (bench/calendar.py exists).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "500"))
ASSESSMENTS = 20
CLASSES = 10
PASSWORD = "bench-password-123"


@contextmanager
def database():
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            yield "sqlite:///" + os.path.join(folder, "bench.db")
        return
    base = make_url(url)
    name = f"elearn_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


class QueryCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _hit(self, *args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)


def build(db, rng):
    from elearn.accounts.models import Role, User, UserRole
    from elearn.accounts.services import hash_password
    from elearn.attendance.models import Attendance
    from elearn.courses.assessment_models import (
        Assessment,
        AssessmentKind,
        QuizAttempt,
        Submission,
    )
    from elearn.courses.models import Course, Edition, EditionStatus, Enrolment, EnrolmentStatus
    from elearn.events.models import Event, EventKind, EventMode, EventSession

    now = datetime.now(UTC)
    teacher = User(email="teacher@bench.example.org", full_name="Bench Teacher",
                   password_hash=hash_password(PASSWORD), email_confirmed_at=now)
    teacher.roles.append(UserRole(role=Role.ORGANISER))
    db.session.add(teacher)
    course = Course(title_en="Diploma", title_es="Diplomado", languages=["es"])
    event = Event(kind=EventKind.LIVE_CLASS, mode=EventMode.VIRTUAL, timezone="UTC",
                  title_en="Live classes", title_es="Clases")
    edition = Edition(course=course, name_en="Bench edition", starts_on=date.today(),
                      ends_on=date.today() + timedelta(days=60), timezone="UTC",
                      status=EditionStatus.RUNNING, min_grade=60, min_attendance_share=0.75,
                      require_final_passed=True)
    db.session.add_all([course, event, edition])
    db.session.flush()
    edition.live_event_id = event.id
    sessions = [EventSession(event_id=event.id, title_en=f"Class {n}", title_es="",
                             starts_at=now - timedelta(days=20 - n),
                             ends_at=now - timedelta(days=20 - n, hours=-2))
                for n in range(CLASSES)]
    assessments = [Assessment(edition_id=edition.id, position=n, title=f"Assessment {n + 1}",
                              kind=AssessmentKind.QUIZ if n % 2 == 0 else
                              AssessmentKind.ASSIGNMENT, weight=1 + n % 3,
                              required=n % 4 == 0, is_final=n == ASSESSMENTS - 1,
                              pass_mark=60, max_score=20)
                   for n in range(ASSESSMENTS)]
    db.session.add_all(sessions + assessments)
    db.session.flush()
    user_rows = [{"email": f"p{n}@bench.example.org", "full_name": f"Participant {n:04d}",
                  "country": rng.choice(["VE", "JM", "BR", "MX", "TT"]),
                  "is_public_official": True, "preferred_language": "es",
                  "session_version": 1, "is_active_account": True, "created_at": now}
                 for n in range(PARTICIPANTS)]
    db.session.execute(insert(User), user_rows)
    users = [u for (u,) in db.session.execute(
        text("SELECT id FROM \"user\" WHERE email LIKE 'p%@bench.example.org' ORDER BY id"))]
    db.session.execute(insert(Enrolment), [
        {"edition_id": edition.id, "user_id": u, "status": EnrolmentStatus.ACCEPTED,
         "motivation": "x", "applied_at": now} for u in users])
    attempts, submissions, attendance = [], [], []
    for u in users:
        for a in assessments:
            percent = rng.choice([None, 40.0, 65.0, 80.0, 95.0, 100.0])
            if a.kind == AssessmentKind.QUIZ:
                for number in (1, 2):
                    if percent is not None:
                        attempts.append({"assessment_id": a.id, "user_id": u,
                                         "number": number, "started_at": now,
                                         "submitted_at": now, "answers": {},
                                         "score": percent, "percent": percent - 10 * number})
            elif percent is not None or rng.random() < 0.3:
                submissions.append({"assessment_id": a.id, "user_id": u, "text": "x",
                                    "submitted_at": now, "is_late": rng.random() < 0.1,
                                    "score": None if percent is None else percent / 5,
                                    "percent": percent})
        for s in sessions:
            attendance.append({"session_id": s.id, "user_id": u,
                               "status": rng.choice(["present"] * 4 + ["late", "absent"]),
                               "mode": "online", "source": "roll_call", "updated_at": now})
    db.session.execute(insert(QuizAttempt), attempts)
    db.session.execute(insert(Submission), submissions)
    db.session.execute(insert(Attendance), attendance)
    db.session.commit()
    return edition.id, teacher.email


def timed(fn, repeat=5):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times), min(times)


def main():
    from elearn import create_app
    from elearn.extensions import db

    with database() as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "MAIL_SERVER": None, "SERVER_NAME": None})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            edition_id, email = build(db, random.Random(7))
            print(f"database: {db.engine.dialect.name}; built {PARTICIPANTS} participants x "
                  f"{ASSESSMENTS} assessments in {time.perf_counter() - started:.1f} s")

            from elearn.courses.models import Edition
            from elearn.courses.services.completion import evaluate_edition

            def completion():
                db.session.expire_all()
                return evaluate_edition(db.session.get(Edition, edition_id))

            with QueryCounter(db.engine) as counter:
                verdicts = completion()
            _, median, best = timed(completion)
            complete = sum(v.complete for v in verdicts.values())
            print(f"completion of {len(verdicts)} participants: median {median:.0f} ms "
                  f"(best {best:.0f} ms), {counter.count} SQL statements, "
                  f"{complete} complete")

            client = app.test_client()
            client.post("/login", data={"email": email, "password": PASSWORD})
            with QueryCounter(db.engine) as counter:
                response = client.get(f"/courses/editions/{edition_id}/gradebook")
            assert response.status_code == 200, response.status_code
            _, median, best = timed(
                lambda: client.get(f"/courses/editions/{edition_id}/gradebook"), 3)
            print(f"gradebook page: median {median:.0f} ms (best {best:.0f} ms), "
                  f"{counter.count} SQL statements, {len(response.data) // 1024} KB HTML")
            with QueryCounter(db.engine) as counter:
                exported = client.get(f"/courses/editions/{edition_id}/gradebook.xlsx")
            _, median, _best = timed(
                lambda: client.get(f"/courses/editions/{edition_id}/gradebook.xlsx"), 3)
            print(f"gradebook XLSX: median {median:.0f} ms, {counter.count} SQL statements, "
                  f"{len(exported.data) // 1024} KB")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
