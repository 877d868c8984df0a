"""The organiser's side of a hackathon: its settings, challenges, criteria and extensions.

Dates are entered in the hackathon's time zone (the event's) and stored in UTC.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from elearn.accounts.permissions import can
from elearn.audit.services import record
from elearn.events.models import Event, EventKind
from elearn.extensions import db
from elearn.multilingual import LANGUAGE_NAMES

from ..judging_models import Criterion, Score, Submission
from ..models import Challenge, Hackathon, Normalisation, Team, TeamExtension
from .common import Conflict, Forbidden, HackathonError, given_texts, main_language_missing

DATE_FIELDS = ("registration_deadline", "submission_opens_at", "submission_deadline",
               "judging_opens_at", "judging_closes_at", "results_at")
SETTING_FIELDS = DATE_FIELDS + ("team_size_min", "team_size_max", "min_disciplines",
                                "rules", "judges_per_submission",
                                "normalisation")


def to_utc(value: datetime | None, tz_name: str) -> datetime | None:
    """A wall-clock time in the hackathon's zone (or an aware time) as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    from elearn.events.services.common import EventError
    from elearn.events.services.events import local_to_utc

    try:
        return local_to_utc(value, tz_name)
    except EventError as exc:
        raise HackathonError(exc.message) from None


def to_local(value: datetime | None, tz_name: str) -> datetime | None:
    from elearn.events.services.events import utc_to_local

    return None if value is None else utc_to_local(value, tz_name)


def require_manage(hackathon: Hackathon, actor) -> None:
    if not can(actor, "manage", hackathon):
        raise Forbidden(_("You do not have permission to manage this hackathon."))


def hackathon_for_event(event: Event) -> Hackathon | None:
    return db.session.scalar(select(Hackathon).where(Hackathon.event_id == event.id))


def organiser_overview(user) -> dict:
    """For the list page: the user's hackathons still in draft, and hackathon events they
    organise that have no hackathon settings yet (so they can set them up)."""
    from elearn.events.models import EventOrganiser, EventStatus

    if user is None or not getattr(user, "is_authenticated", False):
        return {"drafts": [], "to_set_up": []}
    mine = select(EventOrganiser.event_id).where(EventOrganiser.user_id == user.id)
    drafts = list(db.session.scalars(
        select(Hackathon).join(Event).where(Event.id.in_(mine),
                                            Event.status == EventStatus.DRAFT)))
    to_set_up = list(db.session.scalars(
        select(Event).outerjoin(Hackathon, Hackathon.event_id == Event.id)
        .where(Event.id.in_(mine), Event.kind == EventKind.HACKATHON,
               Event.status != EventStatus.CANCELLED, Hackathon.id.is_(None))
        .order_by(Event.id)))
    return {"drafts": drafts, "to_set_up": to_set_up}


def create_hackathon(event: Event, actor, **settings) -> Hackathon:
    if not can(actor, "manage", event):
        raise Forbidden(_("You do not have permission to manage this event."))
    if event.kind != EventKind.HACKATHON:
        raise HackathonError(_("Only an event of kind hackathon can hold a hackathon."))
    if hackathon_for_event(event) is not None:
        raise Conflict(_("This event already has hackathon settings."))
    # Column defaults apply only at INSERT; the checks need them now.
    hackathon = Hackathon(event=event, event_id=event.id, team_size_min=2, team_size_max=5,
                          min_disciplines=0, judges_per_submission=3,
                          normalisation=Normalisation.ZSCORE, rules={},
                          registration_deadline=event.registration_closes_at)
    _apply(hackathon, settings)
    db.session.add(hackathon)
    db.session.flush()
    record("hackathon.created", hackathon, actor=actor, after={"event_id": event.id})
    return hackathon


def _apply(hackathon: Hackathon, data: dict) -> None:
    tz = hackathon.event.timezone
    values = {k: v for k, v in data.items() if k in SETTING_FIELDS}
    if "rules" in data or any(f"rules_{lang}" in data for lang in LANGUAGE_NAMES):
        values["rules"] = given_texts(data, "rules")
        if values["rules"] and not values["rules"].get(hackathon.main_language):
            raise main_language_missing(_("The rules and terms"), hackathon)
    for key in DATE_FIELDS:
        if key in values:
            values[key] = to_utc(values[key], tz)
    merged = {k: values.get(k, getattr(hackathon, k)) for k in SETTING_FIELDS}
    _check(merged)
    for key, value in values.items():
        setattr(hackathon, key, value)


def _check(s: dict) -> None:
    lo, hi = s["team_size_min"] or 1, s["team_size_max"] or 1
    if lo < 1 or hi < lo:
        raise HackathonError(_("Team size: the minimum must be at least 1 and not above the "
                               "maximum."))
    if hi > 50:
        raise HackathonError(_("Team size: the maximum cannot be above 50."))
    disciplines = s["min_disciplines"] or 0
    if disciplines < 0 or disciplines > hi:
        raise HackathonError(_("The required number of disciplines cannot be above the "
                               "maximum team size."))
    if (s["judges_per_submission"] or 0) < 1:
        raise HackathonError(_("Each submission needs at least one judge."))
    if s["normalisation"] is not None:
        Normalisation(s["normalisation"])
    order = [(k, s[k]) for k in ("registration_deadline", "submission_deadline",
                                 "judging_opens_at", "judging_closes_at", "results_at")
             if s[k] is not None]
    for (_k1, a), (_k2, b) in zip(order, order[1:], strict=False):
        if b < a:
            raise HackathonError(_("The dates must follow each other: registration deadline, "
                                   "submission deadline, judging, results."))
    opens, closes = s["submission_opens_at"], s["submission_deadline"]
    if opens and closes and closes <= opens:
        raise HackathonError(_("Submissions must close after they open."))


def update_settings(hackathon: Hackathon, data: dict, actor) -> Hackathon:
    require_manage(hackathon, actor)
    before = {k: _plain(getattr(hackathon, k)) for k in SETTING_FIELDS if k in data}
    _apply(hackathon, data)
    record("hackathon.settings", hackathon, actor=actor, before=before,
           after={k: _plain(getattr(hackathon, k)) for k in before})
    return hackathon


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return dict(value)
    return value.value if hasattr(value, "value") else value


# --- challenges and criteria ---------------------------------------------------------------

def save_challenge(hackathon: Hackathon, data: dict, actor,
                   challenge: Challenge | None = None) -> Challenge:
    require_manage(hackathon, actor)
    title = {lang: text[:300] for lang, text in given_texts(data, "title").items()}
    if not title.get(hackathon.main_language):
        raise main_language_missing(_("The challenge's title"), hackathon)
    if challenge is None:
        challenge = Challenge(hackathon_id=hackathon.id, position=len(hackathon.challenges))
        hackathon.challenges.append(challenge)
    challenge.title, challenge.description = title, given_texts(data, "description")
    db.session.flush()
    record("hackathon.challenge_saved", challenge, actor=actor,
           after={"title": dict(challenge.title)})
    return challenge


def challenge_problem(challenge: Challenge) -> str | None:
    """Why this challenge can no longer be removed, or None."""
    used = db.session.scalar(select(Submission.id).where(Submission.challenge_id == challenge.id))
    if used is not None:
        return _("Teams have submitted to this challenge; it cannot be removed.")
    return None


def remove_challenge(challenge: Challenge, actor) -> None:
    require_manage(challenge.hackathon, actor)
    problem = challenge_problem(challenge)
    if problem:
        raise Conflict(problem)
    record("hackathon.challenge_removed", challenge, actor=actor,
           before={"title": dict(challenge.title)})
    db.session.delete(challenge)


def criteria_of(hackathon: Hackathon) -> list[Criterion]:
    return list(db.session.scalars(select(Criterion).where(
        Criterion.hackathon_id == hackathon.id).order_by(Criterion.position, Criterion.id)))


def _criterion_values(data: dict, hackathon: Hackathon) -> dict:
    """A criterion's fields from a form, checked: the one place for these rules, for adding
    and editing alike. Its name is required in the hackathon's language."""
    name = {lang: text[:200] for lang, text in given_texts(data, "name").items()}
    weight, lo, hi = data.get("weight"), data.get("scale_min"), data.get("scale_max")
    if not name.get(hackathon.main_language):
        raise main_language_missing(_("The criterion's name"), hackathon)
    if weight is None or weight <= 0:
        raise HackathonError(_("The weight must be above zero."))
    if lo is None or hi is None or hi <= lo:
        raise HackathonError(_("The top of the scale must be above its bottom."))
    return {"name": name, "weight": float(weight), "scale_min": int(lo), "scale_max": int(hi)}


def rubric_problem(hackathon: Hackathon) -> str | None:
    """Why the judging criteria can no longer change, or None. Once a judge has given a score,
    adding, re-weighting, re-scaling or removing a criterion would silently change rankings."""
    if hackathon.results_published:
        return _("Results are published; the criteria can no longer change.")
    scored = db.session.scalar(
        select(Score.id).join(Criterion, Criterion.id == Score.criterion_id)
        .where(Criterion.hackathon_id == hackathon.id).limit(1))
    if scored is not None:
        return _("Judges have already given scores, so the criteria are frozen: changing them "
                 "now would silently change the ranking.")
    return None


def _require_rubric_open(hackathon: Hackathon) -> None:
    """Lock the hackathon row (PostgreSQL) before looking for scores: a judge saving scores
    holds it in share mode (services.judging), so a score and a rubric change never cross."""
    db.session.execute(select(Hackathon.id).where(Hackathon.id == hackathon.id)
                       .with_for_update())
    problem = rubric_problem(hackathon)
    if problem:
        raise Conflict(problem)


def _criterion_audit(criterion: Criterion) -> dict:
    return {"name": dict(criterion.name), "weight": criterion.weight,
            "scale": [criterion.scale_min, criterion.scale_max]}


def add_criterion(hackathon: Hackathon, data: dict, actor) -> Criterion:
    require_manage(hackathon, actor)
    values = _criterion_values(data, hackathon)
    _require_rubric_open(hackathon)
    criterion = Criterion(hackathon_id=hackathon.id, position=len(criteria_of(hackathon)),
                          **values)
    db.session.add(criterion)
    db.session.flush()
    record("hackathon.criterion_added", criterion, actor=actor,
           after=_criterion_audit(criterion))
    return criterion


def update_criterion(criterion: Criterion, data: dict, actor) -> Criterion:
    hackathon = db.session.get(Hackathon, criterion.hackathon_id)
    require_manage(hackathon, actor)
    values = _criterion_values(data, hackathon)
    _require_rubric_open(hackathon)
    before = _criterion_audit(criterion)
    for key, value in values.items():
        setattr(criterion, key, value)
    db.session.flush()
    record("hackathon.criterion_updated", criterion, actor=actor, before=before,
           after=_criterion_audit(criterion))
    return criterion


def remove_criterion(criterion: Criterion, actor) -> None:
    hackathon = db.session.get(Hackathon, criterion.hackathon_id)
    require_manage(hackathon, actor)
    _require_rubric_open(hackathon)
    record("hackathon.criterion_removed", criterion, actor=actor,
           before=_criterion_audit(criterion))
    db.session.delete(criterion)
    db.session.flush()


# --- extensions ----------------------------------------------------------------------------

def grant_extension(team: Team, deadline: datetime, actor, reason: str = "") -> TeamExtension:
    hackathon = team.hackathon
    require_manage(hackathon, actor)
    deadline = to_utc(deadline, hackathon.timezone)
    if hackathon.submission_deadline and deadline <= hackathon.submission_deadline:
        raise HackathonError(_("An extension must end after the general submission deadline."))
    extension = db.session.scalar(select(TeamExtension).where(TeamExtension.team_id == team.id))
    before = None if extension is None else {"deadline": extension.deadline.isoformat()}
    if extension is None:
        extension = TeamExtension(team_id=team.id, deadline=deadline)
        db.session.add(extension)
    extension.deadline = deadline
    extension.reason = (reason or "").strip()[:500]
    extension.granted_by_id = actor.id
    db.session.flush()
    record("hackathon.extension_granted", team, actor=actor, before=before,
           after={"deadline": deadline.isoformat(), "reason": extension.reason})
    return extension
