"""Calendar benchmark: build times in-process, then requests/s under gunicorn on loopback.

    .venv/bin/python bench/calendar.py [--sessions 500] [--runs 30] [--duration 10]

Creates a throwaway SQLite file (or uses --database-url), one person with confirmed seats in
events totalling --sessions sessions, and measures:
- feed_ics(person) and event_ics(event): median of --runs builds (cold = caches emptied);
- GET /calendar/<token>.ics and GET /events/<id>/calendar.ics with wrk (or a threaded Python
  client when wrk is missing) against gunicorn, 2 workers, 127.0.0.1 only, --duration seconds.
Targets: feed build < 50 ms; feed >= 80 req/s; event file >= 450 req/s.
"""

import os
import sys

# This file is named like the standard library's `calendar`: keep its folder off sys.path so
# `import calendar` elsewhere (email, http) still finds the real one.
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, ROOT)

import argparse  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from bench._server import cpu_seconds, gunicorn  # noqa: E402
from bench._server import wrk as run_wrk  # noqa: E402

ZONES = ["America/Caracas", "America/Santiago", "America/Mexico_City", "America/Bogota"]
TARGETS = {"feed_ms": 50.0, "feed_rps": 80.0, "event_rps": 450.0}


def populate(total_sessions: int, per_event: int = 25):
    from elearn.accounts.models import User
    from elearn.events.calendar import feed_for
    from elearn.events.models import (
        AttendanceMode,
        Event,
        EventKind,
        EventMode,
        EventSession,
        EventStatus,
        Registration,
        RegistrationStatus,
    )
    from elearn.extensions import db

    user = User(email="bench@example.org", full_name="Bench Person", preferred_language="es")
    db.session.add(user)
    events = []
    start = datetime(2026, 1, 12, 13, tzinfo=UTC)
    made = 0
    while made < total_sessions:
        n = min(per_event, total_sessions - made)
        i = len(events)
        event = Event(
            kind=EventKind.WORKSHOP, timezone=ZONES[i % len(ZONES)],
            mode=[EventMode.HYBRID, EventMode.VIRTUAL, EventMode.IN_PERSON][i % 3],
            status=EventStatus.PUBLISHED,
            title_en=f"Regional workshop {i} on gender and SME policy",
            title_es=f"Taller regional {i} sobre género y políticas para pymes",
            description_en="Public officials from member states share policy experience. " * 4,
            description_es="Funcionarios de los Estados miembros comparten experiencias. " * 4,
            venue_name="SELA", venue_address="Av. Francisco de Miranda", venue_city="Caracas",
            venue_country="VE",
        )
        for j in range(n):
            at = start + timedelta(days=7 * j + i, hours=i % 5)
            event.sessions.append(EventSession(
                title_en=f"Session {j + 1}", title_es=f"Sesión {j + 1}", starts_at=at,
                ends_at=at + timedelta(hours=2), speakers="Ana Núñez, John Smith"))
        db.session.add(event)
        db.session.add(Registration(event=event, user=user, status=RegistrationStatus.CONFIRMED,
                                    mode=AttendanceMode.ONLINE if i % 2 else
                                    AttendanceMode.IN_PERSON))
        events.append(event)
        made += n
    db.session.flush()
    token = feed_for(user).token
    db.session.commit()
    return user.id, events[0].id, len(events[0].sessions), token


def median_ms(fn, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def in_process(app, user_id: int, event_id: int, runs: int) -> dict:
    from sqlalchemy.orm import selectinload

    from elearn.accounts.models import User
    from elearn.events import calendar
    from elearn.events.calendar_build import clear_caches as clear
    from elearn.events.models import Event
    from elearn.extensions import db

    with app.app_context():
        def feed():
            db.session.expire_all()
            user = db.session.get(User, user_id)
            return calendar.feed_ics(user)

        def event_file():
            db.session.expire_all()
            event = db.session.get(Event, event_id, options=[selectinload(Event.sessions)])
            return calendar.event_ics(event)

        size = len(feed())
        return {
            "feed_bytes": size,
            "feed_cold_ms": median_ms(feed, max(3, runs // 5), before=clear),
            "feed_ms": median_ms(feed, runs),
            "event_cold_ms": median_ms(event_file, max(3, runs // 5), before=clear),
            "event_ms": median_ms(event_file, runs),
        }


def measured(measure, url: str, duration: int, server_pid: int) -> dict:
    """Requests/s, plus the server's CPU per request: on a busy machine the first depends on
    what else runs; the second says what two idle cores would serve (2000 / ms)."""
    before = cpu_seconds(server_pid)
    rps, tool = measure(url, duration)
    cpu_ms = (cpu_seconds(server_pid) - before) * 1000 / max(rps * duration, 1)
    return {"rps": rps, "tool": tool, "cpu_ms": cpu_ms, "capacity": 2000 / cpu_ms}


def wrk(url: str, duration: int) -> tuple[float, str]:
    return run_wrk(url, duration, connections=8)["rps"], "wrk"


def python_client(url: str, duration: int, threads: int = 8) -> tuple[float, str]:
    stop = time.monotonic() + duration
    counts = [0] * threads

    def loop(i):
        while time.monotonic() < stop:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                if r.status != 200:
                    raise RuntimeError(r.status)
            counts[i] += 1

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts) / (time.monotonic() - t0), "python threads"


def over_http(database_url: str, token: str, event_id: int, duration: int) -> dict:
    env = {"DATABASE_URL": database_url, "ELEARN_ENV": "development", "MAIL_SERVER": ""}
    with gunicorn(env, workers=2) as (base, pid):
        feed_url = f"{base}/calendar/{token}.ics"
        event_url = f"{base}/events/{event_id}/calendar.ics"
        for _ in range(10):  # warm both workers' caches
            urllib.request.urlopen(feed_url).read()
            urllib.request.urlopen(event_url).read()
        measure = wrk if shutil.which("wrk") else python_client
        return {"feed": measured(measure, feed_url, duration, pid),
                "event": measured(measure, event_url, duration, pid)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="elearn-bench-")
    database_url = args.database_url or f"sqlite:///{tmp}/bench.db"
    from elearn import create_app
    from elearn.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": "http://bench",
                      "MAIL_SERVER": None})
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            user_id, event_id, event_sessions, token = populate(args.sessions)
        results = in_process(app, user_id, event_id, args.runs)
        print(f"feed: {args.sessions} sessions, {results['feed_bytes']} bytes")
        print(f"feed_ics   median {results['feed_ms']:.1f} ms (cold, caches emptied: "
              f"{results['feed_cold_ms']:.1f} ms)  target < {TARGETS['feed_ms']:.0f} ms")
        print(f"event_ics  median {results['event_ms']:.2f} ms for {event_sessions} sessions "
              f"(cold {results['event_cold_ms']:.1f} ms)")
        ok = results["feed_ms"] < TARGETS["feed_ms"]
        if not args.no_http:
            http = over_http(database_url, token, event_id, args.duration)
            print(f"load average during the HTTP runs: {os.getloadavg()[0]:.1f} "
                  f"on {os.cpu_count()} cores")
            for name, label in (("feed", "GET /calendar/<token>.ics    "),
                                ("event", "GET /events/<id>/calendar.ics")):
                r = http[name]
                print(f"{label} {r['rps']:6.0f} req/s (target >= {TARGETS[name + '_rps']:.0f})"
                      f"  server CPU {r['cpu_ms']:.1f} ms/request -> ~{r['capacity']:.0f} "
                      f"req/s on 2 idle cores  [{r['tool']}, gunicorn -w 2]")
                ok = ok and r["rps"] >= TARGETS[name + "_rps"]
        print("all targets met" if ok else "TARGETS MISSED")
        return 0 if ok else 1
    finally:
        if not args.database_url:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
