"""Erasure is complete (issue 11.6): a person who did everything in the demo (registrations,
attendance, enrolments, hackathon, certificates) is erased, then every text, JSON and binary
column of every table is searched for their name and email. Any hit fails the test and is
listed as table.column, so a domain that forgets its erasure hook (or a new column that keeps
a copy of the name) is caught here."""

import json
import re
import zlib

from sqlalchemy import func, select

from elearn.accounts.demo import DEMO_PASSWORD
from elearn.accounts.models import User
from elearn.attendance.models import Attendance
from elearn.certificates.models import Certificate
from elearn.courses.models import Enrolment
from elearn.events.models import Registration
from elearn.extensions import db
from elearn.hackathons.models import HackathonParticipant

WHAT_THEY_DID = [(Registration, Registration.user_id), (Attendance, Attendance.user_id),
                 (Enrolment, Enrolment.user_id),
                 (HackathonParticipant, HackathonParticipant.user_id),
                 (Certificate, Certificate.holder_id)]


def _counts(user: User) -> list[int]:
    return [db.session.scalar(select(func.count()).select_from(model).where(column == user.id))
            for model, column in WHAT_THEY_DID]


def _busiest_participant_with_a_unique_name() -> User:
    """The participant with the most records in every domain, whose name no one else shares
    (another person's row must not count as a hit)."""
    everyone = list(db.session.scalars(select(User)))
    names = [u.full_name.lower() for u in everyone]
    candidates = []
    for user in everyone:
        if user.role_set or sum(user.full_name.lower() in n for n in names) != 1:
            continue
        counts = _counts(user)
        if all(counts):
            candidates.append((sum(counts), user.id, user))
    assert candidates, "the demo has no participant who took part in every domain"
    return max(candidates)[2]


def _texts(value) -> list[str]:
    """Every readable form of a stored value."""
    if value is None:
        return []
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        forms = [data.decode("latin-1"), data.decode("utf-8", "ignore"),
                 data.decode("utf-16-be", "ignore")]
        # PDF pages and other deflated streams: read them too.
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                inflated = zlib.decompress(stream)
            except zlib.error:
                continue
            forms += [inflated.decode("latin-1"), inflated.decode("utf-8", "ignore")]
        return forms
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False, default=str), json.dumps(value, default=str)]
    return [str(value)]


def _hits(needles: list[str]) -> list[str]:
    hits = set()
    lowered = [n.lower() for n in needles]
    for table in db.metadata.sorted_tables:
        columns = list(table.columns)
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if any(n in text.lower() for text in _texts(value) for n in lowered):
                    hits.add(f"{table.name}.{column.name}")
    return sorted(hits)


def test_erased_person_leaves_no_name_or_email_in_any_table(app):
    from elearn import demo

    with app.test_request_context():
        demo.populate()
    person = _busiest_participant_with_a_unique_name()
    name, email = person.full_name, person.email
    assert _hits([name, email]), "the search must find the person before erasure"

    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": DEMO_PASSWORD}) \
        .status_code == 302
    response = client.post("/profile/erase", data={"password": DEMO_PASSWORD,
                                                   "understood": "y"})
    assert response.status_code == 302
    db.session.expire_all()

    erased = db.session.get(User, person.id)
    assert erased.erased_at is not None
    hits = _hits([name, email])
    assert hits == [], f"{name} / {email} still found after erasure in: {', '.join(hits)}"


# Every domain that keeps rows about a person (user_id / holder_id columns) takes part in the
# download and the erasure.
DOMAINS_HOLDING_PEOPLE = {"events", "attendance", "courses", "hackathons", "certificates"}


def test_every_domain_holding_people_registers_export_and_erasure(app):
    from elearn.accounts.services import erasure_hooks, export_providers

    def domains(functions):
        return {fn.__module__.split(".")[1] for fn in functions}

    assert DOMAINS_HOLDING_PEOPLE - domains(export_providers) == set(), "export missing"
    assert DOMAINS_HOLDING_PEOPLE - domains(erasure_hooks) == set(), "erasure missing"
