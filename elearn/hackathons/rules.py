"""Who may do what in a hackathon. Registered with accounts.permissions, asked through can()."""

from elearn.accounts.permissions import can, object_rule
from elearn.extensions import db
from elearn.forms.rules import register_owner

from .judging_models import Submission
from .models import Hackathon, Team
from .services.judging import is_assigned


@object_rule("manage", Hackathon, programme_manager=True)
def may_manage_hackathon(user, hackathon: Hackathon) -> bool:
    """The organisers of the hackathon's event (programme managers pass in can())."""
    return can(user, "manage", hackathon.event)


def is_member(user, team: Team) -> bool:
    return any(m.user_id == user.id for m in team.members)


@object_rule("captain", Team)
def may_captain(user, team: Team) -> bool:
    return team.captain_id == user.id


@object_rule("view", Team)
def may_view_team(user, team: Team) -> bool:
    return is_member(user, team) or can(user, "manage", team.hackathon)


@object_rule("edit", Submission)
def may_edit_submission(user, submission: Submission) -> bool:
    """Any member of the team (the deadline is a rule of the service, not a right)."""
    return is_member(user, submission.team)


@object_rule("view", Submission)
def may_view_submission(user, submission: Submission) -> bool:
    return (is_member(user, submission.team) or can(user, "manage", submission.team.hackathon)
            or is_assigned(user, submission))


@object_rule("view_scores", Submission)
def may_view_scores(user, submission: Submission) -> bool:
    """Organisers always; the team itself only once results are published."""
    if can(user, "manage", submission.team.hackathon):
        return True
    return submission.team.hackathon.results_published and is_member(user, submission.team)


# The hackathon's evaluation survey: its organisers build it and read the answers.
register_owner("hackathon", lambda hackathon_id: db.session.get(Hackathon, hackathon_id),
               "manage", sensitive=lambda user, h: can(user, "manage", h.event)
               and any(o.user_id == user.id for o in h.event.organisers))
