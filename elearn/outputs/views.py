"""Managing outputs (organisers, instructors, programme managers), downloading them, and the
activities' progress (programme managers). Thin: parse, call a service, render."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from wtforms import SelectChoice

from elearn.accounts.permissions import is_programme_manager, require
from elearn.events.models import Event, EventSession
from elearn.events.view_helpers import session_title
from elearn.extensions import db
from elearn.multilingual_forms import texts_from
from elearn.programme.models import Activity

from . import services
from .forms import ActionForm, OutputForm, VerdictForm
from .rules import may_manage_owner, may_see
from .services import files
from .view_helpers import found_output


def _owner_or_404(owner_type: str, owner_id: int):
    return services.owner_of(owner_type, owner_id) or abort(404)


def _attach_choices(owner) -> list[SelectChoice]:
    if isinstance(owner, Event):
        return [SelectChoice("", _("The whole event"))] + [
            SelectChoice(str(s.id), _("Session: %(title)s",
                                      title=Markup(session_title(s)).striptags()))
            for s in owner.sessions]
    return [SelectChoice("", _("This page's subject"))]


def _attached(owner, value: str):
    if value and isinstance(owner, Event):
        found = next((s for s in owner.sessions if str(s.id) == value), None)
        return found or abort(400)
    return owner


@login_required
def manage(owner_type: str, owner_id: int):
    owner = _owner_or_404(owner_type, owner_id)
    if not may_manage_owner(current_user, owner):
        abort(403)
    form = OutputForm()
    form.attach_to.choices = _attach_choices(owner)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            upload = form.file.data
            checked = None
            if upload and getattr(upload, "filename", None):
                checked = files.check_file(upload.stream, upload.filename)
            services.add_output(
                _attached(owner, form.attach_to.data), current_user, kind=form.kind.data,
                title=texts_from(form, "title"),
                language=form.language.data, published_on=form.published_on.data,
                visibility=form.visibility.data, file=checked, url=form.url.data or None)
            db.session.commit()
            flash(_("The output is added."), "success")
            return redirect(url_for(".manage", owner_type=owner_type, owner_id=owner_id))
        except services.OutputError as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
    elif form.is_submitted():
        status = 400
    return render_template(
        "outputs/manage.html", owner=owner, owner_type=owner_type, form=form, error=error,
        outputs=services.outputs_of_owner(owner), action_form=ActionForm(),
        max_mb=round(files.max_bytes() / (1024 * 1024), 1)), status


@login_required
def delete(output_id: int):
    output = found_output(output_id)
    require("manage", output)
    owner = output.owner
    owner_type = services.owner_type_of(owner)
    owner_id = owner.event_id if isinstance(owner, EventSession) else owner.id
    stored = services.delete_output(output, current_user)
    db.session.commit()
    files.discard(stored)  # after the commit: a failed one keeps the file with its record
    flash(_("The output is removed."), "success")
    return redirect(url_for(".manage", owner_type=owner_type, owner_id=owner_id))


def download(output_id: int):
    output = found_output(output_id)
    if not may_see(current_user, output):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(404)  # the same answer as for an output that does not exist
    if output.url:
        return redirect(output.url)
    try:
        return files.send(output)
    except FileNotFoundError:
        abort(410)


def _programme_manager_only():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not is_programme_manager(current_user):
        abort(403)
    return None


def progress():
    refused = _programme_manager_only()
    if refused is not None:
        return refused
    year = request.args.get("year", type=int)
    if year is not None and not 2000 <= year <= 2100:
        year = None
    rows = services.activity_progress(year)
    return render_template("outputs/progress.html", year=year, summary=services.overview(rows),
                           years=range(2022, 2027))


def activity_status(activity_id: int):
    refused = _programme_manager_only()
    if refused is not None:
        return refused
    activity = db.session.get(Activity, activity_id) or abort(404)
    progress = services.progress_of_activity(activity.id)
    form = VerdictForm()
    if request.method == "GET" and progress["decided"]:
        form.state.data, form.reason.data = progress["status"], progress["reason"]
    error, status = None, 200
    if form.validate_on_submit():
        try:
            services.set_verdict(activity, current_user, form.state.data, form.reason.data)
            db.session.commit()
            flash(_("The status of the activity is saved."), "success")
            return redirect(url_for("programme.activity", path_code=activity.path_code))
        except services.OutputError as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
    elif form.is_submitted():
        status = 400
    return render_template("outputs/activity_status.html", activity=activity, form=form,
                           progress=progress, error=error), status
