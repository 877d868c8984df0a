"""What admins do to accounts: find people, change roles, edit the member-states list."""

from sqlalchemy import func, or_, select

from elearn.audit.services import record
from elearn.extensions import db

from ..models import MemberState, Role, Subregion, User, UserRole
from .members import is_valid_country

ASSIGNABLE_ROLES = (Role.INSTRUCTOR, Role.ORGANISER, Role.JUDGE, Role.PROGRAMME_MANAGER,
                    Role.ADMIN)


class UnknownRole(ValueError):
    pass


def search_users(query: str = "", page: int = 1, per_page: int = 25):
    """A page of users whose name or email contains `query` (Flask-SQLAlchemy Pagination)."""
    stmt = select(User).where(User.erased_at.is_(None)).order_by(
        func.lower(User.full_name), User.id)
    words = (query or "").strip().lower()
    if words:
        like = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(User.full_name).like(like, escape="\\"),
                              User.email.like(like, escape="\\")))
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)


def parse_roles(names) -> set[Role]:
    """The assignable roles named; raises UnknownRole for anything else (participant is implicit
    and not assignable)."""
    allowed = {r.value: r for r in ASSIGNABLE_ROLES}
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise UnknownRole(", ".join(unknown))
    return {allowed[n] for n in names}


def set_roles(user: User, roles: set[Role], *, actor: User) -> bool:
    """Give the user exactly these roles; records the change. False when nothing changed."""
    before = user.role_set
    if before == roles:
        return False
    for held in list(user.roles):
        if held.role not in roles:
            user.roles.remove(held)
    for role in roles - before:
        user.roles.append(UserRole(role=role))
    record("accounts.roles_changed", user, actor=actor,
           before={"roles": sorted(r.value for r in before)},
           after={"roles": sorted(r.value for r in roles)})
    return True


def add_member_state(code: str, subregion: str, *, actor: User) -> MemberState:
    """Add a country to the list or change its sub-region. Raises ValueError on bad input."""
    code = (code or "").strip().upper()
    if not is_valid_country(code):
        raise ValueError("country")
    region = Subregion(subregion)  # ValueError when unknown
    state = db.session.get(MemberState, code)
    before = {"subregion": state.subregion.value} if state else None
    if state is None:
        state = MemberState(country_code=code, subregion=region, active=True)
        db.session.add(state)
    state.subregion = region
    state.active = True
    record("accounts.member_state_saved", state, actor=actor, before=before,
           after={"subregion": region.value})
    return state


def remove_member_state(code: str, *, actor: User) -> bool:
    state = db.session.get(MemberState, (code or "").upper())
    if state is None:
        return False
    record("accounts.member_state_removed", state, actor=actor,
           before={"subregion": state.subregion.value})
    db.session.delete(state)
    return True


def list_member_states() -> list[MemberState]:
    return list(db.session.scalars(select(MemberState).order_by(MemberState.country_code)))
