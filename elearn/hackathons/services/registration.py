"""Taking part: eligibility, the declaration, accepting the rules, and the event registration.

A hackathon participant is also registered (CONFIRMED) for the hackathon's event, so
attendance, statistics and certificates see them like any other event participant.
"""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from elearn.accounts.models import MemberState, User
from elearn.audit.services import record
from elearn.events.models import (
    AttendanceMode,
    EventMode,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db

from ..models import Declaration, Hackathon, HackathonParticipant
from .common import Conflict, Forbidden, HackathonError, participant_of, registration_closed, utcnow

MAX_DISCIPLINE = 120


def eligibility_problem(hackathon: Hackathon, user: User) -> str | None:
    """Why `user` may not take part, in words, or None. Reads the profile."""
    if not (user.institution or "").strip():
        return _("Add your institution to your profile to register for the hackathon.")
    if not user.country:
        return _("Add your country to your profile to register for the hackathon.")
    state = db.session.get(MemberState, user.country.upper())
    if state is None or not state.active:
        return _("The hackathon is open only to participants from the member states.")
    return None


def registration_problem(hackathon: Hackathon) -> str | None:
    if hackathon.event.status != EventStatus.PUBLISHED:
        return _("Registration is not open for this hackathon.")
    if registration_closed(hackathon):
        return _("Registration for this hackathon has closed.")
    return None


def register_participant(hackathon: Hackathon, user: User, *, discipline: str,
                         declaration: str, accept_terms: bool, skills: str = "",
                         looking_for_team: bool = False) -> HackathonParticipant:
    problem = registration_problem(hackathon)
    if problem:
        raise Conflict(problem)
    problem = eligibility_problem(hackathon, user)
    if problem:
        raise Forbidden(problem)
    discipline = (discipline or "").strip()
    if not discipline or len(discipline) > MAX_DISCIPLINE:
        raise HackathonError(_("Say which discipline you study or work in."))
    try:
        declared = Declaration(declaration)
    except ValueError:
        raise HackathonError(_("Declare whether you are a student or academic staff.")) from None
    if not accept_terms:
        raise HackathonError(_("You must accept the rules and terms to take part."))
    if participant_of(hackathon, user) is not None:
        raise Conflict(_("You are already registered for this hackathon."))
    now = utcnow()
    participant = HackathonParticipant(
        hackathon_id=hackathon.id, user_id=user.id, discipline=discipline,
        skills=(skills or "").strip()[:2000], declaration=declared,
        looking_for_team=looking_for_team, terms_accepted_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(participant)
            db.session.flush()
            _confirm_event_registration(hackathon, user)
    except IntegrityError:
        raise Conflict(_("You are already registered for this hackathon.")) from None
    record("hackathon.registered", participant, actor=user,
           after={"hackathon_id": hackathon.id, "discipline": discipline,
                  "declaration": declared.value, "terms_accepted_at": now.isoformat()})
    return participant


def _mode(hackathon: Hackathon) -> AttendanceMode:
    if hackathon.event.mode == EventMode.IN_PERSON:
        return AttendanceMode.IN_PERSON
    return AttendanceMode.ONLINE


def _confirm_event_registration(hackathon: Hackathon, user: User) -> Registration:
    """The Registration row for the event, CONFIRMED, taking a seat atomically."""
    from elearn.events.services.registration import take_seat

    event = hackathon.event
    reg = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id))
    if reg is not None and reg.status == RegistrationStatus.CONFIRMED:
        return reg
    mode = reg.mode if reg is not None else _mode(hackathon)
    if not take_seat(event, mode):
        raise Conflict(_("The hackathon is full."))
    before = None if reg is None else {"status": reg.status.value}
    if reg is None:
        reg = Registration(event_id=event.id, user_id=user.id, mode=mode,
                           status=RegistrationStatus.CONFIRMED)
        db.session.add(reg)
    reg.status = RegistrationStatus.CONFIRMED
    reg.decided_at = utcnow()
    reg.cancelled_at = None
    reg.waitlisted_at = None
    db.session.flush()
    record("event.registration", reg, actor=user, before=before,
           after={"status": "confirmed", "mode": mode.value, "via": "hackathon"})
    return reg


def set_looking_for_team(participant: HackathonParticipant, looking: bool) -> None:
    participant.looking_for_team = looking


def looking_for_team(hackathon: Hackathon) -> list[HackathonParticipant]:
    """Solo participants who said they want a team (those already in one are left out)."""
    from ..models import TeamMember

    in_team = select(TeamMember.user_id).where(TeamMember.hackathon_id == hackathon.id)
    return list(db.session.scalars(
        select(HackathonParticipant)
        .where(HackathonParticipant.hackathon_id == hackathon.id,
               HackathonParticipant.looking_for_team.is_(True),
               HackathonParticipant.user_id.not_in(in_team))
        .order_by(HackathonParticipant.discipline, HackathonParticipant.id)))
