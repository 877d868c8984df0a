"""Memory of a gunicorn worker after the pages benchmark: RSS, PSS and USS of each worker.

    .venv/bin/python bench/memory.py [--duration 5] [--preload]

The memory half of bench/capacity.py without its registration runs: the production stack of
`make prod-check` (deploy/prod_stack.py: a fresh PostgreSQL database with the demo, Redis
database 13, S3 storage on moto when installed, ELEARN_ENV=production, MALLOC_ARENA_MAX=2), one
gunicorn host from deploy/gunicorn.conf.py (2 workers, its threads) behind nginx; bench/pages.py's
event with 200 registrants; its pages (dashboard, event page, .ics, catalogues, statistics, home)
loaded by 8 clients for --duration seconds each; then each worker's figures from
/proc/<pid>/smaps_rollup:

RSS  every page the worker maps, shared ones counted in full (what `ps` and `top` show);
PSS  shared pages divided among the processes sharing them: the sum over the workers (and the
     master) is the memory the host really spends, the fair figure for sizing a host;
USS  the worker's private pages: what stopping it would give back.

Target (issue 15): RSS < 150 MB per worker; issue 20: its peak (VmHWM) < 150 MB too. Each
worker's RSS and peak are printed after each page's load, to tell which page makes the peak.

Where the peak came from (issue 20): argon2. The library's default PasswordHasher takes 64 MiB
for each hash and check; passwords.py hashed its dummy password at import (every worker peaked
at 143 MB as it started, then fell back to 112), and each log-in took 64 MiB more: the organiser
signing in before the dashboard's load made one worker's peak 183 MB (two threads at once
would be 250). Found by sampling RSS every 0.5 ms with the main thread's stack at each new high,
then confirmed here. After (OWASP's argon2id, 19 MiB, 2 passes, 1 lane; dummy hash on first
use): peak at start 112 MB, after the log-in and the dashboard's load 138 MB.
  before  worker 1: RSS 131 MB, peak 183;  worker 2: RSS 150, peak 150
  after   worker 1: RSS 130 MB, peak 138;  worker 2: RSS 149, peak 149
  again   worker 1: RSS 131 MB, peak 138;  worker 2: RSS 150, peak 150 (MALLOC_MMAP_THRESHOLD_)
What remains: +19 MB in the worker that serves /statistics/ (it maps numpy and highspy, the
disclosure audit's solver): its RSS and peak sit at 149-150 MB, on the target's edge; +17 MB in
both workers over the first dashboard requests, the one that signed in or not (Babel's locale
data for dates and country names, about 4 MB traced; compiled templates and SQL; arenas).
Not seen here, where each worker signs in once: glibc raises its mmap threshold to the first
large block freed, so from the second log-in on an argon2 block stays in the heap (a process
hashing twice keeps 32 MB instead of 13; four threads, 51 instead of 13).
MALLOC_MMAP_THRESHOLD_=1048576 (systemd unit, deploy/prod_stack.py) gives it back each time.

--preload builds the app once in the gunicorn master
(GUNICORN_PRELOAD=1) so workers share its pages copy-on-write, to compare. Loopback only;
everything started is stopped; bounded by --time-limit.
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
import runpy  # noqa: E402
import signal  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import requests  # noqa: E402
from prod_stack import PUBLIC_HOST, Stack, benchmark_stack, log  # noqa: E402

from bench import capacity  # noqa: E402
from bench.capacity import RSS_TARGET_MB, pages_load, restart_nginx, workers_of  # noqa: E402

# Each worker's threads: deploy/gunicorn.conf.py's (GUNICORN_THREADS when set).
THREADS = runpy.run_path(os.path.join(ROOT, "deploy", "gunicorn.conf.py"))["threads"]

# Libraries with compiled parts, so visible in /proc/<pid>/maps once imported (xlsxwriter and
# boto3 are pure Python: tests/core/test_lazy_imports.py watches those).
NATIVE = ("reportlab", "highspy", "numpy", "scipy", "PIL")


def smaps_mb(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of `pid` in MB, from /proc/<pid>/smaps_rollup."""
    with open(f"/proc/{pid}/smaps_rollup") as f:
        fields = {m.group(1): int(m.group(2)) / 1024
                  for m in re.finditer(r"^(\w+):\s+(\d+) kB", f.read(), re.M)}
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def status_mb(pid: int) -> dict[str, float]:
    """RSS now and its peak since the process started (VmHWM), in MB, from /proc/<pid>/status:
    the peak catches what a sample taken after the load would miss."""
    with open(f"/proc/{pid}/status") as f:
        fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", f.read(), re.M))
    return {"rss": int(fields["VmRSS"]) / 1024, "peak": int(fields["VmHWM"]) / 1024}


def sampling(stack, phases: list) -> None:
    """Each page's load followed by every worker's RSS and peak, and what it has mapped: which
    page makes the peak (bench.capacity.hammer wrapped, so its pages_load runs as it is)."""
    hammer = capacity.hammer

    def hammer_then_sample(url, headers, duration, *args, **kwargs):
        result = hammer(url, headers, duration, *args, **kwargs)
        pids = workers_of(stack)["app-1"]
        phases.append((urlsplit(url).path,
                       {pid: (status_mb(pid), heavy_modules(pid)) for pid in pids}))
        return result

    capacity.hammer = hammer_then_sample


def heavy_modules(pid: int) -> list[str]:
    """Which of the NATIVE libraries the process has mapped, from /proc/<pid>/maps: an outside
    view of what the worker imported."""
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    return [name for name in NATIVE if f"/site-packages/{name}/" in maps]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per page")
    parser.add_argument("--preload", action="store_true",
                        help="GUNICORN_PRELOAD=1: the app built once in the master")
    parser.add_argument("--time-limit", type=int, default=420)
    args = parser.parse_args()
    stack = benchmark_stack(args.time_limit)
    memory, master, pages, phases = {}, {}, {}, []
    try:
        stack.start()
        event_id = populate(stack)
        stack.features["scheduler"] = False
        if args.preload:
            app_env = stack.app_env
            stack.app_env = lambda: app_env() | {"GUNICORN_PRELOAD": "1"}
        stack.start_gunicorn("app-1")
        stack.wait_http("app-1", stack.host_url("app-1") + "/health")
        restart_nginx(stack)
        for _ in range(20):  # both workers up
            requests.get(stack.public + "/health", timeout=30, headers={"Host": PUBLIC_HOST})
        log("pages load through nginx (1 host, 2 workers)")
        phases.append(("(started, 20 x /health)", {
            pid: (status_mb(pid), heavy_modules(pid)) for pid in workers_of(stack)["app-1"]}))
        sampling(stack, phases)
        pages = pages_load(stack, event_id, args.duration)
        load = os.getloadavg()
        master = smaps_mb(stack.processes["app-1"].pid)
        for pid in workers_of(stack)["app-1"]:
            memory[pid] = (smaps_mb(pid) | {"peak": status_mb(pid)["peak"]}, heavy_modules(pid))
    finally:
        signal.alarm(0)
        stack.close()

    print(f"\nload average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min) on "
          f"{os.cpu_count()} cores; gunicorn 2 workers x {THREADS} threads (deploy/gunicorn.conf.py"
          f"{', GUNICORN_PRELOAD=1' if args.preload else ''}) behind nginx; PostgreSQL; Redis; "
          f"S3 {'(moto)' if stack.s3 else 'absent (local storage)'}")
    print("pages (8 clients): " + ", ".join(
        f"{label} {r['rps']:.0f} req/s ({r['errors']} errors)" for label, r in pages.items()))
    ok = all(r["errors"] == 0 for r in pages.values())
    print(f"master {stack.processes['app-1'].pid}: RSS {master['rss']:.0f} MB, "
          f"PSS {master['pss']:.0f} MB, USS {master['uss']:.0f} MB")
    print(f"memory per worker after the pages load (target: peak RSS < {RSS_TARGET_MB} MB):")
    for pid, (m, heavy) in memory.items():
        flag = "" if m["peak"] < RSS_TARGET_MB else "  OVER"
        ok &= m["peak"] < RSS_TARGET_MB
        print(f"  worker {pid}: RSS {m['rss']:.0f} MB (peak {m['peak']:.0f}), "
              f"PSS {m['pss']:.0f} MB, "
              f"USS {m['uss']:.0f} MB; native libraries mapped: {', '.join(heavy) or 'none'}"
              f"{flag}")
    print("each worker after each page's load: RSS now / peak so far (MB), native libraries")
    for label, workers in phases:
        print(f"  {label[:34]:34} " + "   ".join(
            f"{m['rss']:4.0f} / {m['peak']:4.0f}{' +' + ','.join(heavy) if heavy else ''}"
            for m, heavy in workers.values()))
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def populate(stack: Stack) -> int:
    """bench/pages.py's event with 200 registrants and its organiser; returns the event id."""
    from bench import pages as pages_bench
    from elearn import create_app
    from elearn.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": stack.database_url, "REDIS_URL": None,
                      "MAIL_SERVER": None, "SECRET_KEY": stack.secret_key,
                      "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": f"https://{PUBLIC_HOST}"})
    with app.app_context():
        event_id = pages_bench.populate(random.Random(2026))  # commits
        db.engine.dispose()
    return event_id


if __name__ == "__main__":
    sys.exit(main())
