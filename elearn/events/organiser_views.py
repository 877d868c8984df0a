"""Organisers' pages: my events, create/edit, agenda, publication, the dashboard of one event
with approvals, moves, exports and email to registrants."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.models import Role
from elearn.accounts.permissions import is_programme_manager, role_required
from elearn.accounts.services import country_choices
from elearn.extensions import db
from elearn.multilingual_forms import fill_language_fields, texts_from
from elearn.programme.services import activity_choices

from . import services
from .forms import ActionForm, EventForm, SessionForm
from .models import Event
from .view_helpers import managed_event, managed_session


def _event_form(event: Event | None = None) -> EventForm:
    form = EventForm(obj=event) if request.method == "GET" and event else EventForm()
    form.setup(activity_choices(str(get_locale())), country_choices(str(get_locale())))
    if request.method == "GET" and event:
        fill_language_fields(form, "title", event.title)
        fill_language_fields(form, "description", event.description)
        form.activity_id.data = str(event.activity_id or "")
        form.venue_country.data = event.venue_country or ""
        for name in ("registration_opens_at", "registration_closes_at"):
            value = getattr(event, name)
            getattr(form, name).data = services.utc_to_local(value, event.timezone) \
                if value else None
    return form


def _form_data(form: EventForm) -> dict:
    tz = form.timezone.data.strip()
    data = {name: getattr(form, name).data for name in (
        "kind", "activity_id", "mode", "language", "venue_name", "venue_address", "venue_city",
        "capacity_in_person", "capacity_online", "requires_approval",
        "public_officials_only")}
    data["timezone"] = tz
    data["title"] = texts_from(form, "title")
    data["description"] = texts_from(form, "description")
    data["venue_country"] = form.venue_country.data or None
    for name in ("eligible_countries", "eligible_subregions", "eligible_sectors"):
        data[name] = list(getattr(form, name).data or []) or None
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(form, name).data
        data[name] = services.local_to_utc(value, tz) if value else None
    return data


def _save_event(event: Event | None):
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            data = _form_data(form)
            if event is None:
                event = services.create_event(data, current_user)
            else:
                services.update_event(event, data, current_user)
        except services.EventError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_template("events/organise/edit.html", form=form, event=event), \
                exc.status
        db.session.commit()
        flash(_("The event was saved."), "success")
        return redirect(url_for("organise.dashboard", event_id=event.id), 303)
    status = 400 if form.errors else 200
    return render_template("events/organise/edit.html", form=form, event=event), status


@role_required(Role.ORGANISER)
def my_events():
    return render_template("events/organise/list.html",
                           events=services.events_organised_by(current_user),
                           every=is_programme_manager(current_user))


@role_required(Role.ORGANISER)
def new_event():
    return _save_event(None)


@login_required
def edit_event(event_id: int):
    return _save_event(managed_event(event_id))


def _act(event: Event, action, done: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(event, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organise.dashboard", event_id=event.id), 303)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("organise.dashboard", event_id=event.id), 303)


@login_required
def publish(event_id: int):
    return _act(managed_event(event_id), services.publish_event, _("The event is published."))


@login_required
def cancel(event_id: int):
    """Cancelling tells every registrant: first a confirmation page saying to how many people,
    and a refusal once the event has ended."""
    event = managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    problem = services.cancel_problem(event)
    if request.form.get("confirmed") != "1" or problem:
        n = services.people_to_tell(event)
        consequences = [
            _("The event is withdrawn from the catalogue and nobody can register any more."),
            ngettext("%(num)d registered person will be told by email; confirmed "
                     "participants also get the calendar cancellation.",
                     "%(num)d registered people will be told by email; confirmed "
                     "participants also get the calendar cancellation.", n),
            _("This cannot be undone."),
        ]
        return render_template(
            "core/confirm.html", title=_("Cancel the event?"), consequences=consequences,
            refusals=[problem] if problem else None,
            action=url_for("organise.cancel", event_id=event.id),
            confirm_label=_("Cancel the event"),
            cancel_url=url_for("organise.dashboard", event_id=event.id)), 409 if problem else 200
    n = services.people_to_tell(event)
    return _act(event, services.cancel_event,
                ngettext("The event is cancelled; %(num)d registered person is being told.",
                         "The event is cancelled; %(num)d registered people are being told.",
                         n))


@login_required
def complete(event_id: int):
    return _act(managed_event(event_id), services.complete_event,
                _("The event is marked completed."))


# --- agenda ---------------------------------------------------------------------------------

def _session_data(form: SessionForm) -> dict:
    data = {name: getattr(form, name).data for name in (
        "starts_local", "ends_local", "room", "speakers", "virtual_url")}
    data["title"] = texts_from(form, "title")
    return data


def _sessions_page(event: Event, form: SessionForm, status: int = 200):
    return render_template("events/organise/sessions.html", event=event, form=form,
                           sessions=event.sessions, action_form=ActionForm()), status


@login_required
def sessions(event_id: int):
    event = managed_event(event_id)
    form = SessionForm(main=event.language)
    if request.method == "GET":
        return _sessions_page(event, form)
    if not form.validate_on_submit():
        return _sessions_page(event, form, 400)
    try:
        services.add_session(event, _session_data(form), current_user)
    except services.EventError as exc:
        db.session.rollback()
        form.starts_local.errors = [exc.message]
        return _sessions_page(event, form, exc.status)
    db.session.commit()
    flash(_("The session was added."), "success")
    return redirect(url_for("organise.sessions", event_id=event.id), 303)


@login_required
def edit_session(session_id: int):
    session = managed_session(session_id)
    event = session.event
    form = SessionForm(obj=session, main=event.language) if request.method == "GET" \
        else SessionForm(main=event.language)
    if request.method == "GET":
        fill_language_fields(form, "title", session.title)
        form.starts_local.data = services.utc_to_local(session.starts_at, event.timezone)
        form.ends_local.data = services.utc_to_local(session.ends_at, event.timezone)
    elif form.validate_on_submit():
        try:
            services.update_session(session, _session_data(form), current_user)
        except services.EventError as exc:
            db.session.rollback()
            form.starts_local.errors = [exc.message]
            return render_template("events/organise/session_edit.html", form=form,
                                   event=event, session=session), exc.status
        db.session.commit()
        flash(_("The session was saved."), "success")
        return redirect(url_for("organise.sessions", event_id=event.id), 303)
    status = 400 if form.errors else 200
    return render_template("events/organise/session_edit.html", form=form, event=event,
                           session=session), status


@login_required
def remove_session(session_id: int):
    session = managed_session(session_id)
    event_id = session.event_id
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.remove_session(session, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organise.sessions", event_id=event_id), 303)
    db.session.commit()
    flash(_("The session was removed."), "success")
    return redirect(url_for("organise.sessions", event_id=event_id), 303)

