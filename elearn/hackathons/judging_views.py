"""The judge's queue and score form."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.models import Role
from elearn.accounts.permissions import role_required
from elearn.extensions import db

from . import services
from .forms import ActionForm, ConflictForm
from .judging_models import Submission
from .view_helpers import get_hackathon, get_or_404, problem


@login_required
@role_required(Role.JUDGE)
def judge_queue(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    return render_template("hackathons/judge_queue.html", hackathon=hackathon,
                           assignments=services.queue_for(current_user, hackathon),
                           window_problem=services.judging_problem(hackathon))


def _assigned_submission(hackathon, submission_id: int) -> Submission:
    found = get_or_404(Submission, submission_id)
    if found.hackathon_id != hackathon.id:
        abort(404)
    if not services.is_assigned(current_user, found):
        abort(403)
    return found


def _marks(criteria) -> tuple[dict, str | None]:
    marks = {}
    for criterion in criteria:
        raw = (request.form.get(f"score_{criterion.id}") or "").strip()
        try:
            value = int(raw)
        except ValueError:
            return marks, _("Give a whole-number score for “%(name)s”.",
                            name=criterion.text_noted("name"))
        marks[criterion.id] = (value, request.form.get(f"comment_{criterion.id}", ""))
    return marks, None


@login_required
@role_required(Role.JUDGE)
def score(hackathon_id: int, submission_id: int):
    hackathon = get_hackathon(hackathon_id)
    submission = _assigned_submission(hackathon, submission_id)
    criteria = services.criteria_of(hackathon)
    form = ActionForm()
    error, status = None, 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        marks, error = _marks(criteria)
        status = 400 if error else 200
        if not error:
            try:
                services.score_submission(current_user, submission, marks)
                db.session.commit()
                flash(_("Your scores are saved."), "success")
                return redirect(url_for(".judge_queue", hackathon_id=hackathon.id))
            except services.HackathonError as exc:
                db.session.rollback()
                error, status = exc.message, exc.status
    mine = {s.criterion_id: s for s in services.scores_for(submission)
            if s.judge_id == current_user.id}
    return render_template(
        "hackathons/judge_score.html", hackathon=hackathon, submission=submission,
        criteria=criteria, mine=mine, form=form, conflict_form=ConflictForm(formdata=None),
        error=error, window_problem=services.judging_problem(hackathon),
        posted=request.form if request.method == "POST" else None), status


@login_required
@role_required(Role.JUDGE)
def declare_conflict(hackathon_id: int, submission_id: int):
    hackathon = get_hackathon(hackathon_id)
    submission = _assigned_submission(hackathon, submission_id)
    form = ConflictForm()
    if not form.validate():
        abort(400)
    try:
        services.declare_conflict(current_user, submission.team, form.reason.data or "")
        db.session.commit()
    except services.HackathonError as exc:
        db.session.rollback()
        return problem(exc, back=url_for(".judge_queue", hackathon_id=hackathon.id))
    flash(_("Conflict of interest recorded; the organisers will reassign this submission."),
          "success")
    return redirect(url_for(".judge_queue", hackathon_id=hackathon.id))
