"""Registration under load: 500 people, 100 at a time, racing for 100 online seats.

Standalone: `python bench/registration.py`. It creates a throw-away PostgreSQL database (from
BENCH_DATABASE_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test: a new database is
created beside that one and dropped at the end), builds the schema, one published virtual event
with 100 online seats and 500 users, starts the real app under gunicorn on a free loopback port,
and fires the 500 registrations through the real register form (CSRF on, as in production).

Users are logged in by opening their server-side session (accounts.services.sessions, as a
log-in does) and signing their session cookie with the run's SECRET_KEY through Flask's own
session interface (no bench-only login route, no 500 argon2 hashes). Each client sends the
CSRF token that Flask-WTF generated for that session.

Reports throughput, p50/p95 latency, confirmed/waitlisted/errors (must be 100/400/0), and the
throughput of /health on the same server for the ratio. Before the server starts, 60
registrations one at a time through the app in this process give what each costs in
statements, commits and CPU, against /health the same way. Only loopback; bounded in time.

Where the time goes (issue 20; 2 cores shared with other work, load average 4-15 during
these runs, so only the ratios to /health in the same run compare):

  before (c18caf4): 30.2, 32.7, 35.8, 37.1 req/s (ratio to /health 0.03, 0.03, 0.05, 0.05),
  p50 2.5-2.9 s, p95 3.2-5.5 s. One at a time: 26.2 statements and 5.1 commits per
  registration, 18-26 ms CPU (69-79 times /health's).
  cProfile of the request (sorted by cumulative time): waiting on psycopg dominated: every
  statement a round trip, and each commit ~1.5-1.8 ms of WAL flush.
  - the roll-up refresh ran twice: at the SAVEPOINT's release (SQLAlchemy sends
    before_commit for a nested transaction too) and at the commit; each a DELETE and the
    seven-branch INSERT ... SELECT of the whole person (EXPLAIN ANALYZE: planning 1.3-1.6 ms,
    execution 0.7 ms);
  - the mail: one thread per request, each reading the whole outbox and racing the others
    for the claims: 4 commits per message (give-up, due list, claim, outcome);
  - SELECT registration, SAVEPOINT, INSERT, RELEASE, then UPDATE registration for the status;
  - after the commit, the flash message and the redirect reloaded the person, their roles,
    the registration and the event (4 SELECTs).
  The seat UPDATE locks the event's row until COMMIT; the refresh ran inside that window.

  after, the same hour, alternating with the runs above: 70.4, 47.1, 75.1, 81.4 req/s
  (ratio 0.07, 0.07, 0.10, 0.14), p50 1.0-2.0 s, p95 2.2-2.6 s. One at a time: 11
  statements (9 for the request, 2 for the mail) and 2 commits, 12-15 ms CPU (42-45 times
  /health's).
  - one INSERT ... ON CONFLICT DO NOTHING RETURNING with the status already decided (no
    SELECT before it, no SAVEPOINT, no UPDATE after it);
  - one refresh per transaction, of the person's facts at that event only (four branches,
    one statement on PostgreSQL: the DELETE in a WITH), run BEFORE the seat UPDATE, so the
    row lock lasts the UPDATE and the COMMIT;
  - the message worded before the commit;
  - one delivery thread per process, asked for passes; a log-only pass is one UPDATE ...
    RETURNING and one commit.
  cProfile (CPU clock) now: loading the person and their roles 20 % (accounts), rendering
  the email (text, HTML, calendar invite) 27 %, the flush and refresh before the seat 27 %,
  the INSERT 10 %, the event 6 %. Not reached steadily: 15 % of /health (0.14 at best) and
  p95 < 1 s (p50 is, at best); what is left
  is CPU per request (the email is rendered in the request) and round trips (9, each one
  waiting for the GIL again among 8 threads).

  2026-12-07, a quiet machine (load 1-3), the server now run with deploy/gunicorn.conf.py
  (4 workers x 4 threads on 2 cores; BENCH_WORKERS / BENCH_THREADS still override):
  py-spy --gil on the in-process registrations (shares of the GIL-holding samples): the
  roll-up refresh before the seat 23 % (flush of the audit entry and the message 13 %, the
  refresh statement 10 %, 0.25 ms of it psycopg parsing the 5.5 KB statement, too long for
  its cache), the email 12 % (templates 8 %), the INSERT 11 %, loading the person 10 %, the
  event 10 %, the session cookie 5 %, the delivery thread 10 % on top (a third of it the
  UPDATE that looks for stale claims on every pass). Changed:
  - the person of a session: one statement built once, roles joined (was the expression
    built on every request and a second round trip): 1.8 -> 0.46 ms in-process;
  - the invite written as text (icalendar objects cost ~1 ms per confirmation);
  - pooled connections tested only after 2 s idle (pool_pre_ping was a round trip per
    request); the event's sessions loaded with the event;
  - a new registration refreshes only the facts it can change (a waiting-list place: the
    mode of a certificate the person may hold): one small branch for 4 of 5 in a rush;
  - the INSERT statement built once; stale claims looked for once a minute.
  Runs (500 people, 100 clients, 100 seats; always 100/400/0):
    before (this morning's code, 2 x 8): 108 req/s, ratio 0.11, p95 1.2 s;
    after, 4 x 4: 96, 98, 109, 84 req/s (ratio 0.09-0.11), p95 1.5-2.5 s; 2 x 8 gave 108.
  The machine is saturated during the rush (vmstat: 84-96 % user, 0-6 % idle). Per
  registration: gunicorn 15.2 ms CPU, PostgreSQL 2.5 ms, this client 2.3 ms, of the 23.7 ms
  two cores give at 84 req/s. The target (>= 15 % of /health, ~150 req/s) needs about
  13 ms of machine time per registration, so gunicorn <= 8.5 ms: NOT met. What is left is
  ORM and Flask overhead spread over the request (no single part above an eighth); the next
  step would be a Core-only registration path (no ORM objects for the person, the event,
  the audit entry and the message) and the email rendered from one pass for both bodies.

  2026-12-07, evening (this VM's speed moved by a factor of two within the hour: /health
  answered 520-1,100 req/s and the load client's own CPU per request, the same work each
  time, moved from 1.8 to 3.3 ms; so the changes were measured in instructions, with
  bench/instructions.py, which two runs of the same code repeat within 0.2 %):
  - a fresh worker's first registration cost ~390 ms of CPU (SQLAlchemy configuring every
    mapper ~210 ms, Jinja compiling the layout and the mails, Babel's locale data), and the
    rush began with four fresh workers: ~1.6 s of a ~6 s rush. wsgi.py now warms each
    worker before it accepts a connection (elearn/warm_up.py): 390 -> 42 ms for the first
    one. The bench waits until the server has stopped spending CPU after /health first
    answers (bench/_server.wait_until_settled), so it no longer measures workers starting;
  - the unit-of-work flush of the audit entry and the message before the seat (12 % of the
    in-process samples) -> one prebuilt INSERT each (elearn.db_writes.insert_row), with only
    the key returned; the registration's INSERT returns only its key too;
  - the delivery thread's log-only pass: the ORM bulk UPDATE rebuilt on every pass -> one
    statement built once (a tenth of a registration's instructions);
  - the seat UPDATE and the event's load built once; each email's two bodies with the
    template's `_` bound to the catalogue (elearn.i18n.template_gettext).
  Instructions per registration on the waiting list, in-process (the delivery thread's
  included): 21.80 M -> 15.81 M (-27 %); /health 2.11 M. py-spy --gil shares now: email
  19 % (its rendering 9 %, the message's INSERT 8 %), the person of the session 12 %, Flask
  and its hooks 13 %, the refresh before the seat 10 %, INSERT 9 %, the event 8 %, COMMIT
  7 % (a third of it expiring the session's objects), the audit entry 6 %, the session
  cookie 5 %; psycopg's execute is a fifth of all of it (8 statements, each a round trip).
  Rushes (always 100/400/0): quiet, 4 x 4: 113, 105 req/s (ratio 0.14, 0.12), p95 1.7-2.1 s
  with the warm-up alone; later, the machine slower by half: 76-87 req/s, ratio 0.12-0.17,
  p95 2.3-2.7 s, gunicorn 13.5-15.8 ms of user CPU a registration; at the end, quiet again
  (/health 690-1,050 req/s), six runs: 92-138 req/s, ratio 0.11-0.17, p95 1.29-1.69 s,
  gunicorn 9.0-14.0 ms a registration. NOT met: p95 < 1 s
  needs ~150 req/s (100 clients wait ~100/throughput seconds each), i.e. gunicorn under
  ~8 ms a registration on this machine: what remains is spread over the request (no part
  above a fifth), the next steps being fewer round trips (8 now) and no ORM objects for the
  person and the event.

  2026-12-07, night:
  - dates on a zone's clock are remembered per moment, zone and language
    (elearn.i18n.day_and_time_in_zone): each email formatted the same session times with
    Babel again. 15.84 -> 15.34 M instructions a waitlisted registration (-3 %).
  - the tail. Latencies by start time were even within a run, but p95 sat at 1.5-2.5 times
    p50 with 4 workers x 4 threads: each client's keep-alive connection stays with the worker
    that accepted it, and the four workers held 21 to 35 clients each (ss). Alternated in the
    same hour, p95: 4 x 4: 1516, 1604, 1608, 1979, 2258, 2296, 2336 ms (92-122 req/s);
    2 x 8: 807, 894, 931, 995, 1019, 1044, 1064, 1151, 1278, 1666 ms (95-153 req/s), the
    same throughput. deploy/gunicorn.conf.py now runs one worker per core, eight threads
    each, and this bench reads its settings from that file. Tried, not kept: gunicorn's
    reuse_port (each worker its own listening socket: p95 1098-1333 ms with 4 x 4), because
    the connections waiting in a worker's queue are reset when it exits (max_requests);
    psycopg's prepare_threshold=0: PostgreSQL 2.6/2.4 -> 2.4/2.0 ms, within the noise;
    sys.setswitchinterval(0.001) (the GIL handed over five times as often): p95 1115-1581
    against 1043-1469 ms in alternate runs, gunicorn's CPU no lower.
  - the PostgreSQL figure missed the backends that ended during the rush: with more threads
    than SQLAlchemy's pool of five, the extra connections were closed after each use (a new
    backend each time) and the bench showed 1.0-1.4 ms instead of 2.4-3.0. The ended backends
    are now counted (bench/_server.database_cpu_seconds), and each process keeps ten
    connections (DATABASE_POOL_SIZE, elearn/config.py).
  Five runs at the end (2 x 8, pool of ten; /health 811-960 req/s): 112.5, 129.3, 121.5,
  123.3, 147.4 req/s, ratio 0.12, 0.16, 0.14, 0.14, 0.17, p95 1198, 919, 1025, 1139, 912 ms;
  per registration gunicorn 8.1-10.5 ms, PostgreSQL 2.4-2.9 ms, this client 2.0-2.5 ms; always
  100/400/0. Both targets held in two runs of five: NOT met steadily. Where the rest of the
  tail is: requests by start time, the first 100 registrations (the confirmed ones: an invite
  and reply links in each email, and the seat UPDATE holding the event's row until COMMIT)
  completed at ~70-90 a second, the 400 on the waiting list at 110-140; the requests that
  started in the first two seconds waited longest (p90 1.6 s, later ones 0.9-1.3 s).
  Later, the machine quiet (/health 969-1,186 req/s), five runs on the same code: 137.7,
  141.1, 149.9, 174.2, 160.7 req/s, ratio 0.14, 0.15, 0.13, 0.16, 0.16, p95 1122, 986, 734,
  588, 853 ms; gunicorn 6.5-8.1 ms a registration, PostgreSQL 2.0-2.4, this client 1.6-1.9.
  Both targets in three of five: the ratio needs ~160 req/s when /health (whose limit is this
  Python client, ~2 ms of its CPU a request) runs at 1,000+.

  2026-12-08 (the machine at half speed for most of the night: /health 620-700 req/s, gunicorn
  9.5-12.5 ms a registration; quiet for a while: /health 1,000 req/s, 146.7 req/s, ratio 0.15,
  p95 914 ms):
  - the first 100 (confirmed) are the slow part, measured from the rows' created_at: 100 in
    1.08-1.11 s (~92 a second), the 400 on the waiting list in 3.2 s (~125 a second). Their
    seat UPDATE waited for the event's row lock (p50 18 ms, p90 53 ms, timed in the worker),
    and the lock lasted from the UPDATE's answer to the COMMIT's (p50 5 ms, p90 15 ms: the
    holding thread waits its turn for the interpreter; fdatasync on this disk is 0.11 ms).
    Tried, not kept: the seat UPDATE sent with the COMMIT in one string (a check dividing by
    zero when no seat was left aborts the COMMIT, and the form registers the person again):
    the lock then lasts a fraction of a millisecond, yet the confirmed phase took the same
    1.08 s against 1.11 s, and alternated runs gave 92-114 req/s, p95 1264-1580 ms against
    96-116 req/s, p95 1100-1520 ms. The lock was not the limit: the confirmed requests cost
    more CPU (the invite, the reply links, the full refresh of the person's facts: 14.5 ms
    against 10.2 ms one at a time) and the load client starts its 100 connections then.
  - py-spy --gil on 600 waitlisted registrations in-process: the email (rendered and queued)
    17 %, the person of the session 14 %, the event 10 %, the seat with the refresh before it
    9 %, the INSERT 8 %, the audit entry 6 %, the view itself 9 % (the session cookie signed
    again 4 %, the form with its CSRF token 3.5 %, the COMMIT 5 %), the test client 14 %. By
    library at the leaf: SQLAlchemy 40 %, psycopg 17 %, werkzeug 8 %. Turning each written row
    into an object through its constructor was 5 % (now as the ORM makes a loaded row), and
    Flask made a new cookie signer and zlib-compressed the cookie at each save (now
    elearn.core.session_cookie): 15.40 -> 14.61 M instructions a registration.
  - one person's refresh of the roll-up (every registration and check-in) bound one id
    instead of an IN list, which SQLAlchemy writes into the SQL again at each run, and the
    measures as equalities, on the session's connection: 1.25 -> 0.99 M instructions for a
    waitlisted person's refresh (callgrind), 14.61 -> 14.31 M a registration.
  - threads: alternated runs, 2 x 8 against 2 x 12: 122, 94, 118 req/s (p95 1100, 2017,
    981 ms) against 108, 84, 88 (p95 1339, 2123, 1389), gunicorn 9.3-11.9 against 10.4-13.1
    ms a registration; 2 x 6 against 2 x 8: 95, 104, 103 req/s (p95 1870, 1436, 1682) against
    97, 117, 116 (p95 1668, 1113, 1021). Eight threads stay.
  At the end (the machine slow: gunicorn 9.8-13.3 ms a registration where yesterday's quiet
  hours gave 6.5-8.1): 107.9, 99.0, 86.8 req/s, ratio 0.13, 0.17, 0.11, p95 1552, 1425,
  1476 ms; always 100/400/0. NOT met on a slow machine; yesterday's quiet hours met both
  targets in three runs of five with 5 % more instructions a registration than now.
"""

import sys
from pathlib import Path

# Running `python bench/registration.py` puts bench/ first on sys.path, where a sibling module
# (bench/calendar.py) would shadow the standard library's calendar: take bench/ off the path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import os  # noqa: E402
import runpy  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import requests  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench._server import cpu_seconds, database_cpu_seconds, wait_until_settled  # noqa: E402

PEOPLE, SEATS, CLIENTS, HEALTH_REQUESTS = 500, 100, 100, 2000
SEQUENTIAL = 60  # registrations one at a time, in-process (half of them confirmed)
# The production settings (deploy/gunicorn.conf.py: one worker per core, eight threads each)
# unless BENCH_WORKERS / BENCH_THREADS say otherwise.
_PRODUCTION = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
WORKERS = int(os.environ.get("BENCH_WORKERS") or _PRODUCTION["workers"])
THREADS = int(os.environ.get("BENCH_THREADS") or _PRODUCTION["threads"])
DEADLINE_SECONDS = 300  # the whole run, server start included


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(base_url: str):
    base = make_url(base_url)
    name = f"elearn_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), admin, name


def drop_database(admin, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def prepare(app, people: int = PEOPLE, seats: int = SEATS, tag: str = "bench",
            schema: bool = True):
    """Schema, the event, the users; returns (event_id, [(cookie, csrf_token)])."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from elearn.accounts.models import User
    from elearn.accounts.services import load_member_states
    from elearn.accounts.services.sessions import start_session
    from elearn.events.models import Event, EventSession, EventStatus
    from elearn.extensions import db

    with app.app_context():
        if schema:
            db.create_all()
            load_member_states()
        start = datetime.now(UTC) + timedelta(days=7)
        event = Event(kind="virtual_seminar", mode="virtual", timezone="America/Caracas",
                      title_en="Bench seminar", title_es="Seminario de prueba",
                      status=EventStatus.PUBLISHED, capacity_online=seats,
                      starts_at=start, ends_at=start + timedelta(hours=2))
        event.sessions.append(EventSession(starts_at=event.starts_at, ends_at=event.ends_at))
        db.session.add(event)
        users = [User(email=f"{tag}{i}@example.org", full_name=f"Bench person {i}",
                      email_confirmed_at=datetime.now(UTC)) for i in range(people)]
        db.session.add_all(users)
        db.session.flush()
        for user in users:  # a live server-side session each, as a log-in opens
            start_session(user)
        user_ids = [u.get_id() for u in users]
        db.session.commit()
        event_id = event.id
    # Outside the app context above: each request context then gets its own `g`, where
    # Flask-WTF caches the token it generated.
    serializer = app.session_interface.get_signing_serializer(app)
    clients = []
    for user_id in user_ids:
        with app.test_request_context():
            session["_user_id"] = user_id
            session["_fresh"] = True
            token = generate_csrf()
            clients.append((serializer.dumps(dict(session)), token))
    return event_id, clients


def one_at_a_time(app) -> None:
    """Registrations one after another through the app in this process (no server, no
    crowd): what each costs in statements, commits and CPU (this process's, the delivery
    thread's included; not the database's), against /health the same way."""
    import logging

    from sqlalchemy import event as sa_event

    from elearn.extensions import db
    from elearn.mail.services import wait_for_background_delivery

    seats = SEQUENTIAL // 2
    event_id, clients = prepare(app, SEQUENTIAL, seats, tag="one", schema=False)
    with app.app_context():
        engine = db.engine
    counts = {"statements": 0, "commits": 0}

    def statement(*_args):
        counts["statements"] += 1

    def commit(*_args):
        counts["commits"] += 1

    sa_event.listen(engine, "before_cursor_execute", statement)
    sa_event.listen(engine, "commit", commit)
    logging.disable(logging.INFO)  # the log-only mail would print every message
    client = app.test_client()
    url = f"/events/{event_id}/register"

    def register(cookie, token):
        client.set_cookie("session", cookie)
        assert client.post(url, data={"csrf_token": token}).status_code == 303

    def cpu_per_call(calls):
        counts.update(statements=0, commits=0)
        started = time.process_time()
        for call in calls:
            call()
        wait_for_background_delivery(timeout=60)
        return (time.process_time() - started) / len(calls)

    try:
        register(*clients[0])  # first request: templates compiled, statements prepared
        confirmed = cpu_per_call([lambda c=c: register(*c) for c in clients[1:seats]])
        per = {k: v / (seats - 1) for k, v in counts.items()}
        waitlisted = cpu_per_call([lambda c=c: register(*c) for c in clients[seats:]])
        client.set_cookie("session", "", expires=0)
        health = cpu_per_call([lambda: client.get("/health")] * 200)
    finally:
        sa_event.remove(engine, "before_cursor_execute", statement)
        sa_event.remove(engine, "commit", commit)
        logging.disable(logging.NOTSET)
    print(f"one at a time, in-process: {per['statements']:.1f} statements and "
          f"{per['commits']:.1f} commits per registration (the mail delivery's included); "
          f"CPU {confirmed * 1000:.1f} ms confirmed, {waitlisted * 1000:.1f} ms waitlisted, "
          f"/health {health * 1000:.2f} ms; ratio registration/health CPU "
          f"{(confirmed + waitlisted) / 2 / health:.0f}")


def start_server(port: int, env: dict) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                       "GUNICORN_WORKERS": str(WORKERS), "GUNICORN_THREADS": str(THREADS),
                       "GUNICORN_LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                wait_until_settled(process.pid)  # every worker started, not only the first
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise SystemExit("gunicorn did not start")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fire(jobs, clients: int, send) -> tuple[float, list[float], list]:
    """Run `send(session, job)` for every job from `clients` threads; (seconds, latencies,
    results)."""
    local = threading.local()
    latencies, results = [], []
    lock = threading.Lock()

    def one(job):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        started = time.perf_counter()
        try:
            result = send(local.session, job)
        except requests.RequestException as exc:
            result = repr(exc)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            results.append(result)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, jobs))
    return time.perf_counter() - started, latencies, results


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else values[0]


def main() -> int:
    base_url = os.environ.get("BENCH_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    url, admin, name = create_database(base_url)
    secret = secrets.token_hex(32)
    process = None
    begun = time.monotonic()
    try:
        from elearn import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                          "MAIL_SERVER": None, "REDIS_URL": None})
        event_id, clients = prepare(app)
        one_at_a_time(app)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "REDIS"))}
        env.update(DATABASE_URL=url, SECRET_KEY=secret, BASE_URL=f"http://127.0.0.1:{port}")
        process = start_server(port, env)
        register_url = f"http://127.0.0.1:{port}/events/{event_id}/register"

        def register(session, client):
            cookie, token = client
            session.cookies.clear()
            response = session.post(register_url, data={"csrf_token": token},
                                    cookies={"session": cookie}, allow_redirects=False,
                                    timeout=60)
            return response.status_code

        server_cpu, db_cpu = cpu_seconds(process.pid), database_cpu_seconds(name)
        client_cpu = time.process_time()
        seconds, latencies, results = fire(clients, CLIENTS, register)
        client_cpu = time.process_time() - client_cpu
        server_cpu = cpu_seconds(process.pid) - server_cpu
        db_cpu = database_cpu_seconds(name) - db_cpu
        if time.monotonic() - begun > DEADLINE_SECONDS:
            raise SystemExit("over the time bound")

        health_url = f"http://127.0.0.1:{port}/health"
        h_seconds, h_latencies, h_results = fire(
            range(HEALTH_REQUESTS), CLIENTS,
            lambda session, _i: session.get(health_url, timeout=30).status_code)

        from elearn.events.models import Event, Registration, RegistrationStatus

        engine = create_engine(url)
        with engine.connect() as conn:
            counts = dict(conn.execute(
                select(Registration.status, func.count())
                .where(Registration.event_id == event_id)  # not the one-at-a-time event's
                .group_by(Registration.status)).all())
            taken = conn.scalar(select(Event.seats_taken_online).where(Event.id == event_id))
        engine.dispose()
        confirmed = counts.get(RegistrationStatus.CONFIRMED.value, 0)
        waitlisted = counts.get(RegistrationStatus.WAITLISTED.value, 0)
        errors = sum(1 for r in results if r != 303)
        if errors:
            from collections import Counter

            print("responses:", dict(Counter(map(str, results))))
        rate = PEOPLE / seconds
        h_rate = HEALTH_REQUESTS / h_seconds
        print(f"gunicorn: {WORKERS} workers x {THREADS} threads, {CLIENTS} concurrent clients")
        print(f"registrations: {PEOPLE} in {seconds:.2f}s = {rate:.1f} req/s; "
              f"p50 {percentile(latencies, 50) * 1000:.0f} ms, "
              f"p95 {percentile(latencies, 95) * 1000:.0f} ms")
        per = {k: v / PEOPLE * 1000 for k, v in (("server", server_cpu), ("db", db_cpu),
                                                  ("client", client_cpu), ("machine", 2 * seconds))}
        print(f"CPU per registration in the rush: gunicorn {per['server']:.1f} ms, PostgreSQL "
              f"{per['db']:.1f} ms, this client {per['client']:.1f} ms (2 cores give "
              f"{per['machine']:.1f} ms of machine time per registration)")
        print(f"outcome: confirmed {confirmed}, waitlisted {waitlisted}, errors {errors}, "
              f"seats_taken_online {taken}")
        print(f"/health: {HEALTH_REQUESTS} in {h_seconds:.2f}s = {h_rate:.1f} req/s; "
              f"p50 {percentile(h_latencies, 50) * 1000:.0f} ms "
              f"(errors {sum(1 for r in h_results if r != 200)})")
        print(f"ratio registration/health throughput: {rate / h_rate:.2f}")
        ok = (confirmed, waitlisted, errors, taken) == (SEATS, PEOPLE - SEATS, 0, SEATS)
        print("OK" if ok else "FAILED: expected 100 confirmed / 400 waitlisted / 0 errors")
        return 0 if ok else 1
    finally:
        if process is not None:
            stop_server(process)
        drop_database(admin, name)


if __name__ == "__main__":
    sys.exit(main())
