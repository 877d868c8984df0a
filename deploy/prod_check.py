"""`make prod-check`: the production shape, started for real on loopback and driven through
nginx; exits non-zero on any failure and leaves nothing running.

    .venv/bin/python deploy/prod_check.py

Starts (deploy/prod_stack.py): a fresh PostgreSQL database beside PROD_CHECK_DATABASE_URL
(default: TEST_DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test), migrated
and filled with the demo; Redis database 13 on 127.0.0.1:6379 (flushed before and after, that
database only); an SMTP server (aiosmtpd) collecting mail; moto's S3 server when moto is
installed; two gunicorn hosts (deploy/gunicorn.conf.py, 2 workers each, ELEARN_ENV=production
with a complete production environment); one RQ worker; `flask elearn scheduler` when the app
has it; nginx in front (deploy/nginx/elearn-common.conf) as a foreground process with its own
pid, logs and temp files. Then (deploy/prod_scenario.py): readiness, static files and gzip,
sign-up with the confirmation mail, 50 people racing for 20 seats, a file uploaded on one host
and downloaded from the other, certificates issued in bulk by the worker and mailed, and one
gunicorn killed while requests keep flowing. PROD_CHECK_KEEP_LOGS=1 keeps the logs.
"""

import os
import signal
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from prod_scenario import Scenario, prepare  # noqa: E402
from prod_stack import Stack, log  # noqa: E402

TIME_LIMIT = int(os.environ.get("PROD_CHECK_TIME_LIMIT", "420"))


def _time_limit(*_args):
    raise TimeoutError(f"prod-check took longer than {TIME_LIMIT} s")


def main() -> int:
    begun = time.monotonic()
    database = (os.environ.get("PROD_CHECK_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
                or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    signal.signal(signal.SIGALRM, _time_limit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup below
    signal.alarm(TIME_LIMIT)
    stack = Stack(database)
    scenario = None
    try:
        stack.start()
        fixtures = prepare(stack.database_url, stack.secret_key)
        stack.serve()
        scenario = Scenario(stack, fixtures)
        scenario.run()
        for name in ("app-2", "worker", "nginx"):
            if not stack.alive(name):
                scenario.check(f"{name} still running at the end", False, stack.tail(name))
    except Exception as exc:  # noqa: BLE001 (reported, then cleaned up)
        log(f"FAILED before the scenario finished: {type(exc).__name__}: {exc}")
        for name in stack.processes:
            log(f"--- {name} log ---\n{stack.tail(name)}")
        return 1
    finally:
        signal.alarm(0)
        failed = scenario is None or any(not ok for _n, ok, _d in scenario.results)
        if failed and scenario is not None:
            for name in stack.processes:
                log(f"--- {name} log (last lines) ---\n{stack.tail(name, 15)}")
        stack.close()
    summary(scenario, stack, time.monotonic() - begun)
    return 1 if failed else 0


def summary(scenario: Scenario, stack: Stack, seconds: float) -> None:
    s = scenario.summary
    registration = s.get("registration", {})
    failover = s.get("failover", {})
    passed = sum(ok for _n, ok, _d in scenario.results)
    print("\n=== prod-check summary ===")
    print(f"checks: {passed}/{len(scenario.results)} passed in {seconds:.0f} s "
          f"(steps: {s.get('seconds')})")
    print(f"registration: confirmed {registration.get('confirmed')}, waitlisted "
          f"{registration.get('waitlisted')}, errors {registration.get('errors')}, "
          f"per host {registration.get('by_host')}")
    print(f"certificates issued by the worker: {s.get('certificates')}")
    print(f"failover: {failover.get('requests')} requests, {failover.get('after_kill')} after "
          f"one host was killed, errors {failover.get('errors')}")
    print(f"mail delivered to the SMTP server: {len(stack.mailbox.messages)} messages")
    s3 = ("files in S3 (moto)" if stack.features.get("s3_storage") else
          "moto running, but this app has no S3 storage: files in a shared directory"
          if stack.features.get("s3") else "moto not installed: files in a shared directory")
    scheduler = ("running" if stack.features.get("scheduler")
                 else "absent (no `flask elearn scheduler` in this app)")
    print(f"features: {s3}; scheduler {scheduler}")
    for name, ok, detail in scenario.results:
        if not ok:
            print(f"FAILED: {name}: {detail}")
    print("prod-check: " + ("OK" if all(ok for _n, ok, _d in scenario.results) else "FAILED"))
    failed = sum(not ok for _n, ok, _d in scenario.results)
    # The plain closing line CI reads, as a test runner's (its checks are the tests here).
    print(f"prod-check: {len(scenario.results) - failed} passed, {failed} failed")


if __name__ == "__main__":
    sys.exit(main())
