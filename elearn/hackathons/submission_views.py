"""The team's submission form."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.extensions import db

from . import services
from .forms import SubmissionForm
from .services import uploads
from .view_helpers import get_hackathon, problem


def _challenge_choices(hackathon) -> list[tuple[int, str]]:
    return [(c.id, c.text_noted("title")) for c in hackathon.challenges]


@login_required
def submission_form(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    team = services.team_of(hackathon, current_user)
    if team is None:
        # Not a dead end: say why and lead to where a team is made or joined.
        return problem(services.Forbidden(_("Only members of a team can submit a project: "
                                            "create or join a team first.")),
                       back=url_for(".my_team", hackathon_id=hackathon.id),
                       title=_("You are not in a team yet"))
    existing = services.submission_of(team)
    form = SubmissionForm(obj=existing if existing else None)
    form.challenge_id.choices = _challenge_choices(hackathon)
    if not form.is_submitted():
        form.version.data = existing.version if existing else 0
    error, status = None, 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            try:
                checked = None
                if form.file.data and form.file.data.filename:
                    checked = uploads.check_file(form.file.data.stream, form.file.data.filename)
                services.save_submission(
                    team, current_user, form.data, file=checked,
                    expected_version=_int(form.version.data))
                db.session.commit()
                flash(_("Your submission is saved."), "success")
                return redirect(url_for(".submission_form", hackathon_id=hackathon.id))
            except services.HackathonError as exc:
                db.session.rollback()
                error, status = exc.message, exc.status
    return render_template(
        "hackathons/submission_form.html", hackathon=hackathon, team=team, form=form,
        submission=existing, error=error, deadline=services.deadline_for(team),
        window_problem=services.window_problem(team),
        composition=services.composition_problem(team),
        versions=services.versions_of(existing) if existing else [],
        max_mb=round(uploads.max_bytes() / (1024 * 1024), 1)), status


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
