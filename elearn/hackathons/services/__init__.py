"""Hackathon rules. Import from here: `from elearn.hackathons.services import ...`.

Topics: settings (organiser), registration, teams, withdrawal, submissions (+ uploads),
judging, results, dashboard.
"""

from .common import (
    Conflict,
    Forbidden,
    HackathonError,
    participant_of,
    registration_closed,
    submissions_closed,
    team_of,
)
from .dashboard import participation, publication_reach, teams_overview
from .judging import (
    assign_judges,
    declare_conflict,
    is_assigned,
    judges,
    judging_problem,
    progress,
    queue_for,
    score_submission,
    scores_for,
)
from .registration import (
    eligibility_problem,
    looking_for_team,
    register_participant,
    registration_problem,
)
from .results import TIE_BREAK_RULE, publication_problem, publish_results, ranking, winners
from .settings import (
    add_criterion,
    challenge_problem,
    create_hackathon,
    criteria_of,
    grant_extension,
    hackathon_for_event,
    organiser_overview,
    remove_challenge,
    remove_criterion,
    rubric_problem,
    save_challenge,
    to_local,
    to_utc,
    update_criterion,
    update_settings,
)
from .submissions import (
    deadline_for,
    save_submission,
    submission_of,
    submissions_of,
    versions_of,
    window_problem,
)
from .teams import (
    accept_invitation,
    composition_problem,
    create_team,
    discipline_count,
    hand_over_captaincy,
    invitation_by_token,
    invitation_problem,
    invite,
    join_team,
    join_with_code,
    leave_team,
    pending_invitations,
    remove_member,
    rotate_join_code,
    set_locked,
)
from .withdrawal import withdraw, withdrawal_problem

__all__ = [
    "TIE_BREAK_RULE", "Conflict", "Forbidden", "HackathonError", "accept_invitation",
    "add_criterion", "assign_judges", "composition_problem", "create_hackathon", "create_team",
    "criteria_of", "deadline_for", "declare_conflict", "discipline_count", "eligibility_problem",
    "grant_extension", "hackathon_for_event", "hand_over_captaincy", "invitation_by_token",
    "invitation_problem", "invite", "is_assigned", "join_team", "join_with_code", "judges",
    "judging_problem", "leave_team", "looking_for_team", "organiser_overview", "participant_of",
    "participation",
    "progress", "publication_problem", "publish_results", "queue_for", "ranking",
    "register_participant", "registration_closed", "registration_problem", "remove_challenge",
    "remove_member", "rotate_join_code", "save_challenge", "save_submission", "score_submission",
    "scores_for", "set_locked", "submission_of", "submissions_of", "team_of", "teams_overview",
    "to_local", "to_utc", "update_settings", "versions_of", "window_problem", "winners",
    "remove_criterion", "rubric_problem", "submissions_closed", "update_criterion", "withdraw",
    "withdrawal_problem", "pending_invitations", "publication_reach", "challenge_problem",
]
