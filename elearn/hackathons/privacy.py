"""What the hackathons domain holds about a person, for the accounts data download and erasure.

Export: participation (discipline, skills, declaration), teams and captaincy, invitations sent
and received (with the other person's name and email, as the invitation showed them), the
submissions of the person's teams, and the scores and comments the person gave as a judge.

Erasure wipes what the person wrote alone (skills, judges' comments, reasons given for a
conflict of interest or an extension) and every copy of their name or email in hackathon rows
(a team or a submission named after them, invitations to or from them). What the team wrote
together stays with the team; scores stay (anonymous once the account is erased) because the
published ranking relies on them."""

import re

from sqlalchemy import or_, select

from elearn.accounts.models import User
from elearn.accounts.services import erasure_hooks, export_providers
from elearn.extensions import db

from .judging_models import DeclaredConflict, Score, Submission, SubmissionVersion
from .models import Hackathon, HackathonParticipant, Invitation, Team, TeamExtension, TeamMember

# Free text in team rows that may hold a person's name or email.
SUBMISSION_TEXT = ("title", "summary", "problem", "repository_url", "video_url",
                   "file_original_name")


def _iso(value):
    return value.isoformat() if value is not None else None


def _language(user) -> str:
    """Titles and names in the person's own language (English when none is set)."""
    return getattr(user, "preferred_language", None) or "en"


def _title(hackathon_id: int, user) -> str:
    hackathon = db.session.get(Hackathon, hackathon_id)
    return hackathon.event.text("title", _language(user)) if hackathon else ""


def _participation(user) -> list[dict]:
    rows = db.session.scalars(select(HackathonParticipant)
                              .where(HackathonParticipant.user_id == user.id))
    return [{"hackathon": _title(p.hackathon_id, user), "discipline": p.discipline,
             "skills": p.skills, "declaration": p.declaration.value,
             "looking_for_team": p.looking_for_team,
             "terms_accepted_at": _iso(p.terms_accepted_at),
             "registered_at": _iso(p.registered_at)} for p in rows]


def _teams(user) -> list[Team]:
    return list(db.session.scalars(
        select(Team).join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user.id).order_by(Team.id)))


def _person(user: User | None) -> dict | None:
    return {"name": user.full_name, "email": user.email} if user is not None else None


def _invitations(user) -> list[dict]:
    rows = db.session.scalars(select(Invitation).where(
        or_(Invitation.user_id == user.id, Invitation.invited_by_id == user.id))
        .order_by(Invitation.id))
    return [{"direction": "received" if i.user_id == user.id else "sent",
             "team": i.team.name, "hackathon": _title(i.team.hackathon_id, user),
             "invited": _person(i.user),
             "invited_by": _person(db.session.get(User, i.invited_by_id)
                                   if i.invited_by_id else None),
             "sent_at": _iso(i.created_at), "accepted_at": _iso(i.accepted_at)} for i in rows]


def _submission(submission: Submission, user) -> dict:
    return {"team": submission.team.name, "hackathon": _title(submission.hackathon_id, user),
            **{key: getattr(submission, key) for key in SUBMISSION_TEXT},
            "submitted_at": _iso(submission.submitted_at), "version": submission.version,
            "final_rank": submission.final_rank}


def _scores_given(user) -> list[dict]:
    rows = db.session.scalars(select(Score).where(Score.judge_id == user.id)
                              .order_by(Score.submission_id, Score.criterion_id))
    result = []
    for score in rows:
        submission = db.session.get(Submission, score.submission_id)
        result.append({"submission": submission.title if submission else None,
                       "criterion": score.criterion.text("name", _language(user)),
                       "value": score.value,
                       "comment": score.comment, "scored_at": _iso(score.scored_at)})
    return result


def export(user) -> dict:
    teams = _teams(user)
    submissions = db.session.scalars(select(Submission).where(
        Submission.team_id.in_([t.id for t in teams]))) if teams else []
    return {
        "hackathon_participation": _participation(user),
        "hackathon_teams": [{"team": t.name, "hackathon": _title(t.hackathon_id, user),
                             "captain": t.captain_id == user.id,
                             "created_at": _iso(t.created_at)} for t in teams],
        "hackathon_invitations": _invitations(user),
        "hackathon_submissions": [_submission(s, user) for s in submissions],
        "hackathon_scores_given": _scores_given(user),
        "hackathon_conflicts_declared": [
            {"team": c_team.name, "reason": c.reason, "declared_at": _iso(c.declared_at)}
            for c, c_team in db.session.execute(
                select(DeclaredConflict, Team).join(Team, Team.id == DeclaredConflict.team_id)
                .where(DeclaredConflict.judge_id == user.id))],
    }


def _identifiers(user) -> list[str]:
    """The person's name and email as they may have been typed into a shared text."""
    return [v for v in ((user.full_name or "").strip(), (user.email or "").strip()) if v]


def _scrub(text: str | None, identifiers: list[str]) -> str | None:
    if not text:
        return text
    for value in identifiers:
        text = re.sub(re.escape(value), "[erased]", text, flags=re.IGNORECASE)
    return text


def _scrub_teams(user, identifiers: list[str]) -> None:
    for team in _teams(user):
        renamed = _scrub(team.name, identifiers)
        if renamed != team.name:
            team.name = f"Team {team.id}"  # unique in its hackathon, unlike "[erased]"
    for submission in db.session.scalars(select(Submission).where(
            Submission.team_id.in_([t.id for t in _teams(user)]))):
        for key in SUBMISSION_TEXT:
            setattr(submission, key, _scrub(getattr(submission, key), identifiers))
        for version in db.session.scalars(select(SubmissionVersion).where(
                SubmissionVersion.submission_id == submission.id)):
            snapshot = {k: _scrub(v, identifiers) if isinstance(v, str) else v
                        for k, v in version.snapshot.items()}
            if snapshot != version.snapshot:
                version.snapshot = snapshot


def erase(user) -> None:
    identifiers = _identifiers(user)
    for participant in db.session.scalars(select(HackathonParticipant)
                                          .where(HackathonParticipant.user_id == user.id)):
        participant.skills = ""
        participant.looking_for_team = False
    _scrub_teams(user, identifiers)
    # An invitation names the person it was sent to and who sent it: it goes with either.
    for invitation in db.session.scalars(select(Invitation).where(
            or_(Invitation.user_id == user.id, Invitation.invited_by_id == user.id))):
        db.session.delete(invitation)
    for score in db.session.scalars(select(Score).where(Score.judge_id == user.id)):
        score.comment = ""
    for conflict in db.session.scalars(select(DeclaredConflict)
                                       .where(DeclaredConflict.judge_id == user.id)):
        conflict.reason = ""
    for extension in db.session.scalars(select(TeamExtension)
                                        .where(TeamExtension.granted_by_id == user.id)):
        extension.reason = ""
    db.session.flush()


if export not in export_providers:
    export_providers.append(export)
if erase not in erasure_hooks:
    erasure_hooks.append(erase)
