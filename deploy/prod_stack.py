"""The production stack of `make prod-check`, on loopback only: a fresh PostgreSQL database,
Redis database 13, a local SMTP server (aiosmtpd), an S3 server (moto, when installed), two
gunicorn hosts started from deploy/gunicorn.conf.py, an RQ worker, the scheduler (when the app
has one) and nginx in front, configured from deploy/nginx/elearn-common.conf.

Every process is started in its own process group and `Stack.close()` stops them all (TERM,
then KILL), drops the database and flushes Redis database 13 only: nothing is left running.
"""

import email
import email.policy
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PUBLIC_HOST = "elearn.test"
# Redis database of the stack's queue and limits (flushed before and after). Two stacks on one
# Redis must not share one: a worker would take the other stack's jobs (bench/capacity.py uses 3).
REDIS_DB = int(os.environ.get("PROD_CHECK_REDIS_DB", "13"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def benchmark_stack(time_limit: int) -> "Stack":
    """The stack a benchmark drives (BENCH_DATABASE_URL, else the local `test` server), with
    a hard time limit and a clean stop on SIGTERM."""
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("time limit")))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.alarm(time_limit)
    return Stack(os.environ.get("BENCH_DATABASE_URL",
                                "postgresql+psycopg://postgres@127.0.0.1:5432/test"))


def log(message: str) -> None:
    print(f"[prod-check {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Mailbox:
    """aiosmtpd in this process: every message delivered to it, parsed."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        logging.getLogger("mail.log").setLevel(logging.WARNING)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        with self.lock:
            self.messages.append(([r.lower() for r in envelope.rcpt_tos], message))
        return "250 OK"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpts, m in self.messages if address.lower() in rcpts]

    def wait_for(self, address: str, seconds: float = 45, match=None) -> list:
        """The messages to `address` (those `match` accepts), once there is one."""
        deadline = time.monotonic() + seconds
        while True:
            found = [m for m in self.to(address) if match is None or match(m)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.3)

    def close(self):
        self.controller.stop()


def text_of(message) -> str:
    parts = []
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            parts.append(part.get_content())
    return "\n".join(parts)


class Stack:
    def __init__(self, database_base_url: str, redis_host: str = "127.0.0.1:6379"):
        self.tmp = Path(tempfile.mkdtemp(prefix="elearn-prod-check-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.database_base_url = database_base_url
        self.redis_url = f"redis://{redis_host}/{REDIS_DB}"
        self.db_name = None
        self.admin_engine = None
        self.mailbox = None
        self.s3 = None  # (endpoint, bucket) when moto runs
        self.hosts: dict[str, int] = {}  # gunicorn name -> port
        self.nginx_port = None
        self.features: dict[str, bool] = {}

    # --- pieces ---------------------------------------------------------------------------

    def create_database(self) -> str:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        base = make_url(self.database_base_url)
        self.db_name = f"elearn_prodcheck_{uuid.uuid4().hex[:10]}"
        self.admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with self.admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.db_name}"'))
        self.database_url = base.set(database=self.db_name).render_as_string(
            hide_password=False)
        return self.database_url

    def flush_redis(self) -> None:
        from redis import Redis

        Redis.from_url(self.redis_url).flushdb()  # database 13 only, never FLUSHALL

    def start_s3(self) -> None:
        """moto's S3 server (the test extra installs moto[server]): files live in its bucket, as
        they would in an S3-compatible store shared by several app hosts."""
        port = free_port()
        self.spawn("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                          str(port)], env={**os.environ})
        endpoint = f"http://127.0.0.1:{port}"
        self.wait_http("s3", endpoint + "/moto-api/", 30)
        import boto3

        bucket = "elearn-prod-check"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                     aws_access_key_id="testing", aws_secret_access_key="testing"
                     ).create_bucket(Bucket=bucket)
        self.s3 = (endpoint, bucket)
        self.features["s3"] = self.features["s3_storage"] = True

    def app_env(self) -> dict:
        """A complete production environment, as /etc/elearn/elearn.env would give it."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("MAIL_", "REDIS", "STORAGE_", "GUNICORN_", "AWS_"))}
        env.update({
            "ELEARN_ENV": "production",
            "FLASK_APP": "wsgi.py",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": self.database_url,
            "BASE_URL": f"https://{PUBLIC_HOST}",
            "REDIS_URL": self.redis_url,
            "TRUSTED_PROXIES": "1",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.mailbox.port),
            "MAIL_DEFAULT_SENDER": "elearn@elearn.test",
            "MAIL_USE_TLS": "0",
            "PYTHONUNBUFFERED": "1",
            # As the systemd units set it: glibc's per-thread malloc arenas otherwise grow
            # each threaded worker by tens of MB (bench/capacity.py).
            "MALLOC_ARENA_MAX": "2",
            # As elearn-web.service sets it: a log-in's argon2 block given back, not kept.
            "MALLOC_MMAP_THRESHOLD_": "1048576",
            # Open Badges are signed with a key kept outside the database (made in start()).
            "CREDENTIAL_KEYS_DIR": str(self.tmp / "credential_keys"),
        })
        if self.s3:
            endpoint, bucket = self.s3
            env.update({
                "STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": bucket,
                "STORAGE_S3_PREFIX": "prod-check/", "STORAGE_S3_ENDPOINT_URL": endpoint,
                "STORAGE_S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
            })
        # Local storage (no S3 configured, or an app without it): a directory both hosts see,
        # in the run's temporary folder, never the checkout's instance folder.
        env["COURSE_FILES_DIR"] = str(self.tmp / "course_files")
        env["HACKATHON_UPLOAD_DIR"] = str(self.tmp / "hackathon_uploads")
        return env

    def bucket_objects(self) -> int | None:
        """Objects in the S3 bucket (None without S3)."""
        if not self.s3:
            return None
        import boto3

        endpoint, bucket = self.s3
        listing = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing"
                               ).list_objects_v2(Bucket=bucket)
        return listing.get("KeyCount", 0)

    def flask(self, *args: str, timeout: int = 120) -> str:
        result = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=self.app_env(),
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n"
                               f"{result.stderr[-3000:]}")
        return result.stdout

    def start_gunicorn(self, name: str) -> None:
        port = free_port()
        env = self.app_env() | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2",
                                "GUNICORN_LOG_LEVEL": "warning"}
        self.spawn(name, [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                   env=env)
        self.hosts[name] = port

    def start_worker(self) -> None:
        argv = [str(BIN / "rq"), "worker", "elearn", "--url", self.redis_url]
        import elearn.worker

        if hasattr(elearn.worker, "WarmWorker"):
            argv += ["--worker-class", "elearn.worker.WarmWorker"]
        self.spawn("worker", argv, env=self.app_env())

    def start_scheduler(self) -> None:
        """`flask elearn scheduler`: queues the periodic tasks for the worker."""
        self.features["scheduler"] = True
        self.spawn("scheduler", [str(BIN / "flask"), "elearn", "scheduler"], env=self.app_env())

    def nginx_config(self) -> str:
        common = (ROOT / "deploy/nginx/elearn-common.conf").read_text()
        common = common.replace("/srv/elearn/app/", f"{ROOT}/")
        (self.tmp / "elearn-common.conf").write_text(common)
        for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.tmp / folder).mkdir(exist_ok=True)
        upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                              for port in self.hosts.values())
        user = "user root root;" if os.geteuid() == 0 else ""
        return f"""{user}
worker_processes 1;
daemon off;
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {self.tmp}/client_body;
    proxy_temp_path {self.tmp}/proxy;
    fastcgi_temp_path {self.tmp}/fastcgi;
    uwsgi_temp_path {self.tmp}/uwsgi;
    scgi_temp_path {self.tmp}/scgi;
    log_format upstream '$request_method $uri $status $upstream_addr $upstream_status';
    access_log {self.tmp}/nginx-access.log upstream;
    upstream elearn_app {{
{upstreams}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.nginx_port};
        server_name {PUBLIC_HOST};
        include {self.tmp}/elearn-common.conf;
    }}
}}
"""

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(nginx):
            raise RuntimeError("nginx is not installed: apt-get install -y nginx")
        self.nginx_port = free_port()
        conf = self.tmp / "nginx.conf"
        conf.write_text(self.nginx_config())
        test = subprocess.run([nginx, "-t", "-q", "-p", str(self.tmp), "-c", str(conf)],
                              capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refuses the generated configuration:\n{test.stderr}")
        self.spawn("nginx", [nginx, "-p", str(self.tmp), "-c", str(conf)], env={**os.environ})

    @property
    def public(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def host_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.hosts[name]}"

    # --- processes ------------------------------------------------------------------------

    def spawn(self, name: str, argv: list[str], env: dict) -> None:
        out = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.processes[name] = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out,
                                                stderr=subprocess.STDOUT,
                                                start_new_session=True)
        out.close()

    def alive(self, name: str) -> bool:
        return self.processes[name].poll() is None

    def wait_http(self, name: str, url: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if name in self.processes and not self.alive(name):
                raise RuntimeError(f"{name} exited:\n{self.tail(name)}")
            try:
                if requests.get(url, timeout=2,
                                headers={"Host": PUBLIC_HOST,
                                         "X-Forwarded-Proto": "https"}).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{name} did not answer at {url}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        try:
            text = (self.tmp / f"{name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes[name]
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
        process.wait(timeout=20)

    def stop(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            except ProcessLookupError:
                pass
        # Children that outlived their leader (an RQ work horse) share its process group.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        for name in reversed(list(self.processes)):
            try:
                self.stop(name)
            except Exception as exc:  # noqa: BLE001 (clean up the rest whatever happens)
                log(f"stopping {name}: {exc!r}")
        if self.mailbox is not None:
            try:
                self.mailbox.close()
            except Exception as exc:  # noqa: BLE001
                log(f"stopping the SMTP server: {exc!r}")
        try:
            self.flush_redis()
        except Exception as exc:  # noqa: BLE001
            log(f"flushing Redis database {REDIS_DB}: {exc!r}")
        if self.admin_engine is not None and self.db_name:
            from sqlalchemy import text

            try:
                with self.admin_engine.connect() as conn:
                    conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                      "WHERE datname = :n AND pid <> pg_backend_pid()"),
                                 {"n": self.db_name})
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}"'))
            except Exception as exc:  # noqa: BLE001
                log(f"dropping {self.db_name}: {exc!r}")
            self.admin_engine.dispose()
        if os.environ.get("PROD_CHECK_KEEP_LOGS"):
            log(f"logs kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- the whole stack ------------------------------------------------------------------

    def start(self) -> None:
        import secrets

        self.secret_key = secrets.token_hex(32)
        log("PostgreSQL: a fresh database")
        self.create_database()
        self.flush_redis()
        self.mailbox = Mailbox()
        log(f"SMTP (aiosmtpd) on 127.0.0.1:{self.mailbox.port}")
        self.start_s3()
        log("S3 (moto) on " + (self.s3[0] if self.s3 else "- (moto not installed: files in a "
                               "directory both hosts share)"))
        log("flask db upgrade; flask elearn demo")
        self.flask("db", "upgrade")
        self.flask("elearn", "demo", timeout=180)
        self.flask("elearn", "credential-keys", "generate")

    def serve(self) -> None:
        for name in ("app-1", "app-2"):
            self.start_gunicorn(name)
        self.start_worker()
        self.start_scheduler()
        for name in ("app-1", "app-2"):
            self.wait_http(name, self.host_url(name) + "/health")
        self.start_nginx()
        self.wait_http("nginx", self.public + "/health")
        log(f"nginx on {self.public} -> gunicorn {', '.join(map(str, self.hosts.values()))}; "
            f"worker; scheduler {'running' if self.features['scheduler'] else 'absent'}")

    def upstream_counts(self, method: str, uri_pattern: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        try:
            lines = (self.tmp / "nginx-access.log").read_text().splitlines()
        except OSError:
            return counts
        for line in lines:
            parts = line.split()
            if len(parts) >= 4 and parts[0] == method and re.fullmatch(uri_pattern, parts[1]):
                counts[parts[3]] = counts.get(parts[3], 0) + 1
        return counts
