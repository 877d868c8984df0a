"""Answering a survey: from the email's personal link (no log-in: the link reached the
person's own mailbox) or, logged in, from the person's own pages. A link works once."""

from flask import abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.extensions import db
from elearn.forms.answering import ask

from . import owners
from .forms import AnswerForm
from .labels import STATUS_LABELS
from .models import SurveyInvitation, SurveyStatus
from .services import lifecycle
from .services.answers import AlreadyAnswered, NotOpen, invitation_by_token, is_open, submit
from .services.setup import survey_of


def _unavailable(code: int, title: str, message: str, owner=None):
    return render_template("surveys/unavailable.html", title=title, message=message,
                           owner=owner), code


def _answered(owner):
    return _unavailable(410, _("Already answered"),
                        _("This survey has already been answered with this invitation. "
                          "Thank you for taking part."), owner)


def _closed(owner, survey):
    if survey.status in (SurveyStatus.DRAFT, SurveyStatus.SCHEDULED):
        return _unavailable(409, _("Not open yet"),
                            _("This survey is not open yet. You will receive an email when "
                              "it opens."), owner)
    return _unavailable(410, _("Survey closed"),
                        _("This survey is closed and no longer takes answers."), owner)


def _answer(invitation, action: str):
    survey = invitation.survey
    owner = owners.of(survey)
    if invitation.answered:
        return _answered(owner)
    if not is_open(survey):
        return _closed(owner, survey)
    language = str(get_locale() or "en")
    version = survey.form.current_version
    host = AnswerForm()
    if request.method == "POST":
        asked = ask(version, language, request.form, request.files)
        if host.validate_on_submit() & asked.validate():
            try:
                submit(invitation, asked)
            except AlreadyAnswered:
                db.session.rollback()
                return _answered(owner)
            except NotOpen:
                db.session.rollback()
                return _closed(owner, survey)
            db.session.commit()
            return render_template("surveys/thanks.html", owner=owner, survey=survey)
        status = 400
    else:
        asked = ask(version, language)
        status = 200
    db.session.commit()  # an invitation made for a late attendance record
    return render_template("surveys/answer.html", owner=owner, survey=survey, asked=asked,
                           host=host, action=action,
                           multipart=any(q.type.value == "file"
                                         for q in version.questions)), status


def answer_by_link(token: str):
    invitation = invitation_by_token(token)
    if invitation is None:
        return _unavailable(404, _("Unknown survey link"),
                            _("This survey link is not valid. Check that you copied the "
                              "whole link from the email."))
    return _answer(invitation, url_for("surveys.answer", token=token))


def _answer_mine(kind: str, owner_id: int):
    survey = survey_of(kind, owner_id)
    if survey is None:
        abort(404)
    invitation = lifecycle.invitation_for(survey, current_user)
    if invitation is None:
        if survey.status != SurveyStatus.OPEN:
            return _closed(owners.of(survey), survey)
        return _unavailable(403, _("Not invited"),
                            _("This survey is for the people who attended."), owners.of(survey))
    return _answer(invitation, url_for(f"surveys.answer_{kind}", **{f"{kind}_id": owner_id}))


@login_required
def answer_event(event_id: int):
    return _answer_mine("event", event_id)


@login_required
def answer_edition(edition_id: int):
    return _answer_mine("edition", edition_id)


@login_required
def answer_hackathon(hackathon_id: int):
    return _answer_mine("hackathon", hackathon_id)


def survey_to_answer(kind: str, owner_id: int) -> str | None:
    """For the person's own pages (events "mine", courses "mine"): where to answer the survey
    of this event or edition, when it is open and theirs to answer."""
    if not current_user.is_authenticated:
        return None
    survey = survey_of(kind, owner_id)
    if survey is None or not is_open(survey):
        return None
    owner = owners.of(survey)
    found = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id == current_user.id))
    if found is not None:
        return None if found.answered else url_for(f"surveys.answer_{kind}",
                                                   **{f"{kind}_id": owner_id})
    if owner is None or not owners.attended(owner, current_user.id):
        return None
    return url_for(f"surveys.answer_{kind}", **{f"{kind}_id": owner_id})


def survey_helpers() -> dict:
    return {"survey_to_answer": survey_to_answer, "survey_status_labels": STATUS_LABELS}
