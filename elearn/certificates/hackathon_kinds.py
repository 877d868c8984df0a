"""Hackathon certificates, read from the hackathons domain: participation (a member of a team
that handed in a submission) and awards (a placing in the published results)."""

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.extensions import db

from .kinds_base import Kind, Verdict, only_ids, users_by_id
from .models import CertificateKind, SubjectType

AWARD_PLACES = 3  # placings that earn an award certificate


def _team_rows(hackathon, only):
    from elearn.hackathons.judging_models import Submission
    from elearn.hackathons.models import Team, TeamMember

    query = (select(TeamMember.user_id, Team.name, Submission.id, Submission.title,
                    Submission.final_rank)
             .join(Team, Team.id == TeamMember.team_id)
             .outerjoin(Submission, Submission.team_id == Team.id)
             .where(TeamMember.hackathon_id == hackathon.id))
    return db.session.execute(only_ids(query, TeamMember.user_id, only)).all()


class _HackathonKind(Kind):
    subject_type = SubjectType.HACKATHON

    def not_considered_reason(self) -> str:
        return _("Not a member of a team in this hackathon.")


class HackathonParticipation(_HackathonKind):
    key = CertificateKind.HACKATHON_PARTICIPATION

    def evaluate(self, hackathon, template=None, only=None) -> list[Verdict]:
        from elearn.hackathons.models import HackathonParticipant

        rows = {r[0]: r for r in _team_rows(hackathon, only)}
        registered = set(db.session.scalars(only_ids(
            select(HackathonParticipant.user_id).where(
                HackathonParticipant.hackathon_id == hackathon.id),
            HackathonParticipant.user_id, only)))
        people = users_by_id(registered | set(rows))
        verdicts = []
        for user_id, person in sorted(people.items(), key=lambda p: p[1].full_name.lower()):
            row = rows.get(user_id)
            if row is None:
                verdicts.append(Verdict(person, False, _("Registered but joined no team."), {}))
            elif row[2] is None:
                verdicts.append(Verdict(person, False, _(
                    "The team %(team)s handed in no submission.", team=row[1]), {}))
            else:
                verdicts.append(Verdict(person, True, _(
                    "Member of the team %(team)s, which submitted “%(project)s”.",
                    team=row[1], project=row[3]), {"team": row[1], "project": row[3]}))
        return verdicts


class HackathonAward(_HackathonKind):
    key = CertificateKind.HACKATHON_AWARD

    def evaluate(self, hackathon, template=None, only=None) -> list[Verdict]:
        rows = _team_rows(hackathon, only)
        people = users_by_id(r[0] for r in rows)
        verdicts = []
        for user_id, team, submission_id, project, rank in sorted(
                rows, key=lambda r: people[r[0]].full_name.lower()):
            person = people[user_id]
            if not hackathon.results_published:
                ok, reason = False, _("The results are not published yet.")
            elif submission_id is None or rank is None:
                ok, reason = False, _("The team %(team)s has no placing.", team=team)
            elif rank > AWARD_PLACES:
                ok, reason = False, _("The team %(team)s placed %(rank)d; awards go to the "
                                      "first %(places)d.", team=team, rank=rank,
                                      places=AWARD_PLACES)
            else:
                ok, reason = True, _("The team %(team)s placed %(rank)d.", team=team, rank=rank)
            verdicts.append(Verdict(person, ok, reason, {
                "team": team, "project": project, "placing": rank}))
        return verdicts
