"""Submissions: one per team, editable by any member until the deadline (or the team's
extension), every save kept as a version. The deadline is compared on the server's clock in
UTC; a form carries the version it was loaded from, so a stale or replayed form is refused."""

from datetime import datetime
from urllib.parse import urlparse

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.audit.services import record
from elearn.extensions import db

from ..judging_models import Submission, SubmissionVersion
from ..models import Challenge, Hackathon, Team, TeamExtension
from . import uploads
from .common import Conflict, Forbidden, HackathonError, utcnow
from .teams import composition_problem

TEXT_LIMITS = {"title": 200, "summary": 5000, "problem": 5000}
SNAPSHOT_FIELDS = ("title", "challenge_id", "summary", "problem", "repository_url",
                   "video_url", "original_work", "file_stored_name", "file_original_name",
                   "file_type", "file_size")


def submission_of(team: Team) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.team_id == team.id))


def deadline_for(team: Team) -> datetime | None:
    """The team's own deadline: an organiser's extension, else the hackathon's."""
    extension = db.session.scalar(select(TeamExtension).where(TeamExtension.team_id == team.id))
    general = team.hackathon.submission_deadline
    if extension is not None and (general is None or extension.deadline > general):
        return extension.deadline
    return general


def window_problem(team: Team, now: datetime | None = None) -> str | None:
    now = now or utcnow()
    hackathon = team.hackathon
    if hackathon.submission_opens_at and now < hackathon.submission_opens_at:
        return _("Submissions are not open yet.")
    deadline = deadline_for(team)
    if deadline is not None and now >= deadline:
        return _("The submission deadline has passed; the submission can no longer be changed.")
    return None


def valid_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in value


def _clean(hackathon: Hackathon, data: dict) -> dict:
    clean = {}
    for key, limit in TEXT_LIMITS.items():
        value = (data.get(key) or "").strip()
        if not value:
            raise HackathonError({
                "title": _("The project title is required."),
                "summary": _("The summary is required."),
                "problem": _("Say which problem the project addresses."),
            }[key])
        if len(value) > limit:
            raise HackathonError(_("Text too long (at most %(n)s characters).", n=limit))
        clean[key] = value
    for key in ("repository_url", "video_url"):
        value = (data.get(key) or "").strip()
        if value and (len(value) > 500 or not valid_url(value)):
            raise HackathonError(_("Links must be full web addresses starting with http:// or "
                                   "https://."))
        clean[key] = value or None
    try:
        challenge = db.session.get(Challenge, int(data.get("challenge_id") or 0))
    except (TypeError, ValueError):
        challenge = None
    if challenge is None or challenge.hackathon_id != hackathon.id:
        raise HackathonError(_("Choose one of the hackathon's challenges."))
    clean["challenge_id"] = challenge.id
    if not data.get("original_work"):
        raise HackathonError(_("Declare that the project is your team's original work."))
    clean["original_work"] = True
    return clean


def save_submission(team: Team, user: User, data: dict, *,
                    file: "uploads.CheckedFile | None" = None,
                    expected_version: int | None = None) -> Submission:
    """Create or update the team's submission. Checks everything before writing anything."""
    submission = submission_of(team)
    if not can(user, "view", team) or not any(m.user_id == user.id for m in team.members):
        raise Forbidden(_("Only members of the team can change its submission."))
    problem = window_problem(team)
    if problem:
        raise Conflict(problem)
    clean = _clean(team.hackathon, data)
    problem = composition_problem(team)
    if problem:
        raise Conflict(problem)
    current = submission.version if submission else 0
    if expected_version is not None and expected_version != current:
        raise Conflict(_("Someone in your team saved a newer version meanwhile. Reload the "
                         "form to see it before changing it."))
    now = utcnow()
    before = _snapshot(submission) if submission else None
    if submission is None:
        submission = Submission(hackathon_id=team.hackathon_id, team_id=team.id, version=0)
        db.session.add(submission)
    for key, value in clean.items():
        setattr(submission, key, value)
    stored = None
    if file is not None:
        stored = uploads.store(file)
        submission.file_stored_name = stored
        submission.file_original_name = file.original_name
        submission.file_type = file.kind
        submission.file_size = len(file.data)
    submission.version = current + 1
    submission.submitted_at = now
    try:
        with db.session.begin_nested():
            db.session.flush()
            db.session.add(SubmissionVersion(
                submission_id=submission.id, number=submission.version, saved_by_id=user.id,
                saved_at=now, snapshot=_snapshot(submission)))
            db.session.flush()
    except IntegrityError:
        uploads.discard(stored)
        raise Conflict(_("Someone in your team saved a newer version meanwhile. Reload the "
                         "form to see it before changing it.")) from None
    record("hackathon.submission_saved", submission, actor=user, before=before,
           after=_snapshot(submission))
    return submission


def _snapshot(submission: Submission) -> dict:
    return {key: getattr(submission, key) for key in SNAPSHOT_FIELDS} | {
        "version": submission.version}


def versions_of(submission: Submission) -> list[SubmissionVersion]:
    return list(db.session.scalars(
        select(SubmissionVersion).where(SubmissionVersion.submission_id == submission.id)
        .options(selectinload(SubmissionVersion.saved_by))
        .order_by(SubmissionVersion.number.desc())))


def submissions_of(hackathon: Hackathon) -> list[Submission]:
    return list(db.session.scalars(
        select(Submission).where(Submission.hackathon_id == hackathon.id)
        .order_by(Submission.final_rank.is_(None), Submission.final_rank, Submission.id)))
