import random
import time

from sqlalchemy import func, select

from elearn.accounts import demo
from elearn.accounts.models import Gender, Role, User
from elearn.extensions import db


def test_demo_makes_staff_and_varied_participants_quickly(client):
    started = time.perf_counter()
    lines = demo.populate(random.Random(2026))
    db.session.commit()
    assert time.perf_counter() - started < 5
    assert any("demo-password-2026" in line for line in lines)
    assert any("admin@elearn.demo" in line for line in lines)

    users = list(db.session.scalars(select(User)))
    assert len(users) == 54 and all(u.is_confirmed for u in users)
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
