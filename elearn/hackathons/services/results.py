"""Ranking and results.

With z-score normalisation each judge's scores on a criterion are standardised over that
judge's own scores, then put back on the criterion's overall spread, so a harsh or generous
judge neither sinks nor lifts a team. A judge who gave the same score to everyone (std 0)
carries no information about order, and their raw score is used instead.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import fmean, pstdev

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.audit.services import record
from elearn.extensions import db
from elearn.mail.services import send_template

from ..judging_models import Criterion, Score, Submission
from ..models import Hackathon, Normalisation, Team
from .common import Conflict, link, utcnow
from .settings import criteria_of, require_manage

TIE_BREAK_RULE = _l("Ties are broken by the higher score on the highest-weighted criterion, "
                    "then by the earlier final submission time.")


@dataclass
class Ranked:
    submission: Submission
    total: float | None
    by_criterion: dict[int, float] = field(default_factory=dict)
    rank: int = 0
    challenge_rank: int = 0


def normalised_scores(hackathon: Hackathon, rows: list[tuple]) -> list[tuple]:
    """rows: (submission_id, judge_id, criterion_id, value) -> same with adjusted values."""
    if hackathon.normalisation != Normalisation.ZSCORE:
        return [(s, j, c, float(v)) for s, j, c, v in rows]
    per_judge = defaultdict(list)
    per_criterion = defaultdict(list)
    for _s, j, c, v in rows:
        per_judge[(j, c)].append(v)
        per_criterion[c].append(v)
    stats = {key: (fmean(vals), pstdev(vals)) for key, vals in per_judge.items()}
    overall = {c: (fmean(vals), pstdev(vals)) for c, vals in per_criterion.items()}
    adjusted = []
    for s, j, c, v in rows:
        mean, std = stats[(j, c)]
        if std == 0:
            adjusted.append((s, j, c, float(v)))
            continue
        centre, spread = overall[c]
        adjusted.append((s, j, c, centre + (v - mean) / std * spread))
    return adjusted


def _top_criterion(criteria: list[Criterion]) -> Criterion | None:
    if not criteria:
        return None
    return max(criteria, key=lambda c: (c.weight, -c.position, -c.id))


def ranking(hackathon: Hackathon) -> list[Ranked]:
    criteria = criteria_of(hackathon)
    weights = {c.id: c.weight for c in criteria}
    submissions = list(db.session.scalars(select(Submission).where(
        Submission.hackathon_id == hackathon.id)))
    rows = db.session.execute(
        select(Score.submission_id, Score.judge_id, Score.criterion_id, Score.value)
        .join(Submission).where(Submission.hackathon_id == hackathon.id)).all()
    collected = defaultdict(lambda: defaultdict(list))
    for s, _j, c, v in normalised_scores(hackathon, [tuple(r) for r in rows]):
        collected[s][c].append(v)
    entries = []
    for submission in submissions:
        by_criterion = {c: fmean(vals) for c, vals in collected[submission.id].items()
                        if c in weights}
        total = None
        if by_criterion:
            weight_sum = sum(weights[c] for c in by_criterion)
            total = sum(weights[c] * v for c, v in by_criterion.items()) / weight_sum
        entries.append(Ranked(submission, total, by_criterion))
    top = _top_criterion(criteria)
    entries.sort(key=lambda e: _order_key(e, top))
    for position, entry in enumerate(entries, start=1):
        entry.rank = position
    per_challenge = defaultdict(int)
    for entry in entries:
        per_challenge[entry.submission.challenge_id] += 1
        entry.challenge_rank = per_challenge[entry.submission.challenge_id]
    return entries


def _order_key(entry: Ranked, top: Criterion | None):
    unscored = entry.total is None
    top_score = entry.by_criterion.get(top.id, float("-inf")) if top else 0.0
    submitted: datetime = entry.submission.submitted_at
    return (unscored, -(entry.total or 0.0), -top_score, submitted, entry.submission.id)


def publication_problem(hackathon: Hackathon) -> str | None:
    if hackathon.results_published:
        return _("The results are already published.")
    if hackathon.results_at is None:
        return _("Set the results date first.")
    if utcnow() < hackathon.results_at:
        return _("Results can be published on or after the results date.")
    return None


def publish_results(hackathon: Hackathon, actor) -> list[Ranked]:
    require_manage(hackathon, actor)
    problem = publication_problem(hackathon)
    if problem:
        raise Conflict(problem)
    entries = fix_results(hackathon)
    record("hackathon.results_published", hackathon, actor=actor,
           after={"ranking": [[e.submission.team_id, e.rank, e.total] for e in entries]})
    _announce(hackathon, entries)
    return entries


def fix_results(hackathon: Hackathon) -> list[Ranked]:
    """Store the ranking on the submissions and mark the results published (no checks, no
    emails: publish_results is the rule; the demo loader calls this directly)."""
    entries = ranking(hackathon)
    for entry in entries:
        entry.submission.final_score = None if entry.total is None else round(entry.total, 4)
        entry.submission.final_rank = entry.rank
        entry.submission.challenge_rank = entry.challenge_rank
    hackathon.results_published_at = utcnow()
    return entries


def _announce(hackathon: Hackathon, entries: list[Ranked]) -> None:
    teams = {t.id: t for t in db.session.scalars(
        select(Team).where(Team.hackathon_id == hackathon.id)
        .options(selectinload(Team.members)))}
    results_link = link("hackathons.results", hackathon_id=hackathon.id)
    for entry in entries:
        team = teams.get(entry.submission.team_id)
        if team is None:
            continue
        for member in team.members:
            send_template(member.user, "email/hackathons/results",
                          lambda: _("Hackathon results are published"),
                          hackathon=hackathon, event=hackathon.event, team=team,
                          entry=entry, total=len(entries), link=results_link)


def winners(hackathon: Hackathon) -> dict:
    """After publication: {"overall": [top 3 submissions], "by_challenge": [(challenge, sub)]}"""
    published = list(db.session.scalars(
        select(Submission).where(Submission.hackathon_id == hackathon.id,
                                 Submission.final_rank.is_not(None),
                                 Submission.final_score.is_not(None))
        .order_by(Submission.final_rank)))
    by_challenge = [(s.challenge, s) for s in published if s.challenge_rank == 1]
    by_challenge.sort(key=lambda pair: (pair[0].position, pair[0].id))
    return {"overall": published[:3], "by_challenge": by_challenge}
