"""Instructions per request, counted by valgrind's callgrind: the one speed figure of this
shared 2-core machine that does not move with its load.

    .venv/bin/python bench/instructions.py        (needs valgrind: apt-get install valgrind)

CPU milliseconds here drift by a third from one run to the next with whatever else runs (the
same code measured 8 and 14 ms a registration within a minute, and the load client's own CPU
per request, the same work every time, moved from 1.8 to 2.8 ms). Instructions do not: two runs
of the same code agree within 0.2 %. So an A/B of a change is two runs of this script, one on
each commit; the other benches still give what a person waits for and what the server holds.

Re-runs itself under `valgrind --tool=callgrind --instr-atstart=no` and counts only between
`callgrind_control -i on` and `-i off`, in this process (the app in-process through the test
client, its mail delivery thread included; not PostgreSQL, not a load client):
- registration: 40 people joining the waiting list of a published event, each the real
  register form with its CSRF token (PostgreSQL: a throw-away database beside
  BENCH_DATABASE_URL, as bench/registration.py), after 20 unmeasured ones that fill its seats
  and warm the worker (elearn.warm_up, as wsgi.py does);
- dashboard: the organiser's dashboard of bench/pages.py's event with 200 registrants
  (SQLite), 40 times;
- /health 200 times: the reference, as in the other benches.
Prints each per request and as a ratio to /health.

2026-12-07 (issue 20), instructions per registration on the waiting list, in-process:
  1172d29 (the start of the day)                                          21.80 M
  + the worker warmed before its first request; seat UPDATE and event
    load built once                                                        20.40 M
  + the audit entry, the mail and the registration one prebuilt INSERT
    each (elearn.db_writes), only the key returned for the first two       18.62 M
  + the log-only mail pass one UPDATE built once                            16.77 M
  + each email's two bodies with `_` bound to the catalogue                 16.12 M
  + only the key of a new registration returned                             15.81 M  (-27 %)
  dashboard 36.0 M (17x /health), /health 2.11 M.
Night, the same measure (two runs of the same code on a busy machine differ by up to 0.5 %
here: the delivery thread's passes merge or not with the timing):
  + dates on a zone's clock remembered (elearn.i18n.day_and_time_in_zone)   15.34 M  (-3 %)
  dashboard 34.29 M. Tried, not kept: the events, outputs and surveys context processors as
  template globals instead, 15.41 -> 15.54 M: Jinja copies the globals into each render's
  context (and again for each include), so more globals cost more than the processors did.
2026-12-08, the same measure:
  start of the day (a9bb9f6)                                                15.40 M
  + a written row made into an object as the ORM makes a loaded one (not
    through its constructor, which recorded each attribute's history)     14.88 M
  + the session cookie's signer made once, its payload not compressed      14.61 M
  + one person's roll-up refresh binding one id, measures as equalities     14.31 M  (-7 %)
  dashboard 34.30-34.47 M, /health 2.11 -> 2.05 M.
Instructions are not time: a registration's (a fifth of it in psycopg, eight round trips,
memory spread over many objects) run about three times fewer a millisecond than /health's,
so a ratio here is not the ratio of CPU milliseconds; compare a path with itself.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

REGISTRATIONS, DASHBOARDS, HEALTH = 40, 40, 200
UNDER_VALGRIND = "ELEARN_BENCH_UNDER_CALLGRIND"


def count(label: str, calls) -> None:
    """Run `calls` with callgrind's instrumentation on, then dump the count under `label`."""
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
    for call in calls:
        call()
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=True)
    subprocess.run(["callgrind_control", "--dump=" + label, pid], capture_output=True,
                   check=True)


def measured() -> None:
    """The part that runs under valgrind."""
    import logging

    from bench.pages import PASSWORD, populate
    from bench.registration import create_database, drop_database, prepare
    from elearn import create_app
    from elearn.extensions import db
    from elearn.mail.services import wait_for_background_delivery
    from elearn.warm_up import warm_up

    logging.disable(logging.INFO)  # the log-only mail would print every message
    base = os.environ.get("BENCH_DATABASE_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    url, admin, name = create_database(base)
    tmp = tempfile.mkdtemp(prefix="elearn-bench-instructions-")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "i" * 64,
                          "MAIL_SERVER": None, "REDIS_URL": None})
        event_id, clients = prepare(app, REGISTRATIONS + 20, 10)
        warm_up(app)
        client = app.test_client()

        def register(cookie, token):
            client.set_cookie("session", cookie)
            assert client.post(f"/events/{event_id}/register",
                               data={"csrf_token": token}).status_code == 303
            wait_for_background_delivery(timeout=60)

        for cookie, token in clients[:20]:
            register(cookie, token)
        count("registration", [lambda c=c: register(*c) for c in clients[20:]])
        client.set_cookie("session", "", expires=0)
        count("health", [lambda: client.get("/health")] * HEALTH)

        pages = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/pages.db",
                            "SECRET_KEY": "p" * 64, "MAIL_SERVER": None, "REDIS_URL": None,
                            "BASE_URL": "http://bench"})
        with pages.app_context():
            db.create_all()
            page_event = populate(random.Random(2026))
            from elearn.events.models import EventOrganiser

            organiser = db.session.scalar(db.select(EventOrganiser).where(
                EventOrganiser.event_id == page_event)).user.email
        browser = pages.test_client()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                          browser.get("/login").get_data(as_text=True)).group(1)
        assert browser.post("/login", data={"csrf_token": token, "email": organiser,
                                            "password": PASSWORD}).status_code in (302, 303)
        dashboard = f"/organise/events/{page_event}"
        for _ in range(5):
            assert browser.get(dashboard).status_code == 200
        count("dashboard", [lambda: browser.get(dashboard)] * DASHBOARDS)
    finally:
        drop_database(admin, name)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    if os.environ.get(UNDER_VALGRIND):
        measured()
        return 0
    if not shutil.which("valgrind"):
        raise SystemExit("needs valgrind (apt-get install valgrind)")
    out = tempfile.mkdtemp(prefix="elearn-callgrind-")
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no",
         f"--callgrind-out-file={out}/cg.%p", sys.executable, __file__],
        env={**os.environ, UNDER_VALGRIND: "1"}, capture_output=True, text=True, timeout=900)
    if result.returncode:
        print(result.stderr[-3000:])
        return 1
    totals = {}
    for dump in Path(out).glob("cg.*"):  # one file per `--dump=<label>`, counted since the last
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: dump (\S+)", text, re.M)
        if label:
            totals[label.group(1)] = int(re.search(r"^totals: (\d+)", text, re.M).group(1))
    shutil.rmtree(out, ignore_errors=True)
    per = {"registration": totals["registration"] / REGISTRATIONS,
           "dashboard": totals["dashboard"] / DASHBOARDS, "/health": totals["health"] / HEALTH}
    for label, value in per.items():
        print(f"{label:13} {value / 1e6:8.2f} M instructions a request"
              f"   ({value / per['/health']:.1f} x /health)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
