"""Shared benchmark helpers: run the app under gunicorn on a free loopback port, load it with
wrk, and read the CPU the server (and PostgreSQL) spent. Imported by the bench scripts once they
have put the repository root on sys.path (bench/calendar.py shadows the standard library's
`calendar`, so bench/ itself stays off it).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


@contextmanager
def gunicorn(env: dict, workers: int = 2, threads: int = 1):
    """Yields the base URL of the app served by gunicorn on 127.0.0.1; stops it afterwards.
    `env` is added to this process's environment (DATABASE_URL, SECRET_KEY...)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    full_env = {**os.environ, "BASE_URL": base, **env}
    exe = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [exe, "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],  # the production entry point
        # stderr to a file, not an unread pipe: the app logs a line per request, and a full
        # pipe (64 KB, a few hundred requests) blocked every worker mid-benchmark.
        cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=log,
    )
    try:
        wait_for(base + "/health")
        wait_until_settled(server.pid)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        return float("nan")
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def wait_until_settled(pid: int, seconds: float = 30) -> None:
    """Until the server and its workers stop spending CPU (0.25 s with under 10 ms of it): a
    worker still starting up when /health first answers would otherwise do that work during
    the measurement."""
    deadline = time.monotonic() + seconds
    before = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_seconds(pid)
        if now - before < 0.01:
            return
        before = now


def database_cpu_seconds(database_name: str) -> float:
    """CPU time of the PostgreSQL backends of one database (their titles name it): on this
    2-core machine the database shares the cores with gunicorn, so a page's cost is both.

    A backend that ended (a pooled connection closed) is counted too, through the time of the
    postmaster's ended children; so, on a machine where other databases of the same server are
    busy, their ended backends would count as well."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if f" {database_name} ".encode() not in f.read().replace(b"\0", b" "):
                    continue
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            postmaster = postmaster or fields[1]
        except OSError:
            pass
    if postmaster is not None:
        try:
            with open(f"/proc/{postmaster}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[13]) + int(fields[14])) / tick  # ended children, reaped
        except OSError:
            pass
    return total


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, duration: int = 10, connections: int = 16, threads: int = 2,
        headers: dict | None = None) -> dict:
    """{rps, p50_ms, p99_ms, requests} from one wrk run; fails on any non-2xx/3xx answer."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
           "--latency"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 30,
                         check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed responses from {url}\n{out}")
    # wrk pads latencies of a second or more ("1.16s "): the trailing space is allowed.
    percentile = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", out, re.M))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": _ms(percentile["50"]),
        "p99_ms": _ms(percentile["99"]),
    }
