from sqlalchemy import select

from elearn.accounts.models import MemberState, Role, Subregion, User
from elearn.accounts.services import load_member_states
from elearn.audit.models import AuditRecord
from elearn.extensions import db


def test_non_admins_get_403(client, make_user, login):
    login(make_user(roles=["organiser"]))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/member-states").status_code == 403
    assert client.post("/admin/users/1/roles", data={"roles": "admin"}).status_code == 403
    assert client.post("/admin/member-states", data={"country": "ES",
                                                     "subregion": "caribbean"}).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/admin/users").status_code == 302


def test_search_by_name_or_email_is_paginated(client, make_user, login):
    login(make_user(email="boss@example.org", full_name="Zed Admin", roles=["admin"]))
    for n in range(30):
        make_user(email=f"p{n:02d}@example.org", full_name=f"Participant {n:02d}")
    make_user(email="keisha@caribbean.example", full_name="Keisha Campbell")

    page1 = client.get("/admin/users").get_data(as_text=True)
    assert "32 people" in page1 and "Page 1 of 2" in page1
    assert "Participant 00" in page1 and "Zed Admin" not in page1
    page2 = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "Zed Admin" in page2

    by_name = client.get("/admin/users?q=CAMPBELL").get_data(as_text=True)
    assert "keisha@caribbean.example" in by_name and "p01@example.org" not in by_name
    by_email = client.get("/admin/users?q=caribbean.exa").get_data(as_text=True)
    assert "Keisha Campbell" in by_email and "1 person" in by_email
    wildcard = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "0 people" in wildcard


def test_change_roles_with_audit_record(client, make_user, login):
    admin = make_user(roles=["admin"])
    login(admin)
    person = make_user(email="ana@example.org", roles=["judge"])
    response = client.post(f"/admin/users/{person.id}/roles",
                           data={"roles": ["instructor", "organiser"]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, person.id).role_set == {Role.INSTRUCTOR, Role.ORGANISER}
    audit = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "accounts.roles_changed"))
    assert audit.actor_id == admin.id and audit.subject_id == str(person.id)
    assert audit.before == {"roles": ["judge"]}
    assert audit.after == {"roles": ["instructor", "organiser"]}


def test_unknown_role_is_400_and_nothing_changes(client, make_user, login):
    login(make_user(roles=["admin"]))
    person = make_user(roles=["judge"])
    for bad in (["superuser"], ["participant"], ["judge", "root"]):
        assert client.post(f"/admin/users/{person.id}/roles",
                           data={"roles": bad}).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, person.id).role_set == {Role.JUDGE}
    assert client.post("/admin/users/99999/roles", data={"roles": []}).status_code == 404


def test_admin_cannot_drop_own_admin_role(client, make_user, login):
    admin = make_user(roles=["admin"])
    login(admin)
    client.post(f"/admin/users/{admin.id}/roles", data={"roles": ["judge"]})
    db.session.expire_all()
    assert Role.ADMIN in db.session.get(User, admin.id).role_set


def test_member_states_add_change_and_remove(client, make_user, login):
    login(make_user(roles=["admin"]))
    try:
        page = client.get("/admin/member-states").get_data(as_text=True)
        assert "Trinidad" in page and "33 member states" in page

        assert client.post("/admin/member-states",
                           data={"country": "es", "subregion": "south_america"}).status_code == 302
        assert db.session.get(MemberState, "ES").subregion == Subregion.SOUTH_AMERICA
        client.post("/admin/member-states", data={"country": "MX", "subregion": "central_america"})
        db.session.expire_all()
        assert db.session.get(MemberState, "MX").subregion == Subregion.CENTRAL_AMERICA

        assert client.post("/admin/member-states/ES/remove").status_code == 302
        assert db.session.get(MemberState, "ES") is None
        assert client.post("/admin/member-states/ES/remove").status_code == 404

        bad = client.post("/admin/member-states", data={"country": "XX", "subregion": "caribbean"})
        assert bad.status_code == 400 and "Choose a country" in bad.get_data(as_text=True)
        bad = client.post("/admin/member-states", data={"country": "FR", "subregion": "europe"})
        assert bad.status_code == 400
        assert db.session.get(MemberState, "FR") is None
        actions = set(db.session.scalars(select(AuditRecord.action)))
        assert {"accounts.member_state_saved", "accounts.member_state_removed"} <= actions
    finally:
        # member_state is reference data kept between tests: put the list back.
        db.session.rollback()
        for extra in db.session.scalars(select(MemberState).where(
                MemberState.country_code.in_(["ES", "FR"]))):
            db.session.delete(extra)
        load_member_states()
        db.session.commit()


def test_admin_makes_someone_a_programme_manager(client, make_user, login):
    login(make_user(email="boss@example.org", full_name="Zed Admin", roles=["admin"]))
    olivia = make_user(email="olivia@example.org", full_name="Olivia", roles=["organiser"])
    page = client.get("/admin/users?q=olivia").get_data(as_text=True)
    assert 'value="programme_manager"' in page and "Programme manager" in page
    assert "Event organiser" in page
    response = client.post(f"/admin/users/{olivia.id}/roles",
                           data={"roles": ["programme_manager"], "q": "olivia"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, olivia.id).role_set == {Role.PROGRAMME_MANAGER}
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "accounts.roles_changed"))
    assert entry.before == {"roles": ["organiser"]}
    assert entry.after == {"roles": ["programme_manager"]}


def test_programme_managers_cannot_manage_users(client, make_user, login):
    """Below admin: the Secretariat does not hand out roles."""
    login(make_user(roles=["programme_manager"]))
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/1/roles", data={"roles": "admin"}).status_code == 403
