"""gunicorn settings for elearn behind nginx: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment (the systemd unit reads /etc/elearn/elearn.env),
so one file serves every app host:

GUNICORN_BIND      address nginx proxies to (default 127.0.0.1:8000; on a second host the
                   address nginx reaches it at, e.g. 10.0.0.12:8000 — firewall it to nginx)
GUNICORN_WORKERS   processes (default: 1 per core, at least 2); each ~120 MB of its own (PSS;
                   RSS ~160 MB, ~45 MB of it pages shared with other processes:
                   bench/memory.py)
GUNICORN_THREADS   threads per process (default 8): threads overlap the wait on PostgreSQL;
                   each process keeps up to DATABASE_POOL_SIZE connections (default 10) for
                   them and its mail delivery thread (elearn/config.py)
GUNICORN_TIMEOUT   seconds before a stuck request's worker is replaced (default 60)
GUNICORN_PRELOAD   1 builds the app once in the master (default 0); see preload_app below
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One process per core, eight threads each (issue 20, bench/registration.py): a process runs
# Python on one core at a time (the GIL), and its threads overlap the waits on PostgreSQL. With
# two processes per core and four threads, 500 registrations from 100 clients took as long but
# waited longer at the tail (p95 1.5-2.3 s against mostly 0.8-1.3 s): each client's keep-alive
# connection stays with the process that accepted it, and four processes shared the clients
# out less evenly than two (21 to 35 each, counted with ss).
workers = int(os.environ.get("GUNICORN_WORKERS") or max(2, multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (systemctl stop/restart) requests in flight get this long to finish.
graceful_timeout = 30
# nginx keeps connections to the upstream open; stay open a little longer than it does.
keepalive = 75
# Replace each worker after a few thousand requests (with jitter, so not all at once): a slow
# leak in any library can never grow a worker without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# The app is built in each worker, not the master: no database or Redis connection is ever
# shared across a fork, and a reload (HUP) picks up new code. GUNICORN_PRELOAD=1 builds it once
# in the master instead: workers share its pages copy-on-write (bench/memory.py, 2 workers:
# RSS 146 MB and PSS 85 MB per worker, master PSS 63 MB, against RSS 160, PSS 120 and 14) and
# create_app opens no connection to share, but a reload (HUP) then keeps the old code: upgrade
# with `systemctl restart elearn-web`.
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"


def pre_fork(server, worker):
    if preload_app:
        # The master's objects move to a generation the collector never scans: a worker's
        # collections then leave the pages it shares with the master unwritten (uncopied).
        gc.freeze()


# nginx writes the access log; the app logs its own requests. gunicorn logs errors to stderr
# (the journal under systemd).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-* are believed by the app (TRUSTED_PROXIES), not by gunicorn.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "elearn-web"
# Temporary files of the heartbeat in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
