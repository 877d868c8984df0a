import random

import pytest
from sqlalchemy import func, select

from elearn.accounts import demo
from elearn.accounts.models import Gender, Role, User
from elearn.extensions import db


def test_demo_makes_staff_and_varied_participants(client):
    lines = demo.populate(random.Random(2026))
    db.session.commit()
    assert any("demo-password-2026" in line for line in lines)
    assert any("admin@elearn.demo" in line for line in lines)

    users = list(db.session.scalars(select(User)))
    assert len(users) == 55 and all(u.is_confirmed for u in users)
    admin = next(u for u in users if u.email == "admin@elearn.demo")
    assert Role.ADMIN in admin.role_set
    participants = [u for u in users if not u.role_set]
    genders = {u.gender for u in participants}
    assert {None, Gender.PREFER_NOT_TO_SAY, Gender.WOMAN, Gender.MAN} <= genders
    assert len({u.country for u in participants}) >= 30
    assert len({u.sector for u in participants}) >= 4
    assert {True, False} == {u.is_public_official for u in participants}
    assert len({u.preferred_language for u in participants}) >= 3
    consented = db.session.scalar(select(func.count(User.id)).where(
        User.stats_consent_at.is_not(None)))
    assert consented > len(users) * 0.7
    assert client.post("/login", data={"email": "judge@elearn.demo",
                                       "password": "demo-password-2026"}).status_code == 302


@pytest.mark.parametrize("email,role,description", [
    ("organiser@elearn.demo", Role.PROGRAMME_MANAGER, "programme manager"),
    ("events-organiser@elearn.demo", Role.ORGANISER, "event organiser"),
    ("instructor@elearn.demo", Role.INSTRUCTOR, "instructor"),
])
def test_demo_staff_have_scoped_roles_and_their_logins_work(app, email, role, description):
    """The Secretariat login is a programme manager; the event organiser and the instructor
    are scoped (they hold only their own role), and `make run` prints each login."""
    lines = demo.populate(random.Random(2026))
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == email))
    assert user.role_set == {role}
    line = next(line for line in lines if email in line)
    assert description in line
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/profile").status_code == 200
