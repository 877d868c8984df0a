"""A survey's life, run by the scheduler every 15 minutes (elearn/jobs/schedule.py): open it
when the time comes and invite the people who attended, remind once those who have not
answered, close it at its closing date.

Every step claims its survey with a conditional UPDATE on the status (or on `reminded_at`)
inside the transaction that writes the invitations and queues the emails: when two schedulers
run at once, the second UPDATE matches no row (PostgreSQL waits for the first transaction and
reads the new status; SQLite lets one writer at a time), so one set of invitations goes out.

Invitations are written all at once, in a shuffled order and with one time for all, so
neither their ids nor their times say anything about the answers that come later.
"""

import random
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from elearn.accounts.models import User
from elearn.base_url import absolute_url
from elearn.db_types import utcnow
from elearn.events.models import EventStatus
from elearn.extensions import db
from elearn.mail.services import send_template

from .. import owners
from ..models import Survey, SurveyInvitation, SurveyStatus
from ..tokens import hash_of, token_for
from .setup import opening_moment

# Open for four weeks when the organisers gave no closing date.
DEFAULT_OPEN_FOR = timedelta(days=28)
WAITING = (SurveyStatus.DRAFT, SurveyStatus.SCHEDULED)


def run(now: datetime | None = None) -> dict:
    """The scheduler's task: every step that is due, each survey in its own transaction."""
    now = now or utcnow()
    done = {"opened": 0, "reminded": 0, "closed": 0}
    for survey_id in db.session.scalars(select(Survey.id).where(Survey.status.in_(WAITING))).all():
        survey = db.session.get(Survey, survey_id)
        if _due_to_open(survey, now) and open_survey(survey, now):
            done["opened"] += 1
        db.session.commit()
    due = db.session.scalars(select(Survey.id).where(
        Survey.status == SurveyStatus.OPEN, Survey.reminded_at.is_(None))).all()
    for survey_id in due:
        survey = db.session.get(Survey, survey_id)
        if survey.opened_at + timedelta(days=survey.reminder_after_days) <= now \
                and (survey.closes_at is None or survey.closes_at > now) \
                and remind(survey, now):
            done["reminded"] += 1
        db.session.commit()
    done["closed"] = close_due(now)
    db.session.commit()
    return done


def _due_to_open(survey: Survey, now: datetime) -> bool:
    owner = owners.of(survey)
    if owner is None or _called_off(owner):
        return False
    moment = opening_moment(survey)
    return moment is not None and moment <= now and (
        survey.closes_at is None or survey.closes_at > now)


def _called_off(owner: owners.Owner) -> bool:
    event = owner.obj if owner.kind == "event" else (
        owner.obj.event if owner.kind == "hackathon" else None)
    return event is not None and event.status == EventStatus.CANCELLED


def _claim(survey: Survey, values: dict, *conditions) -> bool:
    claimed = db.session.execute(
        update(Survey).where(Survey.id == survey.id, *conditions).values(**values)
        .execution_options(synchronize_session=False)).rowcount == 1
    if claimed:
        db.session.refresh(survey)
    return claimed


def open_survey(survey: Survey, now: datetime | None = None, *, notify: bool = True) -> bool:
    """Open it now and invite everyone who attended; False when another run already did.
    `notify=False` (the demo) writes the invitations without emailing anyone."""
    now = now or utcnow()
    values = {"status": SurveyStatus.OPEN, "opened_at": now}
    if survey.closes_at is None:
        values["closes_at"] = now + DEFAULT_OPEN_FOR
    if not _claim(survey, values, Survey.status.in_(WAITING)):
        return False
    invite_missing(survey, now, notify=notify)
    return True


def invite_missing(survey: Survey, now: datetime | None = None, *, notify: bool = True) -> int:
    """Invite the people who attended and were not invited yet (attendance recorded after the
    survey opened); returns how many. The survey must be open."""
    now = now or utcnow()
    owner = owners.of(survey)
    if owner is None or survey.status != SurveyStatus.OPEN:
        return 0
    invited = set(db.session.scalars(select(SurveyInvitation.user_id).where(
        SurveyInvitation.survey_id == survey.id)))
    people = [uid for uid in owners.attendees(owner) if uid not in invited]
    random.SystemRandom().shuffle(people)
    rows = [SurveyInvitation(survey_id=survey.id, user_id=uid,
                             token_hash=hash_of(token_for(survey.id, uid)), invited_at=now)
            for uid in people]
    db.session.add_all(rows)
    db.session.flush()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(people)))}
    for uid in people if notify else ():
        _send(survey, owner, users[uid], "invitation")
    return len(people)


def invitation_for(survey: Survey, user) -> SurveyInvitation | None:
    """The person's invitation; made now when the survey is open and they attended but were
    not invited (their attendance was recorded late). None when they may not answer."""
    found = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id == user.id))
    if found is not None or survey.status != SurveyStatus.OPEN:
        return found
    owner = owners.of(survey)
    if owner is None or not owners.attended(owner, user.id):
        return None
    found = SurveyInvitation(survey_id=survey.id, user_id=user.id,
                             token_hash=hash_of(token_for(survey.id, user.id)),
                             invited_at=survey.opened_at or utcnow())
    db.session.add(found)
    db.session.flush()
    return found


def remind(survey: Survey, now: datetime | None = None) -> bool:
    """Remind, once, everyone invited who has not answered."""
    now = now or utcnow()
    if not _claim(survey, {"reminded_at": now}, Survey.reminded_at.is_(None),
                  Survey.status == SurveyStatus.OPEN):
        return False
    owner = owners.of(survey)
    pending = db.session.scalars(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered.is_(False),
        SurveyInvitation.reminded_at.is_(None))).all()
    for invitation in pending:
        invitation.reminded_at = now
        _send(survey, owner, db.session.get(User, invitation.user_id), "reminder")
    return True


def close_due(now: datetime | None = None) -> int:
    now = now or utcnow()
    return db.session.execute(
        update(Survey).where(Survey.status == SurveyStatus.OPEN, Survey.closes_at <= now)
        .values(status=SurveyStatus.CLOSED, closed_at=now)
        .execution_options(synchronize_session=False)).rowcount


def _send(survey: Survey, owner: owners.Owner, user: User, template: str) -> None:
    link = absolute_url("surveys.answer", token=token_for(survey.id, user.id))
    if template == "reminder":
        def subject():
            return _("Reminder: your opinion on %(title)s", title=owner.title())
    else:
        def subject():
            return _("Your opinion on %(title)s", title=owner.title())
    send_template(user, f"email/surveys/{template}", subject, survey=survey, owner=owner,
                  link=link)
