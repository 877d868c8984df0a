"""The organisers' survey page: settings, status, how many were invited and answered, and
"send invitations now". One page per evaluated thing (event, edition, hackathon)."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from elearn.events.services.events import EventError, local_to_utc, utc_to_local
from elearn.extensions import db

from . import owners
from .forms import OPENS_ON_DATE, OPENS_WHEN_ENDED, ActionForm, SettingsForm
from .models import SurveyInvitation, SurveyStatus
from .services import lifecycle
from .services.setup import SurveyError, attach, has_answers, opening_moment, update_settings

REFUSALS = {
    "anonymity-fixed": lambda: _("People have answered already: whether answers are anonymous "
                                 "can no longer change."),
    "reminder-range": lambda: _("Choose a number of days between 1 and 60."),
    "closes-before-opening": lambda: _("The survey must close after it opens."),
}


def _run(kind: str, owner_id: int):
    """(owner, survey) for someone who runs the owner; 404 / 403 otherwise."""
    owner = owners.load(kind, owner_id)
    if owner is None or (kind == "event" and owner.obj.kind in owners.NOT_SURVEYED_KINDS):
        abort(404)
    if not owners.runs(current_user, owner):
        abort(403)
    # Events and editions made before surveys existed get theirs when first looked at.
    survey = attach(kind, owner_id)
    db.session.commit()
    return owner, survey


def _counts(survey) -> dict:
    rows = dict(db.session.execute(
        select(SurveyInvitation.answered, func.count()).where(
            SurveyInvitation.survey_id == survey.id).group_by(SurveyInvitation.answered)).all())
    return {"invited": sum(rows.values()), "answered": rows.get(True, 0)}


def _back(owner) -> tuple[str, str]:
    if owner.kind == "event":
        return url_for("organise.dashboard", event_id=owner.obj.id), _("Event dashboard")
    if owner.kind == "edition":
        return url_for("courses.hub", edition_id=owner.obj.id), _("Staff page")
    return (url_for("hackathons.dashboard", hackathon_id=owner.obj.id),
            _("Hackathon dashboard"))


def _settings(kind: str, owner_id: int):
    owner, survey = _run(kind, owner_id)
    form = SettingsForm()
    answered = has_answers(survey)
    if form.validate_on_submit():
        try:
            opens_at = closes_at = None
            if form.opens.data == OPENS_ON_DATE:
                if form.opens_at.data is None:
                    raise SurveyError("opens-date-missing")
                opens_at = local_to_utc(form.opens_at.data, owner.timezone)
            if form.closes_at.data is not None:
                closes_at = local_to_utc(form.closes_at.data, owner.timezone)
            anonymous = survey.anonymous if answered else form.anonymous.data
            update_settings(survey, anonymous=anonymous, opens_at=opens_at,
                            closes_at=closes_at,
                            reminder_after_days=form.reminder_after_days.data,
                            actor=current_user)
        except EventError as refused:
            db.session.rollback()
            flash(str(refused), "error")
        except SurveyError as refused:
            db.session.rollback()
            flash(REFUSALS.get(str(refused), lambda: _("Give the opening date and time."))(),
                  "error")
        else:
            db.session.commit()
            flash(_("Survey settings saved."), "success")
            return redirect(url_for(f"surveys.{kind}_settings", **{f"{kind}_id": owner_id}))
    elif not form.is_submitted():
        form.anonymous.data = survey.anonymous
        form.opens.data = OPENS_ON_DATE if survey.opens_at else OPENS_WHEN_ENDED
        if survey.opens_at:
            form.opens_at.data = utc_to_local(survey.opens_at, owner.timezone)
        if survey.closes_at:
            form.closes_at.data = utc_to_local(survey.closes_at, owner.timezone)
        form.reminder_after_days.data = survey.reminder_after_days
    status = 400 if form.is_submitted() and form.errors else 200
    back_url, back_label = _back(owner)
    edit_url = (url_for("forms.edit", form_id=survey.form_id)
                if "forms.edit" in current_app.view_functions else None)
    results_url = (url_for("surveys.results", survey_id=survey.id)
                   if "surveys.results" in current_app.view_functions else None)
    return render_template(
        "surveys/settings.html", owner=owner, survey=survey, form=form,
        action_form=ActionForm(), counts=_counts(survey), answered=answered,
        opening=opening_moment(survey), send_url=url_for(f"surveys.{kind}_send",
                                                         **{f"{kind}_id": owner_id}),
        back_url=back_url, back_label=back_label, edit_url=edit_url,
        results_url=results_url), status


def _send(kind: str, owner_id: int):
    owner, survey = _run(kind, owner_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if survey.status == SurveyStatus.CLOSED:
        flash(_("The survey is closed: no more invitations go out."), "error")
    elif survey.status == SurveyStatus.OPEN:
        sent = lifecycle.invite_missing(survey)
        db.session.commit()
        flash(_("Invitations sent: %(num)d.", num=sent) if sent else
              _("Everyone who attended has been invited already."), "success")
    else:
        lifecycle.open_survey(survey)
        db.session.commit()
        flash(_("The survey is open and the invitations are on their way."), "success")
    return redirect(url_for(f"surveys.{kind}_settings", **{f"{kind}_id": owner_id}))


@login_required
def event_settings(event_id: int):
    return _settings("event", event_id)


@login_required
def edition_settings(edition_id: int):
    return _settings("edition", edition_id)


@login_required
def hackathon_settings(hackathon_id: int):
    return _settings("hackathon", hackathon_id)


@login_required
def event_send(event_id: int):
    return _send("event", event_id)


@login_required
def edition_send(edition_id: int):
    return _send("edition", edition_id)


@login_required
def hackathon_send(hackathon_id: int):
    return _send("hackathon", hackathon_id)


