"""Team pages: my team, create, join by code or invitation, captain's tools, people looking
for a team."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from elearn.accounts.models import User
from elearn.accounts.permissions import can
from elearn.extensions import db

from . import services
from .forms import ActionForm, JoinForm, TeamForm
from .models import grouped_join_code
from .view_helpers import confirm_page, confirmed, get_hackathon, get_or_404, get_team, problem


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
    # A callable success message is worded after the action (it may name who was affected).
    flash(success() if callable(success) else success, "success")
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
    joined = {}

    def action():
        joined["team"] = services.join_with_code(hackathon, current_user, form.code.data)

    return _run(hackathon, action,
                success=lambda: _("You joined team %(team)s.", team=joined["team"].name),
                form_kwargs={"join_form": form})


def _captain_action(hackathon_id: int, team_id: int, action, success: str, confirm=None):
    """A team action; with `confirm` (team -> confirm_page arguments, or None when there is
    nothing to confirm) the first POST shows the confirmation page and only the second acts."""
    hackathon = get_hackathon(hackathon_id)
    team = get_team(hackathon, team_id)
    if not ActionForm().validate():
        abort(400)
    if confirm is not None and not confirmed() and can(current_user, "captain", team):
        details = confirm(team)
        if details is not None:
            return confirm_page(
                cancel_url=url_for(".my_team", hackathon_id=hackathon.id), **details)
    return _run(hackathon, lambda: action(team), success=success)


@login_required
def leave(hackathon_id: int, team_id: int):
    hackathon = get_hackathon(hackathon_id)
    team = get_team(hackathon, team_id)
    if not ActionForm().validate():
        abort(400)
    member = next((m for m in team.members if m.user_id == current_user.id), None)
    if member is not None and not confirmed():
        return confirm_page(cancel_url=url_for(".my_team", hackathon_id=hackathon.id),
                            **_confirm_leaving(team))
    return _run(hackathon, lambda: services.leave_team(team, current_user),
                success=_("You left the team."))


def _confirm_leaving(team) -> dict:
    """The last one out dissolves the team; a leaving captain hands it to the longest-standing
    member: both are said before, since neither can be undone from here."""
    others = sorted((m for m in team.members if m.user_id != current_user.id),
                    key=lambda m: (m.joined_at, m.id))
    if not others:
        what = _("You are the last member: team %(team)s will be dissolved.", team=team.name)
    elif team.captain_id == current_user.id:
        what = _("%(name)s will become the captain.", name=others[0].user.display_name)
    else:
        what = _("You will no longer see or edit the team's submission.")
    return {"title": _("Leave team %(team)s?", team=team.name),
            "consequences": [what, _("To come back you will need the join code.")],
            "confirm_label": _("Leave team")}


def _confirm_removal(team, user_id: int):
    member = next((m for m in team.members if m.user_id == user_id), None)
    if member is None or user_id == current_user.id:
        return None  # the service says why it cannot be done
    name = member.user.display_name
    return {
        "title": _("Remove %(name)s from team %(team)s?", name=name, team=team.name),
        "consequences": [
            _("%(name)s will no longer be a member of the team and will no longer see or edit "
              "its submission.", name=name),
            _("To come back, they will need the join code or a new invitation."),
        ],
        "confirm_label": _("Remove %(name)s", name=name),
        "refusals": [_("Submissions have closed; teams can no longer change.")]
        if services.submissions_closed(team.hackathon) else None,
    }


@login_required
def remove_member(hackathon_id: int, team_id: int, user_id: int):
    removed = {}

    def action(team):
        member = next((m for m in team.members if m.user_id == user_id), None)
        removed["name"] = member.user.display_name if member else ""
        return services.remove_member(team, current_user, user_id)

    return _captain_action(
        hackathon_id, team_id, action,
        lambda: _("%(name)s was removed from the team.", name=removed["name"]),
        confirm=lambda team: _confirm_removal(team, user_id))


@login_required
def hand_over(hackathon_id: int, team_id: int, user_id: int):
    return _captain_action(
        hackathon_id, team_id,
        lambda team: services.hand_over_captaincy(team, current_user, user_id),
        lambda: _("%(name)s is now the team captain.", name=_name_of(user_id)))


def _name_of(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.display_name if user else ""


def _confirm_lock(team):
    pending = services.pending_invitations(team)
    consequences = [_("Nobody else can join team %(team)s, with the join code or an "
                      "invitation, until you open it again.", team=team.name)]
    if pending:
        consequences.append(ngettext(
            "%(num)s invitation not yet accepted cannot be accepted while the team is locked.",
            "%(num)s invitations not yet accepted cannot be accepted while the team is locked.",
            pending))
    return {"title": _("Lock team %(team)s?", team=team.name), "consequences": consequences,
            "confirm_label": _("Lock the team"), "hidden": {"locked": "1"}}


@login_required
def lock(hackathon_id: int, team_id: int):
    locked = request.form.get("locked") == "1"
    return _captain_action(hackathon_id, team_id,
                           lambda team: services.set_locked(team, current_user, locked),
                           _("The team is locked: nobody else can join.") if locked
                           else _("The team is open again: people can join with the code."),
                           confirm=_confirm_lock if locked else None)


def _confirm_rotation(team):
    pending = services.pending_invitations(team)
    consequences = [_("The current code %(code)s stops working: anyone who has it but has not "
                      "joined yet will need the new one.", code=grouped_join_code(team.join_code))]
    if pending:
        consequences.append(ngettext(
            "%(num)s invitation not yet accepted stops working.",
            "%(num)s invitations not yet accepted stop working.", pending))
    consequences.append(_("Members already in the team stay in it."))
    return {"title": _("Change the join code of team %(team)s?", team=team.name),
            "consequences": consequences, "confirm_label": _("Change the join code")}


@login_required
def rotate_code(hackathon_id: int, team_id: int):
    return _captain_action(hackathon_id, team_id,
                           lambda team: services.rotate_join_code(team, current_user),
                           _("The join code was changed; the old code and earlier invitations "
                             "no longer work."),
                           confirm=_confirm_rotation)


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
    flash(_("You are on the list of people looking for a team: captains can see your "
            "discipline and skills and invite you.") if participant.looking_for_team
          else _("You are no longer on the list of people looking for a team."), "success")
    return redirect(url_for(".my_team", hackathon_id=hackathon.id))
