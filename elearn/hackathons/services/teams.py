"""Teams: creating, joining (code or invitation), leaving, the captain's tools.

Team size is decided by ONE conditional UPDATE of `Team.member_count` (it also takes the row
lock on PostgreSQL, so the discipline check that follows sees every committed member): two
people racing for the last place can never both get it. One team per person per hackathon is
a unique constraint on TeamMember.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.audit.services import record
from elearn.extensions import db
from elearn.mail.services import send_template

from ..judging_models import Submission
from ..models import (
    Hackathon,
    HackathonParticipant,
    Invitation,
    Team,
    TeamMember,
    new_join_code,
    normalise_join_code,
)
from .common import (
    Conflict,
    Forbidden,
    HackathonError,
    link,
    participant_of,
    require_participant,
    require_registration_open,
    submissions_closed,
    team_of,
    utcnow,
)


def _norm(discipline: str) -> str:
    return " ".join(discipline.lower().split())


def discipline_count(team: Team) -> int:
    return len({_norm(m.participant.discipline) for m in team.members})


def team_by_code(hackathon: Hackathon, code: str) -> Team | None:
    """The team whose code this is, however it was typed (case, spaces, dashes)."""
    wanted = normalise_join_code(code)
    if not wanted:
        return None
    stored = func.upper(func.replace(func.replace(Team.join_code, "-", ""), " ", ""))
    return db.session.scalar(select(Team).where(Team.hackathon_id == hackathon.id,
                                                stored == wanted).order_by(Team.id).limit(1))


def create_team(hackathon: Hackathon, user: User, name: str) -> Team:
    require_registration_open(hackathon)
    participant = require_participant(hackathon, user)
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise HackathonError(_("Give your team a name (up to 120 characters)."))
    if team_of(hackathon, user) is not None:
        raise Conflict(_("You are already in a team for this hackathon."))
    team = Team(hackathon_id=hackathon.id, name=name, captain_id=user.id, member_count=0)
    try:
        with db.session.begin_nested():
            db.session.add(team)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("A team with this name already exists.")) from None
    _join(team, participant)
    record("hackathon.team_created", team, actor=user, after={"name": name})
    return team


def join_with_code(hackathon: Hackathon, user: User, code: str) -> Team:
    team = team_by_code(hackathon, code)
    if team is None:
        raise HackathonError(_("No team has this join code. Check it with your captain."),
                             status=404)
    return join_team(team, user)


def join_team(team: Team, user: User) -> Team:
    hackathon = team.hackathon
    require_registration_open(hackathon)
    participant = require_participant(hackathon, user)
    if team_of(hackathon, user) is not None:
        raise Conflict(_("You are already in a team for this hackathon."))
    _join(team, participant)
    record("hackathon.team_joined", team, actor=user,
           after={"user_id": user.id, "member_count": team.member_count})
    return team


def _join(team: Team, participant: HackathonParticipant) -> TeamMember:
    hackathon = team.hackathon
    try:
        with db.session.begin_nested():
            took = db.session.execute(
                update(Team)
                .where(Team.id == team.id, Team.member_count < hackathon.team_size_max,
                       Team.locked.is_(False))
                .values(member_count=Team.member_count + 1)
                .execution_options(synchronize_session=False))
            if took.rowcount != 1:
                db.session.refresh(team)
                if team.locked:
                    raise Conflict(_("This team is locked by its captain."))
                raise Conflict(_("This team is full (%(n)s members).",
                                 n=hackathon.team_size_max))
            _check_mix_on_join(team, participant)
            member = TeamMember(team_id=team.id, hackathon_id=hackathon.id,
                                user_id=participant.user_id, participant_id=participant.id)
            db.session.add(member)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("You are already in a team for this hackathon.")) from None
    participant.looking_for_team = False
    db.session.expire(team)
    return member


def _check_mix_on_join(team: Team, participant: HackathonParticipant) -> None:
    """Refuse a joiner who would leave too few places to reach the discipline mix.

    Runs after the counter UPDATE, so on PostgreSQL this transaction holds the team row and
    the members read here are final."""
    wanted = team.hackathon.min_disciplines
    if not wanted:
        return
    rows = db.session.execute(
        select(HackathonParticipant.discipline)
        .join(TeamMember, TeamMember.participant_id == HackathonParticipant.id)
        .where(TeamMember.team_id == team.id)).scalars().all()
    disciplines = {_norm(d) for d in rows} | {_norm(participant.discipline)}
    places_left = team.hackathon.team_size_max - (len(rows) + 1)
    if len(disciplines) + places_left < wanted:
        raise Conflict(_("This team needs people from at least %(n)s disciplines and already "
                         "has %(discipline)s; there is no place left for it.",
                         n=wanted, discipline=participant.discipline))


def composition_problem(team: Team) -> str | None:
    """Why the team's size or mix does not meet the rules now, or None."""
    hackathon = team.hackathon
    count = db.session.scalar(select(func.count(TeamMember.id)).where(
        TeamMember.team_id == team.id)) or 0
    if count < hackathon.team_size_min or count > hackathon.team_size_max:
        return _("A team must have between %(min)s and %(max)s members; yours has %(n)s.",
                 min=hackathon.team_size_min, max=hackathon.team_size_max, n=count)
    if hackathon.min_disciplines and discipline_count(team) < hackathon.min_disciplines:
        return _("A team must bring together at least %(n)s disciplines.",
                 n=hackathon.min_disciplines)
    return None


# --- leaving and the captain's tools -------------------------------------------------------

def _require_changeable(team: Team) -> None:
    if submissions_closed(team.hackathon):
        raise Conflict(_("Submissions have closed; teams can no longer change."))


def _require_captain(team: Team, user: User) -> None:
    if not can(user, "captain", team):
        raise Forbidden(_("Only the team captain can do that."))


def _member(team: Team, user_id: int) -> TeamMember:
    for member in team.members:
        if member.user_id == user_id:
            return member
    raise HackathonError(_("This person is not in the team."), status=404)


def leave_team(team: Team, user: User) -> Team | None:
    """The user leaves; a leaving captain hands over to the longest-standing member, and the
    last one out dissolves the team (refused when the team has a submission, which would go
    with it). Returns the team, or None when it was dissolved."""
    _require_changeable(team)
    return _remove(team, _member(team, user.id), actor=user, action="hackathon.team_left")


def remove_member(team: Team, captain: User, user_id: int) -> Team | None:
    _require_captain(team, captain)
    _require_changeable(team)
    if user_id == captain.id:
        raise HackathonError(_("To leave the team yourself, use “Leave team”."))
    return _remove(team, _member(team, user_id), actor=captain,
                   action="hackathon.member_removed")


def _remove(team: Team, member: TeamMember, *, actor: User, action: str) -> Team | None:
    user_id = member.user_id
    with db.session.begin_nested():
        # The counter UPDATE holds the team row (PostgreSQL) until commit, so the count read
        # after it is final: two last members leaving at once cannot leave an empty team.
        db.session.execute(
            update(Team).where(Team.id == team.id, Team.member_count > 0)
            .values(member_count=Team.member_count - 1)
            .execution_options(synchronize_session=False))
        left = db.session.scalar(select(Team.member_count).where(Team.id == team.id))
        if not left and _has_submission(team):
            raise Conflict(_("You are the last member of a team that has a submission, which "
                             "would be lost with the team. Please contact the organisers."))
        team.members.remove(member)
        db.session.flush()
    db.session.expire(team, ["member_count", "members"])  # others may have left meanwhile
    record(action, team, actor=actor, after={"user_id": user_id})
    if not left:
        record("hackathon.team_dissolved", team, actor=actor, before={"name": team.name})
        db.session.delete(team)
        db.session.flush()
        return None
    if team.captain_id == user_id:
        successor = min(team.members, key=lambda m: (m.joined_at, m.id))
        team.captain_id = successor.user_id
        record("hackathon.captain_changed", team, actor=actor,
               before={"captain_id": user_id}, after={"captain_id": successor.user_id})
    return team


def _has_submission(team: Team) -> bool:
    return db.session.scalar(select(Submission.id).where(Submission.team_id == team.id)
                             ) is not None


def hand_over_captaincy(team: Team, captain: User, user_id: int) -> Team:
    _require_captain(team, captain)
    member = _member(team, user_id)
    before = team.captain_id
    team.captain_id = member.user_id
    record("hackathon.captain_changed", team, actor=captain,
           before={"captain_id": before}, after={"captain_id": member.user_id})
    return team


def set_locked(team: Team, captain: User, locked: bool) -> Team:
    _require_captain(team, captain)
    team.locked = bool(locked)
    record("hackathon.team_locked" if locked else "hackathon.team_unlocked", team,
           actor=captain, after={"locked": team.locked})
    return team


def rotate_join_code(team: Team, captain: User) -> Team:
    """A new code; invitations sent with the old one stop working."""
    _require_captain(team, captain)
    team.join_code = new_join_code()
    team.code_version += 1
    record("hackathon.join_code_rotated", team, actor=captain,
           after={"code_version": team.code_version})
    return team


def pending_invitations(team: Team) -> int:
    """Invitations sent with the current code and not yet used (rotating the code ends them)."""
    return db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.team_id == team.id, Invitation.accepted_at.is_(None),
        Invitation.code_version == team.code_version)) or 0


# --- invitations ---------------------------------------------------------------------------

def invite(team: Team, captain: User, invitee: User) -> Invitation:
    _require_captain(team, captain)
    require_registration_open(team.hackathon)
    if participant_of(team.hackathon, invitee) is None:
        raise HackathonError(_("Only registered participants can be invited."))
    if team_of(team.hackathon, invitee) is not None:
        raise Conflict(_("%(name)s is already in a team.", name=invitee.display_name))
    invitation = Invitation(team_id=team.id, user_id=invitee.id, invited_by_id=captain.id,
                            code_version=team.code_version)
    db.session.add(invitation)
    db.session.flush()
    invitation_link = link("hackathons.invitation", token=invitation.token)
    event = team.hackathon.event
    send_template(invitee, "email/hackathons/invitation",
                  lambda: _("Invitation to join team %(team)s", team=team.name),
                  team=team, captain=captain, event=event, link=invitation_link)
    record("hackathon.invitation_sent", team, actor=captain, after={"user_id": invitee.id})
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    return db.session.scalar(select(Invitation).where(Invitation.token == token))


def invitation_problem(invitation: Invitation, user: User) -> str | None:
    if invitation.user_id != user.id:
        return _("This invitation was sent to someone else.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used.")
    if invitation.code_version != invitation.team.code_version:
        return _("This invitation is no longer valid: the captain changed the team's join "
                 "code. Ask for a new invitation.")
    return None


def accept_invitation(invitation: Invitation, user: User) -> Team:
    problem = invitation_problem(invitation, user)
    if problem:
        raise Conflict(problem)
    team = join_team(invitation.team, user)
    invitation.accepted_at = utcnow()
    return team
