import json

import pytest
from sqlalchemy import select

from elearn.accounts import services
from elearn.accounts.models import Gender, Sector, User
from elearn.audit.models import AuditRecord
from elearn.extensions import db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def registered(monkeypatch):
    """Registries as another domain would fill them, restored after the test."""
    monkeypatch.setattr(services.privacy, "export_providers", [])
    monkeypatch.setattr(services.privacy, "erasure_hooks", [])
    return services.privacy


def test_download_my_data_includes_profile_roles_consent_and_other_domains(
        client, make_user, login, registered):
    registered.export_providers.append(lambda user: {"enrolments": [f"edition-of-{user.id}"]})
    user = make_user(email="ana@example.org", roles=["judge"], country="CL",
                     gender=Gender.WOMAN, year_of_birth=1990, stats_consent_at=None)
    login(user)
    response = client.get("/profile/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["email"] == "ana@example.org"
    assert data["profile"]["country"] == "CL" and data["profile"]["gender"] == "woman"
    assert data["roles"] == ["judge"]
    assert data["consent"] == {"statistics": False, "statistics_given_at": None}
    assert data["enrolments"] == [f"edition-of-{user.id}"]


def test_erasure_wipes_identity_keeps_statistics_categories(client, make_user, login,
                                                            registered):
    seen = []
    registered.erasure_hooks.append(lambda user: seen.append(user.email))
    user = make_user(email="ana@example.org", full_name="Ana Pérez", roles=["instructor"],
                     country="CL", sector=Sector.ACADEMIA, gender=Gender.ANOTHER,
                     gender_other="Two-spirit", institution="Universidad", job_title="Prof",
                     year_of_birth=1990, bio="About me", is_public_official=True)
    login(user)
    assert client.get("/profile/erase").status_code == 200
    wrong = client.post("/profile/erase", data={"password": "not my password", "understood": "y"})
    assert wrong.status_code == 400
    unticked = client.post("/profile/erase", data={"password": PASSWORD})
    assert unticked.status_code == 400

    response = client.post("/profile/erase", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert seen == ["ana@example.org"]  # hooks run while the data is still there
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.email == f"erased-{user.id}@invalid" and user.full_name == "Erased user"
    assert (user.institution, user.job_title, user.bio, user.gender_other,
            user.year_of_birth, user.password_hash) == (None,) * 6
    assert user.role_set == set() and user.erased_at is not None
    assert (user.country, user.sector, user.gender, user.is_public_official) == (
        "CL", Sector.ACADEMIA, Gender.ANOTHER, True)
    assert user.age_group == services.age_group(1990)
    assert client.get("/profile").status_code == 302  # logged out
    assert client.post("/login", data={"email": "ana@example.org",
                                       "password": PASSWORD}).status_code == 401
    assert db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "accounts.erased", AuditRecord.subject_id == str(user.id)))


def test_erased_person_can_sign_up_again_with_the_same_address(client, make_user, login):
    login(make_user(email="ana@example.org"))
    client.post("/profile/erase", data={"password": PASSWORD, "understood": "y"})
    response = client.post("/signup", data={
        "email": "ana@example.org", "full_name": "Ana", "password": "a fresh long phrase",
        "confirm": "a fresh long phrase", "preferred_language": "en", "country": ""})
    assert response.status_code == 302


@pytest.mark.parametrize("year_of_birth,expected", [
    (2005, "under-25"), (2001, "25-34"), (1992, "25-34"), (1991, "35-44"), (1960, "65+"),
    (None, None),
])
def test_age_groups(year_of_birth, expected):
    assert services.age_group(year_of_birth, year=2026) == expected


def test_no_email_is_left_in_the_audit_trail_after_erasure(client, mailbox, link_in):
    good = "a quiet orange bicycle"
    client.post("/signup", data={"email": "ana@example.org", "full_name": "Ana",
                                 "password": good, "confirm": good,
                                 "preferred_language": "en", "country": "CL"})
    client.get(link_in(mailbox.last("ana@example.org")))
    client.post("/login", data={"email": "ana@example.org", "password": good})
    client.post("/profile/erase", data={"password": good, "understood": "y"})
    records = list(db.session.scalars(select(AuditRecord)))
    assert {r.action for r in records} >= {"accounts.signed_up", "accounts.email_confirmed",
                                           "accounts.erased"}
    assert "ana@example.org" not in json.dumps([[r.before, r.after] for r in records])


def test_erasure_deletes_the_persons_outbox_and_scrubs_the_audit_trail(app, make_user):
    from elearn.audit.services import record
    from elearn.mail.models import OutboxMessage
    from elearn.mail.services import queue

    ana = make_user(email="ana@example.org", full_name="Ana Pérez Núñez")
    staff = make_user(email="staff@example.org", full_name="Staff Person")
    queue("ANA@example.org", "Your ticket", "Dear Ana Pérez Núñez")
    queue("staff@example.org", "Report", "Ana Pérez Núñez registered")
    about = record("events.registration_decided", ana, actor=staff,
                   before={"status": "pending", "name": "Ana Pérez Núñez"},
                   after={"status": "confirmed", "people": [{"id": ana.id,
                                                            "email": "ana@example.org"}]})
    by = record("courses.grade_changed", staff, actor=ana, after={"grade": 9})
    mention = record("events.note", staff, actor=staff, after={"note": "ana PÉREZ núñez came"})
    untouched = record("events.note", staff, actor=staff, after={"note": "Someone else"})
    db.session.commit()

    services.erase_user(ana)
    db.session.commit()
    db.session.expire_all()

    assert list(db.session.scalars(select(OutboxMessage.to_address))) == ["staff@example.org"]
    about, by, mention, untouched = (db.session.get(AuditRecord, r.id)
                                     for r in (about, by, mention, untouched))
    # Who did what to which id stays; the name and email do not.
    assert (about.subject_id, about.actor_id) == (str(ana.id), staff.id)
    assert about.before == {"status": "pending", "name": "[erased]"}
    assert about.after == {"status": "confirmed", "people": [{"id": ana.id,
                                                              "email": "[erased]"}]}
    assert by.actor_id == ana.id and by.after == {"grade": 9}
    assert mention.after == {"note": "[erased]"}
    assert untouched.after == {"note": "Someone else"}
