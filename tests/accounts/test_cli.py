from sqlalchemy import func, select

from elearn.accounts.models import MemberState, Role, User
from elearn.accounts.services import verify_password
from elearn.extensions import db

GOOD = "a long admin passphrase"


def test_create_admin_reads_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["elearn", "create-admin", "Boss@Example.org", "--password-stdin"],
        input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.org"))
    assert Role.ADMIN in user.role_set and user.is_confirmed
    assert verify_password(user, GOOD)


def test_create_admin_promotes_and_confirms_an_existing_account(app, make_user):
    user = make_user(email="ana@example.org", confirmed=False, roles=["judge"])
    result = app.test_cli_runner().invoke(args=["elearn", "create-admin", "ana@example.org"],
                                          input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert "Promoted" in result.output
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.role_set == {Role.ADMIN, Role.JUDGE} and user.is_confirmed
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_admin_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["elearn", "create-admin", "boss@example.org"],
                                          input="short\n")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_load_member_states_is_idempotent(app):
    runner = app.test_cli_runner()
    assert "33 member states" in runner.invoke(args=["elearn", "load-member-states"]).output
    runner.invoke(args=["elearn", "load-member-states"])
    assert db.session.scalar(select(func.count()).select_from(MemberState)) == 33
