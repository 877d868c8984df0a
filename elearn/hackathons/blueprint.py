"""The hackathons domain's URL map: every URL of /hackathons and the view that answers it.
Endpoint names are `hackathons.<name>` (templates and tests use them)."""

from flask import Blueprint

from . import judging_views, organiser_views, submission_views, team_views, views
from .models import grouped_join_code
from .view_helpers import country_label, in_hackathon_zone

bp = Blueprint("hackathons", __name__, url_prefix="/hackathons")
bp.add_app_template_filter(in_hackathon_zone, "hz")
bp.add_app_template_filter(grouped_join_code, "join_code")
bp.add_app_template_filter(country_label, "hackathon_country")

GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]
H = "/<int:hackathon_id>"
TEAM = H + "/teams/<int:team_id>"
SUBMISSION = H + "/submissions/<int:submission_id>"
JUDGING = H + "/judging/<int:submission_id>"
ORGANISE = H + "/organise"

# public and participant pages
bp.add_url_rule("/", "index", view_func=views.index, methods=GET)
bp.add_url_rule(H, "detail", view_func=views.detail, methods=GET)
bp.add_url_rule(H + "/register", "register", view_func=views.register, methods=BOTH)
bp.add_url_rule(H + "/withdraw", "withdraw", view_func=views.withdraw, methods=BOTH)
bp.add_url_rule(H + "/results", "results", view_func=views.results, methods=GET)
bp.add_url_rule(H + "/gallery", "gallery", view_func=views.gallery, methods=GET)
bp.add_url_rule(SUBMISSION, "submission", view_func=views.submission, methods=GET)
bp.add_url_rule(
    SUBMISSION + "/scores", "submission_scores", view_func=views.submission_scores, methods=GET
)
bp.add_url_rule(
    SUBMISSION + "/file", "submission_file", view_func=views.submission_file, methods=GET
)
# teams
bp.add_url_rule(H + "/team", "my_team", view_func=team_views.my_team, methods=GET)
bp.add_url_rule(H + "/teams", "create_team", view_func=team_views.create_team, methods=POST)
bp.add_url_rule(H + "/teams/join", "join_team", view_func=team_views.join_team, methods=POST)
bp.add_url_rule(TEAM + "/leave", "leave", view_func=team_views.leave, methods=POST)
bp.add_url_rule(
    TEAM + "/members/<int:user_id>/remove",
    "remove_member",
    view_func=team_views.remove_member,
    methods=POST,
)
bp.add_url_rule(
    TEAM + "/members/<int:user_id>/captain",
    "hand_over",
    view_func=team_views.hand_over,
    methods=POST,
)
bp.add_url_rule(TEAM + "/lock", "lock", view_func=team_views.lock, methods=POST)
bp.add_url_rule(
    TEAM + "/rotate-code", "rotate_code", view_func=team_views.rotate_code, methods=POST
)
bp.add_url_rule(H + "/looking", "looking", view_func=team_views.looking, methods=GET)
bp.add_url_rule(TEAM + "/invite/<int:user_id>", "invite", view_func=team_views.invite, methods=POST)
bp.add_url_rule("/invitations/<token>", "invitation", view_func=team_views.invitation, methods=BOTH)
bp.add_url_rule(
    H + "/looking-for-team", "toggle_looking", view_func=team_views.toggle_looking, methods=POST
)
# the team's submission
bp.add_url_rule(
    H + "/submission", "submission_form", view_func=submission_views.submission_form, methods=BOTH
)
# judges
bp.add_url_rule(H + "/judging", "judge_queue", view_func=judging_views.judge_queue, methods=GET)
bp.add_url_rule(JUDGING, "score", view_func=judging_views.score, methods=BOTH)
bp.add_url_rule(
    JUDGING + "/conflict",
    "declare_conflict",
    view_func=judging_views.declare_conflict,
    methods=POST,
)
# organisers
bp.add_url_rule(
    "/events/<int:event_id>/setup", "setup", view_func=organiser_views.setup, methods=BOTH
)
bp.add_url_rule(ORGANISE, "dashboard", view_func=organiser_views.dashboard, methods=GET)
bp.add_url_rule(
    ORGANISE + "/settings", "settings", view_func=organiser_views.settings, methods=BOTH
)
bp.add_url_rule(
    ORGANISE + "/challenges", "add_challenge", view_func=organiser_views.add_challenge, methods=POST
)
bp.add_url_rule(
    ORGANISE + "/challenges/<int:challenge_id>/delete",
    "delete_challenge",
    view_func=organiser_views.delete_challenge,
    methods=POST,
)
bp.add_url_rule(
    ORGANISE + "/criteria", "add_criterion", view_func=organiser_views.add_criterion, methods=POST
)
bp.add_url_rule(
    ORGANISE + "/criteria/<int:criterion_id>",
    "edit_criterion",
    view_func=organiser_views.edit_criterion,
    methods=BOTH,
)
bp.add_url_rule(
    ORGANISE + "/criteria/<int:criterion_id>/delete",
    "delete_criterion",
    view_func=organiser_views.delete_criterion,
    methods=POST,
)
bp.add_url_rule(
    ORGANISE + "/extensions",
    "grant_extension",
    view_func=organiser_views.grant_extension,
    methods=POST,
)
bp.add_url_rule(
    ORGANISE + "/assign-judges",
    "assign_judges",
    view_func=organiser_views.assign_judges,
    methods=POST,
)
bp.add_url_rule(ORGANISE + "/publish", "publish", view_func=organiser_views.publish, methods=POST)

blueprints = (bp,)
