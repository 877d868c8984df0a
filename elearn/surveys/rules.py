"""Who may run a survey: whoever runs what it evaluates (organisers of the event or hackathon,
instructors of the edition; the Secretariat and admins through those rules)."""

from elearn.accounts.permissions import object_rule

from . import owners
from .models import Survey


@object_rule("manage", Survey)
def may_manage_survey(user, survey: Survey) -> bool:
    owner = owners.of(survey)
    return owner is not None and owners.runs(user, owner)
