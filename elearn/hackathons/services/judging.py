"""Judging: assigning judges to submissions (balanced, no conflicts of interest) and scoring.

Judges are the users holding the judge role. A judge never gets a submission whose team has a
member from the judge's own institution, nor one with a declared conflict.
"""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.accounts.models import Role, User, UserRole
from elearn.audit.services import record
from elearn.extensions import db

from ..judging_models import (
    Criterion,
    DeclaredConflict,
    JudgeAssignment,
    Score,
    Submission,
)
from ..models import Hackathon, Team, TeamMember
from .common import Conflict, Forbidden, HackathonError, utcnow, within
from .settings import criteria_of, require_manage


def judges() -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.JUDGE, User.erased_at.is_(None),
               User.is_active_account.is_(True))
        .order_by(User.id)))


def _institution(value: str | None) -> str:
    return " ".join((value or "").lower().split())


def conflicted_pairs(hackathon: Hackathon, panel: list[User]) -> set[tuple[int, int]]:
    """(judge_id, team_id) pairs a judge must not score: same institution, or declared."""
    by_institution = defaultdict(list)
    for judge in panel:
        if _institution(judge.institution):
            by_institution[_institution(judge.institution)].append(judge.id)
    pairs = set()
    rows = db.session.execute(
        select(TeamMember.team_id, User.institution)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.hackathon_id == hackathon.id))
    for team_id, institution in rows:
        for judge_id in by_institution.get(_institution(institution), []):
            pairs.add((judge_id, team_id))
    declared = db.session.execute(
        select(DeclaredConflict.judge_id, DeclaredConflict.team_id)
        .join(Team, Team.id == DeclaredConflict.team_id)
        .where(Team.hackathon_id == hackathon.id))
    pairs.update((j, t) for j, t in declared)
    return pairs


def declare_conflict(judge: User, team: Team, reason: str = "") -> DeclaredConflict:
    """The judge says they cannot score this team; an existing assignment is withdrawn when
    no score was given yet."""
    conflict = db.session.scalar(select(DeclaredConflict).where(
        DeclaredConflict.judge_id == judge.id, DeclaredConflict.team_id == team.id))
    if conflict is None:
        conflict = DeclaredConflict(judge_id=judge.id, team_id=team.id,
                                    reason=(reason or "").strip()[:500])
        db.session.add(conflict)
    assignment = db.session.scalar(
        select(JudgeAssignment).join(Submission)
        .where(Submission.team_id == team.id, JudgeAssignment.judge_id == judge.id))
    if assignment is not None and assignment.completed_at is None:
        db.session.delete(assignment)
    db.session.flush()
    record("hackathon.conflict_declared", team, actor=judge, after={"judge_id": judge.id})
    return conflict


def assign_judges(hackathon: Hackathon, actor=None) -> dict:
    """Top up every submission to `judges_per_submission` judges, always picking the eligible
    judge with the fewest assignments (ties: lowest id), so the load is spread evenly.
    Re-running keeps existing assignments. Returns {"added": n, "short": [submission ids],
    "complete": submissions that already had all their judges}."""
    if actor is not None:
        require_manage(hackathon, actor)
    panel = judges()
    blocked = conflicted_pairs(hackathon, panel)
    submissions = list(db.session.scalars(select(Submission).where(
        Submission.hackathon_id == hackathon.id).order_by(Submission.id)))
    existing = db.session.execute(
        select(JudgeAssignment.submission_id, JudgeAssignment.judge_id)
        .join(Submission).where(Submission.hackathon_id == hackathon.id)).all()
    load = {j.id: 0 for j in panel}
    assigned = defaultdict(set)
    for submission_id, judge_id in existing:
        assigned[submission_id].add(judge_id)
        if judge_id in load:
            load[judge_id] += 1
    added, short, complete = 0, [], 0
    for submission in submissions:
        have = assigned[submission.id]
        if len(have) >= hackathon.judges_per_submission:
            complete += 1
        while len(have) < hackathon.judges_per_submission:
            candidates = [j for j in load if j not in have
                          and (j, submission.team_id) not in blocked]
            if not candidates:
                short.append(submission.id)
                break
            judge_id = min(candidates, key=lambda j: (load[j], j))
            db.session.add(JudgeAssignment(submission_id=submission.id, judge_id=judge_id))
            have.add(judge_id)
            load[judge_id] += 1
            added += 1
    db.session.flush()
    record("hackathon.judges_assigned", hackathon, actor=actor,
           after={"added": added, "short": short})
    return {"added": added, "short": short, "complete": complete,
            "submissions": len(submissions)}


def is_assigned(user, submission: Submission) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(JudgeAssignment.id).where(
        JudgeAssignment.submission_id == submission.id,
        JudgeAssignment.judge_id == user.id)) is not None


def queue_for(judge: User, hackathon: Hackathon) -> list[JudgeAssignment]:
    return list(db.session.scalars(
        select(JudgeAssignment).join(Submission)
        .where(JudgeAssignment.judge_id == judge.id, Submission.hackathon_id == hackathon.id)
        .order_by(JudgeAssignment.completed_at.is_not(None), JudgeAssignment.id)))


def judging_problem(hackathon: Hackathon) -> str | None:
    if hackathon.results_published:
        return _("Results are published; scores can no longer change.")
    if hackathon.judging_opens_at is None or hackathon.judging_closes_at is None:
        return _("The judging window has not been set.")
    if not within(utcnow(), hackathon.judging_opens_at, hackathon.judging_closes_at):
        return _("Scores can be given only during the judging window.")
    return None


def score_submission(judge: User, submission: Submission, marks: dict[int, tuple]) -> list:
    """`marks`: {criterion_id: (value, comment)} for EVERY criterion. All or nothing."""
    hackathon = db.session.get(Hackathon, submission.hackathon_id)
    assignment = db.session.scalar(select(JudgeAssignment).where(
        JudgeAssignment.submission_id == submission.id, JudgeAssignment.judge_id == judge.id))
    if assignment is None:
        raise Forbidden(_("This submission is not assigned to you."))
    # Share lock on the hackathon row (PostgreSQL): judges never wait for each other, but an
    # organiser changing the criteria waits for this score and then sees it (settings).
    db.session.execute(select(Hackathon.id).where(Hackathon.id == hackathon.id)
                       .with_for_update(read=True))
    problem = judging_problem(hackathon)
    if problem:
        raise Conflict(problem)
    criteria = criteria_of(hackathon)
    if not criteria:
        raise Conflict(_("The organisers have not set the judging criteria yet."))
    for criterion in criteria:
        value = (marks.get(criterion.id) or (None, ""))[0]
        if value is None:
            raise HackathonError(_("Give a score for “%(name)s”.",
                                   name=criterion.text_noted("name")))
        if not isinstance(value, int) or not criterion.scale_min <= value <= criterion.scale_max:
            raise HackathonError(_("The score for “%(name)s” must be between %(min)s and "
                                   "%(max)s.", name=criterion.text_noted("name"),
                                   min=criterion.scale_min, max=criterion.scale_max))
    existing = {s.criterion_id: s for s in db.session.scalars(select(Score).where(
        Score.submission_id == submission.id, Score.judge_id == judge.id))}
    now = utcnow()
    saved = []
    for criterion in criteria:
        value, comment = marks[criterion.id]
        score = existing.get(criterion.id) or Score(
            submission_id=submission.id, judge_id=judge.id, criterion_id=criterion.id)
        score.value, score.comment, score.scored_at = value, (comment or "").strip()[:5000], now
        db.session.add(score)
        saved.append(score)
    assignment.completed_at = now
    db.session.flush()
    record("hackathon.scored", submission, actor=judge,
           after={str(c.id): marks[c.id][0] for c in criteria})
    return saved


def progress(hackathon: Hackathon) -> dict:
    """Judging progress for the organiser: assignments made and completed."""
    total, done = db.session.execute(
        select(func.count(JudgeAssignment.id), func.count(JudgeAssignment.completed_at))
        .join(Submission).where(Submission.hackathon_id == hackathon.id)).one()
    return {"assignments": total or 0, "completed": done or 0}


def scores_for(submission: Submission) -> list[Score]:
    return list(db.session.scalars(
        select(Score).join(Criterion).where(Score.submission_id == submission.id)
        .order_by(Score.judge_id, Criterion.position, Criterion.id)))
