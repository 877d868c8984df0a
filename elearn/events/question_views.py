"""An event's registration questions on the organiser's side (URLs on the `organise`
blueprint): adding them (then the form editor) and removing them. Reading the answers is on
the dashboard and each registration's page."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.extensions import db

from . import services
from .forms import ActionForm
from .view_helpers import managed_event


@login_required
def add_questions(event_id: int):
    event = managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    form = services.add_questions(event, current_user)
    db.session.commit()
    return redirect(url_for("forms.edit", form_id=form.id), 303)


@login_required
def remove_questions(event_id: int):
    event = managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.remove_questions(event, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Registration questions are no longer asked. Answers already given are "
                "kept with each registration."), "success")
    return redirect(url_for("organise.dashboard", event_id=event.id) + "#questions", 303)
