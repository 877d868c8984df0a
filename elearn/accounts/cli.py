"""`flask elearn create-admin EMAIL`, `flask elearn load-member-states`."""

import sys

import click
from flask_babel import force_locale

from elearn.audit.services import record
from elearn.commands import elearn_cli
from elearn.db_types import utcnow
from elearn.extensions import db

from . import services
from .models import Role, User, UserRole, user_by_email


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        # First line only, so `echo secret | flask elearn create-admin ...` works in scripts.
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@elearn_cli.command("create-admin")
@click.argument("email")
@click.option("--name", "full_name", default="", help="Full name (for a new account).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin(email: str, full_name: str, password_stdin: bool):
    """Create an admin account, or make an existing account admin (and confirm it)."""
    email = services.normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an email address", param_hint="EMAIL")
    password = _read_password(password_stdin)
    with force_locale("en"):  # no request here to choose a language from
        problems = services.password_problems(password, email)
    if problems:
        raise click.ClickException(" ".join(problems))
    user = user_by_email(email)
    if user is not None and user.erased_at is not None:
        raise click.ClickException("This account was erased and cannot be reused.")
    created = user is None
    if created:
        user = User(email=email, full_name=full_name or email.split("@")[0])
        db.session.add(user)
    elif full_name:
        user.full_name = full_name
    services.set_password(user, password)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.is_active_account = True
    if Role.ADMIN not in user.role_set:
        user.roles.append(UserRole(role=Role.ADMIN))
    db.session.flush()
    record("accounts.admin_created" if created else "accounts.admin_promoted", user,
           after={"roles": sorted(r.value for r in user.role_set)})
    db.session.commit()
    click.echo(f"{'Created' if created else 'Promoted'} admin {email}.")


@elearn_cli.command("load-member-states")
def load_member_states_command():
    """Insert or update the member states from elearn/accounts/data/member_states.yaml."""
    count = services.load_member_states()
    db.session.commit()
    click.echo(f"{count} member states loaded.")
