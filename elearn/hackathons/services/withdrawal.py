"""Withdrawing: a registered participant leaves the hackathon altogether.

The rules:
- Only a registered participant can withdraw, and only before the (general) submission
  deadline; after it, teams and participants are final and the organisers handle exceptions.
- A team member leaves the team exactly as with "Leave team" (services.teams): the member
  counter goes down by its atomic UPDATE, a captain hands over to the member who joined
  earliest, and the last member out dissolves the team — unless the team has a submission,
  which would be lost with it: then the withdrawal is refused and the person is asked to
  contact the organisers.
- The event registration is cancelled through the events domain (cancel_registration), so the
  seat is freed, the waiting list moves and the person gets the usual cancellation email, as
  for any event. A registration that is no longer active is left as it is.
- The participant record is deleted: they no longer count as taking part (dashboard,
  participation certificates) and may register again while registration is open.
- The other team members are not emailed: the domain sends no message on team changes
  (leaving, removal); they see the change on the team page.
- All or nothing: when any step refuses, nothing is written.
"""

from flask_babel import gettext as _

from elearn.accounts.models import User
from elearn.audit.services import record
from elearn.extensions import db

from ..models import Hackathon
from .common import (
    Conflict,
    HackathonError,
    require_participant,
    submissions_closed,
    team_of,
)
from .teams import leave_team


def withdrawal_problem(hackathon: Hackathon) -> str | None:
    if submissions_closed(hackathon):
        return _("The submission deadline has passed, so you can no longer withdraw. Please "
                 "contact the organisers.")
    return None


def withdraw(hackathon: Hackathon, user: User) -> None:
    from elearn.events.services.common import EventError

    participant = require_participant(hackathon, user)
    problem = withdrawal_problem(hackathon)
    if problem:
        raise Conflict(problem)
    team = team_of(hackathon, user)
    try:
        with db.session.begin_nested():
            if team is not None:
                leave_team(team, user)
            _cancel_event_registration(hackathon, user)
            record("hackathon.withdrawn", participant, actor=user,
                   before={"hackathon_id": hackathon.id, "team_id": getattr(team, "id", None),
                           "discipline": participant.discipline})
            db.session.delete(participant)
            db.session.flush()
    except EventError as exc:
        raise HackathonError(exc.message, status=exc.status) from None


def _cancel_event_registration(hackathon: Hackathon, user: User) -> None:
    from elearn.events.services.registration import (
        ACTIVE,
        cancel_registration,
        registration_of,
    )

    reg = registration_of(hackathon.event, user)
    if reg is not None and reg.status in ACTIVE:
        cancel_registration(reg, user)
