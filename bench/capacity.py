"""Capacity of the production shape: registration under load through nginx with one and with
two gunicorn hosts, then the memory (RSS) of every gunicorn worker after the main pages were
served.

    .venv/bin/python bench/capacity.py [--people 500] [--clients 100] [--seats 100]

Uses the stack of `make prod-check` (deploy/prod_stack.py): a fresh PostgreSQL database beside
BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test) with the demo,
Redis database 13, a local SMTP server, gunicorn from deploy/gunicorn.conf.py (2 workers x 4
threads per host, ELEARN_ENV=production) and nginx from deploy/nginx/elearn-common.conf. No RQ
worker runs during the load (mail jobs wait in Redis): the worker would take the same two cores.

Per run: `people` signed-in people, `clients` at a time, race for `seats` online seats of a new
event through the real register form; throughput, p50/p95, confirmed/waitlisted/errors (must
be seats / people - seats / 0). Then bench/pages.py's data (an event with 200 registrants and
its organiser) and its pages (dashboard, event page, .ics, catalogues, statistics) are loaded
through nginx (8 clients, --duration seconds each), and each worker's RSS and PSS are read
from /proc. Target: RSS < 150 MB.

On this 2-core machine both hosts share the same two cores (and PostgreSQL, and the load
generator): a second host adds processes, not CPU, so it shows the cost of the extra hop and
processes, not the speed-up two machines would give. Bounded by --time-limit; loopback only;
everything started is stopped.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "deploy"))
# A Redis database of its own, so a benchmark beside `make prod-check` never shares its queue.
os.environ.setdefault("PROD_CHECK_REDIS_DB", "3")

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import requests  # noqa: E402
from prod_scenario import signed_session  # noqa: E402
from prod_stack import PUBLIC_HOST, Stack, benchmark_stack, log  # noqa: E402

from bench._server import cpu_seconds, database_cpu_seconds  # noqa: E402
from bench.registration import fire, percentile  # noqa: E402

RSS_TARGET_MB = 150


def prepare(stack: Stack, people: int, seats: int) -> dict:
    """Two events of `seats` seats (one per run), `people` signed-in people, and the pages
    benchmark's event with 200 registrants and its organiser."""
    from sqlalchemy import insert, select

    from bench import pages as pages_bench
    from elearn import create_app
    from elearn.accounts.models import User
    from elearn.accounts.services.sessions import start_session
    from elearn.events.models import Event, EventKind, EventMode, EventSession, EventStatus
    from elearn.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": stack.database_url, "REDIS_URL": None,
                      "MAIL_SERVER": None, "SECRET_KEY": stack.secret_key,
                      "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": f"https://{PUBLIC_HOST}"})
    with app.app_context():
        # First: populate() registers every person already there to its event.
        pages_event = pages_bench.populate(random.Random(2026))  # commits
        now = datetime.now(UTC).replace(microsecond=0)
        events = []
        for n in (1, 2):
            start = now + timedelta(days=20 + n)
            event = Event(kind=EventKind.VIRTUAL_SEMINAR, mode=EventMode.VIRTUAL,
                          timezone="America/Caracas", status=EventStatus.PUBLISHED,
                          title_en=f"Capacity run {n}", title_es=f"Capacidad {n}",
                          capacity_online=seats, starts_at=start,
                          ends_at=start + timedelta(hours=2))
            event.sessions.append(EventSession(starts_at=event.starts_at,
                                               ends_at=event.ends_at))
            events.append(event)
        db.session.add_all(events)
        db.session.execute(insert(User), [
            {"email": f"capacity{n:04d}@example.org", "full_name": f"Capacity person {n}",
             "email_confirmed_at": now, "preferred_language": "en"} for n in range(people)])
        users = db.session.scalars(select(User).where(User.email.like("capacity%@example.org"))
                                   .order_by(User.id)).all()
        tokens = [(start_session(u), u.id) for u in users]
        event_ids = [e.id for e in events]
        db.session.commit()
        db.engine.dispose()
    sessions = [signed_session(app, user_id, token) for token, user_id in tokens]
    return {"events": event_ids, "sessions": sessions, "pages_event": pages_event}


def registration_run(stack: Stack, event_id: int, sessions: list, clients: int) -> dict:
    from sqlalchemy import create_engine, func, select

    from elearn.events.models import Event, Registration

    url = f"{stack.public}/events/{event_id}/register"
    headers = {"Host": PUBLIC_HOST, "Referer": f"https://{PUBLIC_HOST}/events/{event_id}"}

    def register(session, pair):
        cookie, token = pair
        session.cookies.clear()
        return session.post(url, data={"csrf_token": token, "mode": "online"},
                            cookies={"session": cookie}, headers=headers,
                            allow_redirects=False, timeout=120).status_code

    def cpu() -> float:
        app = sum(cpu_seconds(stack.processes[name].pid) for name in stack.hosts)
        return app + cpu_seconds(stack.processes["nginx"].pid) + \
            database_cpu_seconds(stack.db_name)

    cpu_before = cpu()
    seconds, latencies, results = fire(sessions, clients, register)
    cpu_ms = (cpu() - cpu_before) * 1000 / len(sessions)
    engine = create_engine(stack.database_url)
    with engine.connect() as conn:
        counts = {str(k): v for k, v in conn.execute(
            select(Registration.status, func.count()).where(Registration.event_id == event_id)
            .group_by(Registration.status)).all()}
        taken = conn.scalar(select(Event.seats_taken_online).where(Event.id == event_id))
    engine.dispose()
    return {"seconds": seconds, "rps": len(sessions) / seconds,
            "p50": percentile(latencies, 50) * 1000, "p95": percentile(latencies, 95) * 1000,
            "confirmed": counts.get("confirmed", 0), "waitlisted": counts.get("waitlisted", 0),
            "errors": sum(1 for r in results if r != 303), "taken": taken, "cpu_ms": cpu_ms}


def restart_nginx(stack: Stack) -> None:
    if "nginx" in stack.processes:
        stack.stop("nginx")
        del stack.processes["nginx"]
    stack.start_nginx()
    stack.wait_http("nginx", stack.public + "/health")


def workers_of(stack: Stack) -> dict[str, list[int]]:
    found = {}
    for name in stack.hosts:
        master = stack.processes[name].pid
        with open(f"/proc/{master}/task/{master}/children") as f:
            found[name] = [int(p) for p in f.read().split()]
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB: PSS shares the pages a worker has in common with others fairly."""
    rss = pss = 0.0
    with open(f"/proc/{pid}/status") as f:
        rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            pss = int(re.search(r"Pss:\s+(\d+)", f.read()).group(1)) / 1024
    except OSError:
        pass
    return rss, pss


def pages_load(stack: Stack, event_id: int, duration: int) -> dict:
    """bench/pages.py's pages through nginx, the organiser signed in through the form."""
    from bench import pages as pages_bench

    organiser = requests.Session()
    organiser.headers.update({"Host": PUBLIC_HOST})
    page = organiser.get(stack.public + "/login", timeout=30)
    token = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page.text)
    for cookie in organiser.cookies:
        cookie.secure = False
    done = organiser.post(stack.public + "/login", allow_redirects=False, timeout=30, data={
        "csrf_token": token.group(1), "email": pages_bench.ORGANISER_EMAIL,
        "password": pages_bench.PASSWORD}, headers={"Referer": f"https://{PUBLIC_HOST}/login"})
    if done.status_code not in (302, 303):
        raise RuntimeError(f"organiser log-in: {done.status_code}")
    cookie = "; ".join(f"{c.name}={c.value}" for c in organiser.cookies)
    signed_in = {"Host": PUBLIC_HOST, "Cookie": cookie}
    public = {"Host": PUBLIC_HOST}
    runs = [("dashboard", f"/organise/events/{event_id}", signed_in),
            ("event page", f"/events/{event_id}", public),
            ("event .ics", f"/events/{event_id}/calendar.ics", public),
            ("events", "/events/", public), ("courses", "/courses/", public),
            ("statistics", "/statistics/", public), ("home (signed in)", "/", signed_in)]
    results = {}
    for label, path, headers in runs:
        check = requests.get(stack.public + path, headers=headers, allow_redirects=False,
                             timeout=30)
        if check.status_code != 200:
            raise RuntimeError(f"{path}: {check.status_code}")
        results[label] = hammer(stack.public + path, headers, duration)
    return results


def hammer(url: str, headers: dict, duration: float, clients: int = 8) -> dict:
    """GET `url` from `clients` threads for `duration` seconds: {rps, requests, errors}."""
    import threading

    stop = time.monotonic() + duration
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def client():
        session = requests.Session()
        while time.monotonic() < stop:
            try:
                ok = session.get(url, headers=headers, allow_redirects=False,
                                 timeout=60).status_code == 200
            except requests.RequestException:
                ok = False
            with lock:
                counts["requests"] += 1
                counts["errors"] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counts | {"rps": counts["requests"] / (time.monotonic() - started)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--duration", type=int, default=5, help="seconds per page")
    parser.add_argument("--time-limit", type=int, default=600)
    args = parser.parse_args()
    stack = benchmark_stack(args.time_limit)
    runs, memory, pages = {}, {}, {}
    try:
        stack.start()
        fixtures = prepare(stack, args.people, args.seats)
        stack.features["scheduler"] = False
        for hosts, event_id in zip((1, 2), fixtures["events"], strict=True):
            stack.start_gunicorn(f"app-{hosts}")
            stack.wait_http(f"app-{hosts}", stack.host_url(f"app-{hosts}") + "/health")
            restart_nginx(stack)
            for _ in range(40):  # warm every worker
                requests.get(stack.public + f"/events/{event_id}", timeout=30,
                             headers={"Host": PUBLIC_HOST})
            log(f"{hosts} host(s): {args.people} registrations from {args.clients} clients")
            runs[hosts] = registration_run(stack, event_id, fixtures["sessions"], args.clients)
        log("pages load through nginx (2 hosts)")
        try:
            pages = pages_load(stack, fixtures["pages_event"], args.duration)
        except Exception as exc:  # noqa: BLE001 (the registration figures still print)
            log(f"pages load failed: {exc!r}")
            pages = {"pages load failed": {"rps": 0.0, "errors": 1}}
        for host, pids in workers_of(stack).items():
            memory[host] = {pid: memory_mb(pid) for pid in pids}
    finally:
        signal.alarm(0)
        stack.close()

    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; gunicorn 2 workers "
          f"x 4 threads per host (deploy/gunicorn.conf.py) behind nginx; PostgreSQL; Redis")
    print(f"{'hosts':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms':>7} {'confirmed':>9} "
          f"{'waitlisted':>10} {'errors':>6}")
    ok = True
    for hosts, r in runs.items():
        print(f"{hosts:>5} {r['rps']:7.1f} {r['p50']:7.0f} {r['p95']:7.0f} {r['cpu_ms']:7.1f} "
              f"{r['confirmed']:>9} "
              f"{r['waitlisted']:>10} {r['errors']:>6}")
        ok &= (r["confirmed"], r["waitlisted"], r["errors"], r["taken"]) == (
            args.seats, args.people - args.seats, 0, args.seats)
    print("CPU ms: gunicorn + nginx + PostgreSQL CPU per registration, the fair comparison.\n"
          "On this 2-core machine the second host shares the same two cores: it adds processes "
          "(and their overhead), not CPU, so it cannot be a speed-up here; req/s on a shared "
          "machine also moves with what else runs (more processes win a larger share of a "
          "loaded machine). Two machines would add the CPU.")
    print("\npages through nginx (8 clients): " + ", ".join(
        f"{label} {r['rps']:.0f} req/s ({r['errors']} errors)" for label, r in pages.items()))
    ok &= all(r["errors"] == 0 for r in pages.values())
    print(f"\nmemory per gunicorn worker after the pages load (target RSS < {RSS_TARGET_MB} MB):")
    for host, workers in memory.items():
        for pid, (rss, pss) in workers.items():
            flag = "" if rss < RSS_TARGET_MB else "  OVER"
            ok &= rss < RSS_TARGET_MB
            print(f"  {host} worker {pid}: RSS {rss:.0f} MB, PSS {pss:.0f} MB{flag}")
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
