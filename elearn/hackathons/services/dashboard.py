"""The organiser's overview: teams, participation counts and judging progress.

No figure about gender, country, sector or age is counted here: those come from the
statistics service (consent and small-number protection applied), on the hackathon's
statistics page that the dashboard links to. Discipline counts are the hackathon's own rule
(the team mix), not a figure about who people are."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from elearn.extensions import db

from ..judging_models import Submission
from ..models import Hackathon, HackathonParticipant, Team, TeamMember


def _grouped(hackathon: Hackathon, column) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(column, func.count(HackathonParticipant.id))
        .select_from(HackathonParticipant)
        .where(HackathonParticipant.hackathon_id == hackathon.id)
        .group_by(column).order_by(func.count(HackathonParticipant.id).desc(), column))]


def participation(hackathon: Hackathon) -> dict:
    total = db.session.scalar(select(func.count(HackathonParticipant.id)).where(
        HackathonParticipant.hackathon_id == hackathon.id)) or 0
    in_teams = db.session.scalar(select(func.count(TeamMember.id)).where(
        TeamMember.hackathon_id == hackathon.id)) or 0
    return {
        "total": total,
        "in_teams": in_teams,
        "solo": total - in_teams,
        "by_discipline": _grouped(hackathon, HackathonParticipant.discipline),
    }


def teams_overview(hackathon: Hackathon) -> list[tuple[Team, Submission | None]]:
    teams = list(db.session.scalars(
        select(Team).where(Team.hackathon_id == hackathon.id)
        .options(selectinload(Team.members)).order_by(Team.name)))
    submissions = {s.team_id: s for s in db.session.scalars(
        select(Submission).where(Submission.hackathon_id == hackathon.id))}
    return [(team, submissions.get(team.id)) for team in teams]


def publication_reach(hackathon: Hackathon) -> dict:
    """Who publishing the results informs: the teams with a submission and their members."""
    team_ids = select(Submission.team_id).where(Submission.hackathon_id == hackathon.id)
    teams = db.session.scalar(select(func.count()).select_from(team_ids.subquery())) or 0
    people = db.session.scalar(select(func.count(TeamMember.id)).where(
        TeamMember.team_id.in_(team_ids))) or 0
    return {"teams": teams, "people": people}
