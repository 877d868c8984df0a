"""Public and participant pages: list, landing page, registration, withdrawal, results, gallery."""


from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.permissions import can
from elearn.events.models import Event
from elearn.extensions import db

from . import services
from .forms import RegisterForm, WithdrawForm
from .judging_models import Submission
from .models import Hackathon
from .services import uploads
from .view_helpers import VISIBLE, get_hackathon, get_or_404


def index():
    hackathons = list(db.session.scalars(
        select(Hackathon).join(Event).where(Event.status.in_(VISIBLE))
        .order_by(Event.starts_at.desc().nulls_last(), Hackathon.id.desc())))
    return render_template("hackathons/index.html", hackathons=hackathons,
                           **services.organiser_overview(current_user))


def detail(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    participant = services.participant_of(hackathon, current_user)
    return render_template(
        "hackathons/detail.html", hackathon=hackathon, participant=participant,
        team=services.team_of(hackathon, current_user),
        registration_problem=services.registration_problem(hackathon),
        may_withdraw=bool(participant) and not services.withdrawal_problem(hackathon),
        may_judge=current_user.is_authenticated and bool(
            services.queue_for(current_user, hackathon)),
        criteria=services.criteria_of(hackathon))


@login_required
def register(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    if services.participant_of(hackathon, current_user) is not None:
        flash(_("You are already registered for this hackathon."), "info")
        return redirect(url_for(".my_team", hackathon_id=hackathon.id))
    form = RegisterForm()
    blocker = (services.registration_problem(hackathon)
               or services.eligibility_problem(hackathon, current_user))
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                services.register_participant(
                    hackathon, current_user, discipline=form.discipline.data,
                    declaration=form.declaration.data, accept_terms=form.accept_terms.data,
                    skills=form.skills.data, looking_for_team=form.looking_for_team.data)
                db.session.commit()
                flash(_("You are registered for the hackathon. Now create or join a team."),
                      "success")
                return redirect(url_for(".my_team", hackathon_id=hackathon.id))
            except services.HackathonError as exc:
                db.session.rollback()
                error, status = exc.message, exc.status
        else:
            status = 400
    return render_template("hackathons/register.html", hackathon=hackathon, form=form,
                           blocker=blocker, error=error), status


@login_required
def withdraw(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    if services.participant_of(hackathon, current_user) is None:
        flash(_("You are not registered for this hackathon."), "info")
        return redirect(url_for(".detail", hackathon_id=hackathon.id))
    form = WithdrawForm()
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                services.withdraw(hackathon, current_user)
                db.session.commit()
                flash(_("You have withdrawn from the hackathon and your registration for the "
                        "event is cancelled."), "success")
                return redirect(url_for(".detail", hackathon_id=hackathon.id))
            except services.HackathonError as exc:
                db.session.rollback()
                error, status = exc.message, exc.status
        else:
            status = 400
    team = services.team_of(hackathon, current_user)
    return render_template("hackathons/withdraw.html", hackathon=hackathon, form=form,
                           team=team, error=error,
                           blocker=services.withdrawal_problem(hackathon)), status


def results(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    if not hackathon.results_published:
        return render_template("hackathons/results.html", hackathon=hackathon, winners=None)
    return render_template(
        "hackathons/results.html", hackathon=hackathon, winners=services.winners(hackathon),
        submissions=services.submissions_of(hackathon),
        tie_rule=services.TIE_BREAK_RULE)


def gallery(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    if not hackathon.results_published and not can(current_user, "manage", hackathon):
        abort(404)
    return render_template("hackathons/gallery.html", hackathon=hackathon,
                           submissions=services.submissions_of(hackathon))


def _visible_submission(hackathon: Hackathon, submission_id: int) -> Submission:
    submission = get_or_404(Submission, submission_id)
    if submission.hackathon_id != hackathon.id:
        abort(404)
    if not hackathon.results_published and not can(current_user, "view", submission):
        abort(404)
    return submission


def submission(hackathon_id: int, submission_id: int):
    hackathon = get_hackathon(hackathon_id)
    found = _visible_submission(hackathon, submission_id)
    show_scores = can(current_user, "view_scores", found)
    return render_template(
        "hackathons/submission.html", hackathon=hackathon, submission=found,
        scores=services.scores_for(found) if show_scores else None,
        criteria=services.criteria_of(hackathon))


@login_required
def submission_scores(hackathon_id: int, submission_id: int):
    """The team's scores and judges' comments: 404 to anyone else, and to the team itself
    until the results are published."""
    hackathon = get_hackathon(hackathon_id)
    found = get_or_404(Submission, submission_id)
    if found.hackathon_id != hackathon.id:
        abort(404)
    if not can(current_user, "view_scores", found):
        abort(404)
    return render_template("hackathons/scores.html", hackathon=hackathon, submission=found,
                           scores=services.scores_for(found),
                           criteria=services.criteria_of(hackathon))


def submission_file(hackathon_id: int, submission_id: int):
    hackathon = get_hackathon(hackathon_id)
    found = _visible_submission(hackathon, submission_id)
    if found.file_type not in uploads.MIME:
        abort(404)
    try:
        return uploads.send(found.file_stored_name, found.file_type,
                            found.file_original_name or f"submission.{found.file_type}")
    except FileNotFoundError:
        abort(404)
