"""What `make prod-check` does through the running stack (deploy/prod_stack.py), as people do it:
real forms, CSRF tokens, log-in with passwords, through nginx (the file step addresses each
gunicorn host directly, as nginx would, to prove the second host sees the first one's file).

Fixtures the demo lacks are made with the app's own models in `prepare()`: an event with 20
online seats for 50 people, and a finished event whose attendees qualify for certificates.
"""

import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests
from prod_stack import PUBLIC_HOST, log, text_of

PEOPLE, SEATS, ATTENDEES = 50, 20, 8
PASSWORD = "prod-check-" + secrets.token_hex(8)
DEMO_PASSWORD = "demo-password-2026"  # elearn/accounts/demo.py
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')


class Browser:
    """One person's browser: cookies, the public host name, the CSRF token of the last form."""

    def __init__(self, base: str, direct: bool = False):
        self.base = base
        self.http = requests.Session()
        self.http.headers["Host"] = PUBLIC_HOST
        if direct:  # what nginx adds when it proxies
            self.http.headers["X-Forwarded-Proto"] = "https"
            self.http.headers["X-Forwarded-For"] = "127.0.0.1"

    def _plain(self, response: requests.Response) -> requests.Response:
        # The app's cookies are Secure (production); nginx listens on plain loopback here,
        # where BASE_URL says https. Keep sending them.
        for cookie in self.http.cookies:
            cookie.secure = False
        return response

    def get(self, path: str, **kw) -> requests.Response:
        return self._plain(self.http.get(self.base + path, allow_redirects=False, timeout=60,
                                         **kw))

    def post(self, path: str, data: dict, files=None, referer: str | None = None):
        headers = {"Referer": f"https://{PUBLIC_HOST}{referer or path}"}
        return self._plain(self.http.post(self.base + path, data=data, files=files,
                                          headers=headers, allow_redirects=False, timeout=60))

    def token(self, path: str) -> str:
        page = self.get(path)
        if page.status_code != 200:
            raise AssertionError(f"GET {path}: {page.status_code}")
        tag = CSRF.search(page.text)
        if not tag:
            raise AssertionError(f"no form on {path}")
        return re.search(r'value="([^"]+)"', tag.group(0)).group(1)

    def submit(self, form_path: str, data: dict, action: str | None = None, files=None):
        data = {"csrf_token": self.token(form_path), **data}
        return self.post(action or form_path, data, files=files, referer=form_path)

    def log_in(self, email_address: str, password: str) -> None:
        response = self.submit("/login", {"email": email_address, "password": password})
        if response.status_code not in (302, 303):
            raise AssertionError(f"log-in of {email_address}: {response.status_code}")

    def share_cookies_with(self, other: "Browser") -> None:
        for cookie in self.http.cookies:
            other.http.cookies.set_cookie(cookie)


# --- fixtures ------------------------------------------------------------------------------

def prepare(database_url: str, secret_key: str) -> dict:
    """Made in this process with the app's models (as `flask shell` would): the 50/20 event,
    its 50 people, a finished event with attendance, the instructor's lesson."""
    from sqlalchemy import select

    from elearn import create_app
    from elearn.accounts.models import User
    from elearn.accounts.services import hash_password
    from elearn.accounts.services.sessions import start_session
    from elearn.attendance.models import AttendanceSource, AttendanceStatus
    from elearn.attendance.services import record_attendance
    from elearn.courses.models import EditionInstructor, Lesson, Module
    from elearn.events.models import (
        AttendanceMode,
        Event,
        EventKind,
        EventMode,
        EventOrganiser,
        EventSession,
        EventStatus,
        Registration,
        RegistrationStatus,
    )
    from elearn.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None,
                      "SECRET_KEY": secret_key,
                      "MAIL_SERVER": None, "RATELIMIT_STORAGE_URI": "memory://",
                      "ENV_NAME": "development", "BASE_URL": f"https://{PUBLIC_HOST}"})
    with app.app_context():
        now = datetime.now(UTC).replace(microsecond=0)
        organiser = db.session.scalar(select(User).where(
            User.email == "events-organiser@elearn.demo"))
        start = now + timedelta(days=10)
        seats = Event(kind=EventKind.VIRTUAL_SEMINAR, mode=EventMode.VIRTUAL,
                      timezone="America/Caracas", status=EventStatus.PUBLISHED, language="en",
                      title_en="Prod-check seminar: 20 seats", title_es="Seminario: 20 plazas",
                      capacity_online=SEATS, starts_at=start, ends_at=start + timedelta(hours=2))
        seats.sessions.append(EventSession(starts_at=seats.starts_at, ends_at=seats.ends_at,
                                           title_en="Seminar", title_es="Seminario"))
        ended = now - timedelta(days=1)
        past = Event(kind=EventKind.WORKSHOP, mode=EventMode.VIRTUAL, timezone="America/Caracas",
                     status=EventStatus.COMPLETED, language="en",
                     title_en="Prod-check workshop (held)", title_es="Taller (realizado)",
                     capacity_online=100, starts_at=ended - timedelta(hours=3), ends_at=ended)
        past.sessions.append(EventSession(starts_at=past.starts_at, ends_at=past.ends_at,
                                          title_en="Workshop", title_es="Taller"))
        password_hash = hash_password(PASSWORD)  # argon2 is slow on purpose: once
        people = [User(email=f"prodcheck-seat{n:02d}@example.org", full_name=f"Seat Taker {n:02d}",
                       password_hash=password_hash, email_confirmed_at=now,
                       preferred_language="en", country="VE") for n in range(PEOPLE)]
        db.session.add_all([seats, past, *people])
        db.session.flush()
        db.session.add_all([EventOrganiser(event_id=e.id, user_id=organiser.id)
                            for e in (seats, past)])
        attendees = people[:ATTENDEES]  # they also race for seats: certificates mail them
        for person in attendees:
            db.session.add(Registration(event_id=past.id, user_id=person.id,
                                        mode=AttendanceMode.ONLINE,
                                        status=RegistrationStatus.CONFIRMED))
            record_attendance(past.sessions[0], person, status=AttendanceStatus.PRESENT,
                              mode=AttendanceMode.ONLINE, source=AttendanceSource.ROLL_CALL,
                              actor=organiser, checked_in_at=past.starts_at)
        past.seats_taken_online = ATTENDEES
        instructor = db.session.scalar(select(User).where(
            User.email == "instructor@elearn.demo"))
        lesson = db.session.scalar(
            select(Lesson).join(Module, Module.id == Lesson.module_id)
            .join(EditionInstructor, EditionInstructor.edition_id == Module.edition_id)
            .where(EditionInstructor.user_id == instructor.id).order_by(Lesson.id).limit(1))
        fixtures = {"seats_event": seats.id, "past_event": past.id,
                    "people": [p.email for p in people],
                    "attendees": [p.email for p in attendees],
                    "lesson": lesson.id, "lesson_title": lesson.title,
                    "lesson_body": lesson.body_markdown or ""}
        tokens = [(start_session(p), p.id) for p in people]
        db.session.commit()
        db.engine.dispose()
    fixtures["sessions"] = [signed_session(app, user_id, token) for token, user_id in tokens]
    return fixtures


def signed_session(app, user_id: int, token: str) -> tuple[str, str]:
    """(session cookie, CSRF token) of a person signed in through server-side session `token`,
    signed with the stack's SECRET_KEY as Flask-Login and Flask-WTF would after a log-in."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context():
        session["_user_id"] = f"{user_id}:{token}"
        session["_fresh"] = True
        csrf = generate_csrf()
        cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return cookie, csrf


def database_facts(database_url: str, fixtures: dict) -> dict:
    from sqlalchemy import create_engine, func, select

    from elearn.accounts.models import User
    from elearn.certificates.models import Certificate, IssueJob
    from elearn.events.models import Event, Registration

    engine = create_engine(database_url)
    with engine.connect() as conn:
        statuses = dict(conn.execute(
            select(Registration.status, func.count()).where(
                Registration.event_id == fixtures["seats_event"])
            .group_by(Registration.status)).all())
        taken = conn.scalar(select(Event.seats_taken_online).where(
            Event.id == fixtures["seats_event"]))
        jobs = conn.execute(select(IssueJob.status).where(
            IssueJob.subject_id == fixtures["past_event"])).all()
        certificates = conn.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.subject_id == fixtures["past_event"],
            Certificate.subject_type == "event"))
        confirmed_user = conn.scalar(select(User.email_confirmed_at).where(
            User.email == fixtures.get("new_person", "")))
    engine.dispose()
    return {"statuses": {str(k): v for k, v in statuses.items()}, "seats_taken": taken,
            "jobs": [str(j[0]) for j in jobs], "certificates": certificates,
            "new_person_confirmed": confirmed_user is not None}


# --- the steps -----------------------------------------------------------------------------

class Scenario:
    def __init__(self, stack, fixtures: dict):
        self.stack = stack
        self.fixtures = fixtures
        self.results: list[tuple[str, bool, str]] = []
        self.summary: dict[str, object] = {}

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, bool(ok), detail))
        log(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        return ok

    def step(self, name: str, function) -> None:
        started = time.monotonic()
        try:
            function()
        except Exception as exc:  # noqa: BLE001 (a failed step is reported, the rest runs)
            self.check(name, False, f"{type(exc).__name__}: {exc}")
        self.summary.setdefault("seconds", {})[name] = round(time.monotonic() - started, 1)

    def facts(self) -> dict:
        return database_facts(self.stack.database_url, self.fixtures)

    # ---

    def ready(self, label: str = "/readyz green") -> None:
        response = requests.get(self.stack.public + "/readyz", headers={"Host": PUBLIC_HOST},
                                timeout=10)
        body = response.json() if "json" in response.headers.get("Content-Type", "") else {}
        self.check(label, response.status_code == 200 and body.get("status") == "ok",
                   f"{response.status_code} {body}")

    def static_and_gzip(self) -> None:
        home = requests.get(self.stack.public + "/", headers={
            "Host": PUBLIC_HOST, "Accept-Encoding": "gzip"}, timeout=10)
        css = re.search(r'href="(/static/css/app\.css[^"]*)"', home.text)
        self.check("home page gzip-compressed by nginx",
                   home.status_code == 200 and home.headers.get("Content-Encoding") == "gzip",
                   f"{home.status_code} {home.headers.get('Content-Encoding')}")
        static = requests.get(self.stack.public + css.group(1).replace("&amp;", "&"),
                              headers={"Host": PUBLIC_HOST}, timeout=10)
        cache = static.headers.get("Cache-Control", "")
        self.check("static file from nginx with a year-long cache",
                   static.status_code == 200 and "max-age=31536000" in cache
                   and "?v=" in css.group(1), f"{css.group(1)} {cache}")
        from elearn.config import from_environment

        limit = from_environment("/nonexistent")["MAX_CONTENT_LENGTH"]
        conf = (self.stack.tmp / "elearn-common.conf").read_text()
        size = re.search(r"client_max_body_size\s+(\d+)([kKmM]?);", conf)
        factor = {"": 1, "k": 1024, "m": 1024 * 1024}[size.group(2).lower()]
        self.check("nginx client_max_body_size equals MAX_CONTENT_LENGTH",
                   int(size.group(1)) * factor == limit, f"{size.group(0)} vs {limit}")

    def sign_up(self) -> None:
        address = f"prodcheck-newcomer-{secrets.token_hex(3)}@example.org"
        self.fixtures["new_person"] = address
        browser = Browser(self.stack.public)
        response = browser.submit("/signup", {
            "email": address, "full_name": "Nadia Newcomer", "password": PASSWORD,
            "confirm": PASSWORD, "preferred_language": "en", "country": ""})
        self.check("sign up through nginx", response.status_code in (302, 303),
                   str(response.status_code))
        mails = self.stack.mailbox.wait_for(address)
        link = re.search(rf"https://{re.escape(PUBLIC_HOST)}(/\S*confirm/[\w.\-]+)",
                         text_of(mails[0])) if mails else None
        self.check("confirmation email delivered to the SMTP server (by the worker)",
                   bool(link), mails[0]["Subject"] if mails else "no message")
        if link:
            browser.get(link.group(1))
            self.check("confirmation link confirms the address",
                       self.facts()["new_person_confirmed"])

    def registration_race(self) -> None:
        event = self.fixtures["seats_event"]
        # Signed in as `prepare` left them (50 argon2 log-ins would only measure argon2).
        browsers, tokens = [], []
        for cookie, token in self.fixtures["sessions"]:
            browser = Browser(self.stack.public)
            browser.http.cookies.set("session", cookie, domain=PUBLIC_HOST, path="/")
            browsers.append(browser)
            tokens.append(token)
        barrier = threading.Barrier(len(browsers))

        def register(pair):
            browser, token = pair
            barrier.wait()
            return browser.post(f"/events/{event}/register",
                                {"csrf_token": token, "mode": "online"},
                                referer=f"/events/{event}").status_code

        with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
            codes = list(pool.map(register, zip(browsers, tokens, strict=True)))
        facts = self.facts()
        confirmed, waitlisted = facts["statuses"].get("confirmed", 0), \
            facts["statuses"].get("waitlisted", 0)
        failures = [c for c in codes if c != 303]
        by_host = self.stack.upstream_counts("POST", rf"/events/{event}/register")
        self.summary["registration"] = {"confirmed": confirmed, "waitlisted": waitlisted,
                                        "errors": len(failures), "by_host": by_host}
        self.check(f"{PEOPLE} people register at once for {SEATS} seats",
                   (confirmed, waitlisted, facts["seats_taken"], len(failures))
                   == (SEATS, PEOPLE - SEATS, SEATS, 0),
                   f"confirmed {confirmed}, waitlisted {waitlisted}, seats taken "
                   f"{facts['seats_taken']}, non-303 answers {failures}")
        self.check("the registrations were served by both app hosts",
                   len([h for h, n in by_host.items() if n > 0]) >= 2, str(by_host))

    def file_across_hosts(self) -> None:
        first, second = (self.stack.host_url(n) for n in ("app-1", "app-2"))
        uploader = Browser(first, direct=True)
        uploader.log_in("instructor@elearn.demo", DEMO_PASSWORD)
        lesson = self.fixtures["lesson"]
        content = b"%PDF-1.4\n% prod-check\n" + secrets.token_bytes(200_000) + b"\n%%EOF\n"
        response = uploader.submit(
            f"/courses/lessons/{lesson}/edit",
            {"title": self.fixtures["lesson_title"], "body": self.fixtures["lesson_body"],
             "video_url": ""}, files={"upload": ("reading.pdf", content, "application/pdf")})
        self.check("lesson file uploaded on app host 1", response.status_code in (302, 303),
                   str(response.status_code))
        reader = Browser(second, direct=True)
        uploader.share_cookies_with(reader)
        page = reader.get(f"/courses/lessons/{lesson}")
        ids = [int(i) for i in re.findall(r'href="/courses/files/(\d+)"', page.text)]
        download = reader.get(f"/courses/files/{max(ids)}") if ids else None
        objects = self.stack.bucket_objects()
        in_bucket = self.stack.features.get("s3_storage")
        storage = (f"S3 (moto), {objects} object(s) in the bucket" if in_bucket
                   else "a directory both hosts share (no S3 storage in this app)")
        self.check("the same file downloaded from app host 2",
                   download is not None and download.status_code == 200
                   and download.content == content and (not in_bucket or objects),
                   f"{download.status_code if download is not None else 'no link'}; {storage}")

    def certificates(self) -> None:
        event = self.fixtures["past_event"]
        organiser = Browser(self.stack.public)
        organiser.log_in("events-organiser@elearn.demo", DEMO_PASSWORD)
        manage = f"/certificates/manage/event/{event}"
        response = organiser.submit(manage, {"kind": "participation", "confirmed": "1"},
                                    action=manage + "/bulk")
        self.check("bulk issue of certificates started", response.status_code in (302, 303)
                   and "/certificates/jobs/" in response.headers.get("Location", ""),
                   f"{response.status_code} {response.headers.get('Location')}")
        deadline = time.monotonic() + 60
        facts = self.facts()
        while time.monotonic() < deadline and "finished" not in facts["jobs"]:
            time.sleep(0.5)
            facts = self.facts()
        self.summary["certificates"] = facts["certificates"]
        self.check("the worker issued every certificate",
                   facts["jobs"] == ["finished"] and facts["certificates"] == ATTENDEES,
                   f"jobs {facts['jobs']}, certificates {facts['certificates']}/{ATTENDEES}")
        mailed = 0
        for address in self.fixtures["attendees"]:
            mails = self.stack.mailbox.wait_for(
                address, seconds=30, match=lambda m: "ertificate" in (m["Subject"] or ""))
            mailed += bool(mails)
        self.check("certificate emails delivered to the SMTP server", mailed == ATTENDEES,
                   f"{mailed}/{ATTENDEES} holders")

    def failover(self) -> None:
        """Load through nginx; one gunicorn killed (SIGKILL, as a crash) in the middle."""
        stop = threading.Event()
        answers: list[int | str] = []
        lock = threading.Lock()
        paths = ["/", "/events/", f"/events/{self.fixtures['seats_event']}", "/courses/"]

        def client():
            session = requests.Session()
            n = 0
            while not stop.is_set():
                try:
                    code = session.get(self.stack.public + paths[n % len(paths)],
                                       headers={"Host": PUBLIC_HOST}, timeout=30).status_code
                except requests.RequestException as exc:
                    code = type(exc).__name__
                n += 1
                with lock:
                    answers.append(code)

        threads = [threading.Thread(target=client) for _ in range(6)]
        for t in threads:
            t.start()
        try:
            time.sleep(3)
            before = len(answers)
            self.stack.kill("app-1")
            log("app host 1 killed (SIGKILL to its process group)")
            time.sleep(5)
        finally:
            stop.set()
            for t in threads:
                t.join()
        after = answers[before:]
        bad = [a for a in answers if a != 200]
        self.summary["failover"] = {"requests": len(answers), "after_kill": len(after),
                                    "errors": len(bad)}
        self.check("requests keep succeeding through nginx with one host killed",
                   not bad and len(after) > 20,
                   f"{len(answers)} requests, {len(after)} after the kill, errors {bad[:5]}")
        writer = Browser(self.stack.public)
        writer.log_in(self.fixtures["people"][-1], PASSWORD)
        self.check("log-in (a write) after the failover", True)
        self.ready("/readyz green on the surviving host")

    def run(self) -> None:
        self.step("readiness", self.ready)
        self.step("nginx", self.static_and_gzip)
        self.step("sign-up", self.sign_up)
        self.step("registration race", self.registration_race)
        self.step("file across hosts", self.file_across_hosts)
        self.step("certificates", self.certificates)
        self.step("failover", self.failover)
