"""Team pages: my team, create, join by code or invitation, captain's tools, people looking
for a team."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.extensions import db

from . import services
from .forms import ActionForm, JoinForm, TeamForm
from .view_helpers import get_hackathon, get_or_404, get_team, problem


def _team_page(hackathon, status=200, error=None, create_form=None, join_form=None):
    participant = services.participant_of(hackathon, current_user)
    if participant is None:
        return redirect(url_for(".register", hackathon_id=hackathon.id))
    team = services.team_of(hackathon, current_user)
    submission = services.submission_of(team) if team else None
    return render_template(
        "hackathons/team.html", hackathon=hackathon, participant=participant, team=team,
        submission=submission, error=error,
        composition=services.composition_problem(team) if team else None,
        create_form=create_form or TeamForm(formdata=None),
        join_form=join_form or JoinForm(formdata=None), action_form=ActionForm(),
        is_captain=bool(team and team.captain_id == current_user.id),
        registration_closed=services.registration_closed(hackathon),
        may_withdraw=not services.withdrawal_problem(hackathon),
    ), status


@login_required
def my_team(hackathon_id: int):
    return _team_page(get_hackathon(hackathon_id))


def _run(hackathon, action, *, success: str, form_kwargs=None):
    """Call a team service; commit and go back to the team page, or show why not."""
    try:
        action()
        db.session.commit()
    except services.HackathonError as exc:
        db.session.rollback()
        return _team_page(hackathon, status=exc.status, error=exc.message, **(form_kwargs or {}))
    flash(success, "success")
    return redirect(url_for(".my_team", hackathon_id=hackathon.id))


@login_required
def create_team(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    form = TeamForm()
    if not form.validate():
        return _team_page(hackathon, status=400, create_form=form)
    return _run(hackathon, lambda: services.create_team(hackathon, current_user, form.name.data),
                success=_("Your team is created and you are its captain."),
                form_kwargs={"create_form": form})


@login_required
def join_team(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    form = JoinForm()
    if not form.validate():
        return _team_page(hackathon, status=400, join_form=form)
    return _run(hackathon,
                lambda: services.join_with_code(hackathon, current_user, form.code.data),
                success=_("You joined the team."), form_kwargs={"join_form": form})


def _captain_action(hackathon_id: int, team_id: int, action, success: str):
    hackathon = get_hackathon(hackathon_id)
    team = get_team(hackathon, team_id)
    if not ActionForm().validate():
        abort(400)
    return _run(hackathon, lambda: action(team), success=success)


@login_required
def leave(hackathon_id: int, team_id: int):
    return _captain_action(hackathon_id, team_id,
                           lambda team: services.leave_team(team, current_user),
                           _("You left the team."))


@login_required
def remove_member(hackathon_id: int, team_id: int, user_id: int):
    return _captain_action(hackathon_id, team_id,
                           lambda team: services.remove_member(team, current_user, user_id),
                           _("The member was removed from the team."))


@login_required
def hand_over(hackathon_id: int, team_id: int, user_id: int):
    return _captain_action(
        hackathon_id, team_id,
        lambda team: services.hand_over_captaincy(team, current_user, user_id),
        _("The captaincy was handed over."))


@login_required
def lock(hackathon_id: int, team_id: int):
    locked = request.form.get("locked") == "1"
    return _captain_action(hackathon_id, team_id,
                           lambda team: services.set_locked(team, current_user, locked),
                           _("The team is locked.") if locked else _("The team is open again."))


@login_required
def rotate_code(hackathon_id: int, team_id: int):
    return _captain_action(hackathon_id, team_id,
                           lambda team: services.rotate_join_code(team, current_user),
                           _("The join code was changed; earlier invitations no longer work."))


@login_required
def looking(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    if (services.participant_of(hackathon, current_user) is None
            and not can(current_user, "manage", hackathon)):
        abort(403)
    team = services.team_of(hackathon, current_user)
    return render_template(
        "hackathons/looking.html", hackathon=hackathon,
        people=services.looking_for_team(hackathon), team=team, form=ActionForm(),
        is_captain=bool(team and team.captain_id == current_user.id))


@login_required
def invite(hackathon_id: int, team_id: int, user_id: int):
    hackathon = get_hackathon(hackathon_id)
    team = get_team(hackathon, team_id)
    invitee = get_or_404(User, user_id)
    if not ActionForm().validate():
        abort(400)
    try:
        services.invite(team, current_user, invitee)
        db.session.commit()
    except services.HackathonError as exc:
        db.session.rollback()
        return problem(exc, back=url_for(".looking", hackathon_id=hackathon.id))
    flash(_("Invitation sent to %(name)s.", name=invitee.display_name), "success")
    return redirect(url_for(".looking", hackathon_id=hackathon.id))


@login_required
def invitation(token: str):
    found = services.invitation_by_token(token) or abort(404)
    hackathon = get_hackathon(found.team.hackathon_id)
    form = ActionForm()
    if request.method == "POST" and form.validate():
        try:
            services.accept_invitation(found, current_user)
            db.session.commit()
        except services.HackathonError as exc:
            db.session.rollback()
            return problem(exc, back=url_for(".my_team", hackathon_id=hackathon.id))
        flash(_("You joined the team."), "success")
        return redirect(url_for(".my_team", hackathon_id=hackathon.id))
    issue = services.invitation_problem(found, current_user)
    return render_template("hackathons/invitation.html", hackathon=hackathon, invitation=found,
                           issue=issue, form=form), (409 if issue else 200)


@login_required
def toggle_looking(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    participant = services.participant_of(hackathon, current_user) or abort(403)
    if not ActionForm().validate():
        abort(400)
    participant.looking_for_team = request.form.get("looking") == "1"
    db.session.commit()
    return redirect(url_for(".my_team", hackathon_id=hackathon.id))
