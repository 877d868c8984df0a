"""Organiser pages: set up a hackathon for an event, settings, challenges, criteria, judge
assignment, extensions, results publication, and the dashboard."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from elearn.accounts.permissions import require
from elearn.events.models import Event
from elearn.extensions import db
from elearn.multilingual_forms import fill_language_fields, texts_from

from . import services
from .forms import ActionForm, ChallengeForm, CriterionForm, ExtensionForm, SettingsForm
from .judging_models import Criterion
from .models import Challenge
from .services.settings import DATE_FIELDS, SETTING_FIELDS
from .view_helpers import (
    confirm_page,
    confirmed,
    get_hackathon,
    get_or_404,
    get_team,
    in_hackathon_zone,
    problem,
)


def _managed(hackathon_id: int):
    hackathon = get_hackathon(hackathon_id)
    require("manage", hackathon)
    return hackathon


@login_required
def setup(event_id: int):
    event = get_or_404(Event, event_id)
    require("manage", event)
    existing = services.hackathon_for_event(event)
    if existing is not None:
        return redirect(url_for(".settings", hackathon_id=existing.id))
    form = ActionForm()
    if form.validate_on_submit():
        try:
            hackathon = services.create_hackathon(event, current_user)
            db.session.commit()
        except services.HackathonError as exc:
            db.session.rollback()
            return problem(exc, back=url_for(".index"))
        return redirect(url_for(".settings", hackathon_id=hackathon.id))
    return render_template("hackathons/organiser/setup.html", event=event, form=form)


def _dashboard(hackathon, status=200, **forms):
    extension_form = forms.get("extension_form") or ExtensionForm(formdata=None)
    teams = services.teams_overview(hackathon)
    counts = services.participation(hackathon)
    extension_form.team_id.choices = [(t.id, t.name) for t, _s in teams]
    return render_template(
        "hackathons/organiser/dashboard.html", hackathon=hackathon, teams=teams,
        counts=counts, progress=services.progress(hackathon),
        criteria=services.criteria_of(hackathon), action_form=ActionForm(),
        rubric_problem=services.rubric_problem(hackathon),
        challenge_form=forms.get("challenge_form") or ChallengeForm(
            formdata=None, main_language=hackathon.main_language),
        criterion_form=forms.get("criterion_form") or CriterionForm(
            formdata=None, main_language=hackathon.main_language),
        extension_form=extension_form, error=forms.get("error"),
        ranking=services.ranking(hackathon), tie_rule=services.TIE_BREAK_RULE,
        publication_problem=services.publication_problem(hackathon),
    ), status


@login_required
def dashboard(hackathon_id: int):
    return _dashboard(_managed(hackathon_id))


@login_required
def settings(hackathon_id: int):
    hackathon = _managed(hackathon_id)
    form = SettingsForm(data=None if _posted() else _settings_data(hackathon),
                        main_language=hackathon.main_language)
    error, status = None, 200
    if _posted():
        if form.validate():
            data = {k: getattr(form, k).data for k in SETTING_FIELDS if k != "rules"}
            data["rules"] = texts_from(form, "rules")
            try:
                services.update_settings(hackathon, data, current_user)
                db.session.commit()
                flash(_("The hackathon settings are saved."), "success")
                return redirect(url_for(".dashboard", hackathon_id=hackathon.id))
            except services.HackathonError as exc:
                db.session.rollback()
                error, status = exc.message, exc.status
        else:
            status = 400
    return render_template("hackathons/organiser/settings.html", hackathon=hackathon,
                           form=form, error=error), status


def _posted() -> bool:
    return request.method == "POST"


def _settings_data(hackathon) -> dict:
    data = {k: getattr(hackathon, k) for k in SETTING_FIELDS if k != "rules"}
    data.update({f"rules_{lang}": text for lang, text in (hackathon.rules or {}).items()})
    for key in DATE_FIELDS:
        data[key] = services.to_local(data[key], hackathon.timezone)
    data["normalisation"] = hackathon.normalisation.value
    return data


def _organiser_post(hackathon, form_name: str, form, action, success: str):
    if not form.validate():
        return _dashboard(hackathon, status=400, **{form_name: form})
    try:
        action()
        db.session.commit()
    except services.HackathonError as exc:
        db.session.rollback()
        return _dashboard(hackathon, status=exc.status, error=exc.message, **{form_name: form})
    flash(success() if callable(success) else success, "success")
    return redirect(url_for(".dashboard", hackathon_id=hackathon.id))


@login_required
def add_challenge(hackathon_id: int):
    hackathon = _managed(hackathon_id)
    form = ChallengeForm(main_language=hackathon.main_language)
    return _organiser_post(hackathon, "challenge_form", form,
                           lambda: services.save_challenge(hackathon, form.data, current_user),
                           _("The challenge is saved."))


def _back_to(hackathon, anchor: str) -> str:
    return url_for(".dashboard", hackathon_id=hackathon.id, _anchor=anchor)


@login_required
def delete_challenge(hackathon_id: int, challenge_id: int):
    hackathon = _managed(hackathon_id)
    challenge = get_or_404(Challenge, challenge_id)
    if challenge.hackathon_id != hackathon.id:
        abort(404)
    title = challenge.text_noted("title")
    if not confirmed():
        if not ActionForm().validate():
            abort(400)
        return confirm_page(
            title=_("Remove the challenge “%(title)s”?", title=title),
            consequences=[_("Teams will no longer be able to choose it for their submission."),
                          _("This cannot be undone.")],
            confirm_label=_("Remove the challenge"),
            cancel_url=_back_to(hackathon, "challenges"),
            refusals=[services.challenge_problem(challenge)])
    return _organiser_post(hackathon, "action_form", ActionForm(),
                           lambda: services.remove_challenge(challenge, current_user),
                           _("The challenge “%(title)s” was removed.", title=title))


@login_required
def add_criterion(hackathon_id: int):
    hackathon = _managed(hackathon_id)
    form = CriterionForm(main_language=hackathon.main_language)
    return _organiser_post(hackathon, "criterion_form", form,
                           lambda: services.add_criterion(hackathon, form.data, current_user),
                           _("The criterion is added."))


def _criterion_of(hackathon, criterion_id: int) -> Criterion:
    criterion = get_or_404(Criterion, criterion_id)
    if criterion.hackathon_id != hackathon.id:
        abort(404)
    return criterion


@login_required
def edit_criterion(hackathon_id: int, criterion_id: int):
    hackathon = _managed(hackathon_id)
    criterion = _criterion_of(hackathon, criterion_id)
    form = CriterionForm(main_language=hackathon.main_language)
    if not _posted():
        form.process(obj=criterion)
        fill_language_fields(form, "name", criterion.name)
    error, status = None, 200
    if _posted():
        if form.validate():
            try:
                services.update_criterion(criterion, form.data, current_user)
                db.session.commit()
                flash(_("The criterion is saved."), "success")
                return redirect(url_for(".dashboard", hackathon_id=hackathon.id))
            except services.HackathonError as exc:
                db.session.rollback()
                error, status = exc.message, exc.status
        else:
            status = 400
    return render_template("hackathons/organiser/criterion.html", hackathon=hackathon,
                           criterion=criterion, form=form, error=error,
                           frozen=services.rubric_problem(hackathon)), status


@login_required
def delete_criterion(hackathon_id: int, criterion_id: int):
    hackathon = _managed(hackathon_id)
    criterion = _criterion_of(hackathon, criterion_id)
    name = criterion.text_noted("name")
    if not confirmed():
        if not ActionForm().validate():
            abort(400)
        return confirm_page(
            title=_("Remove the criterion “%(name)s”?", name=name),
            consequences=[_("Judges will no longer score it and it will not count in the "
                            "ranking."), _("This cannot be undone.")],
            confirm_label=_("Remove the criterion"),
            cancel_url=_back_to(hackathon, "criteria"),
            refusals=[services.rubric_problem(hackathon)])
    return _organiser_post(hackathon, "action_form", ActionForm(),
                           lambda: services.remove_criterion(criterion, current_user),
                           _("The criterion “%(name)s” was removed.", name=name))


@login_required
def grant_extension(hackathon_id: int):
    hackathon = _managed(hackathon_id)
    form = ExtensionForm()
    form.team_id.choices = [(t.id, t.name) for t, _s in services.teams_overview(hackathon)]

    granted = {}

    def action():
        team = get_team(hackathon, form.team_id.data)
        granted["team"] = team.name
        granted["until"] = services.grant_extension(team, form.deadline.data, current_user,
                                                    form.reason.data).deadline

    return _organiser_post(
        hackathon, "extension_form", form, action,
        lambda: _("Team %(team)s may edit its submission until %(date)s.",
                  team=granted["team"], date=in_hackathon_zone(granted["until"], hackathon)))


@login_required
def assign_judges(hackathon_id: int):
    hackathon = _managed(hackathon_id)
    outcome = {}

    def action():
        outcome.update(services.assign_judges(hackathon, current_user))

    response = _organiser_post(hackathon, "action_form", ActionForm(), action,
                               lambda: _assignment_report(outcome))
    if outcome.get("short"):
        flash(ngettext(
            "%(num)s submission is still short of judges: every other judge has a conflict of "
            "interest with its team, or there are not enough judges. Add judges and assign "
            "again.",
            "%(num)s submissions are still short of judges: every other judge has a conflict "
            "of interest with their team, or there are not enough judges. Add judges and "
            "assign again.", len(outcome["short"])), "warning")
    return response


def _assignment_report(outcome: dict) -> str:
    """How many assignments were made and how many submissions already had their judges."""
    if not outcome.get("submissions"):
        return _("There are no submissions yet, so no judge was assigned.")
    added = outcome.get("added", 0)
    done = ngettext("%(num)s judge assignment made.", "%(num)s judge assignments made.", added)
    full = outcome.get("complete", 0)
    if full:
        done += " " + ngettext(
            "%(num)s submission already had all its judges and was left as it was.",
            "%(num)s submissions already had all their judges and were left as they were.",
            full)
    return done


@login_required
def publish(hackathon_id: int):
    hackathon = _managed(hackathon_id)
    if not confirmed():
        if not ActionForm().validate():
            abort(400)
        reach = services.publication_reach(hackathon)
        return confirm_page(
            title=_("Publish the results?"),
            consequences=[
                _("The ranking is fixed and shown to everyone on the results page and in the "
                  "submissions gallery."),
                ngettext("%(num)s team with a submission is told by email",
                         "%(num)s teams with a submission are told by email",
                         reach["teams"]) + " " + ngettext(
                    "(%(num)s person).", "(%(num)s people).", reach["people"]),
                _("This cannot be undone: scores and criteria can no longer change."),
            ],
            confirm_label=_("Publish results"),
            cancel_url=_back_to(hackathon, "results"),
            refusals=[services.publication_problem(hackathon)])
    return _organiser_post(hackathon, "action_form", ActionForm(),
                           lambda: services.publish_results(hackathon, current_user),
                           _("The results are published and the teams informed."))
