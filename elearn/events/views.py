"""Participants' pages: the catalogue, an event, registering and cancelling, my registrations."""

from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_time, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.permissions import can
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.i18n import viewer_timezone_name

from . import services
from .forms import (
    ATTENDANCE_LABELS,
    EVENT_STATUS_LABELS,
    KIND_LABELS,
    MODE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    ActionForm,
    RegisterForm,
    choices,
)
from .models import Event, EventStatus, Registration, RegistrationStatus

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.app_template_filter("in_event_zone")
def in_event_zone(value, tz_name: str, part: str = "datetime") -> str:
    """'Sun, Jan 17, 2027 9:00 AM' (or just the time) in a named zone, in the viewer's
    language: the day and hour people will read on their own clock."""
    if not value:
        return ""
    local = value.astimezone(ZoneInfo(tz_name))
    time_text = format_time(local, "short", rebase=False)
    if part == "time":
        return time_text
    return f"{format_skeleton('yMMMEd', local, locale=get_locale())} {time_text}"


@bp.app_template_filter("in_viewer_zone")
def in_viewer_zone(value, part: str = "datetime") -> str:
    return in_event_zone(value, viewer_timezone_name(), part) if value else ""


@bp.app_context_processor
def _labels():
    return {"current_app": current_app, "kind_labels": KIND_LABELS,
            "event_status_labels": EVENT_STATUS_LABELS, "mode_labels": MODE_LABELS,
            "attendance_labels": ATTENDANCE_LABELS, "status_labels": STATUS_LABELS,
            "role_labels": ROLE_LABELS}


def visible_event(event_id: int) -> Event:
    """The event, or 404 when it does not exist or is a draft the viewer may not manage."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if event.status == EventStatus.DRAFT and not can(current_user, "manage", event):
        abort(404)
    return event


@bp.get("/")
def catalogue():
    f = services.CatalogueFilter.from_args(request.args)
    page = min(request.args.get("page", 1, type=int) or 1, 10_000)  # OFFSET fits an integer
    pagination = services.catalogue_page(f, max(page, 1))
    return render_template("events/catalogue.html", pagination=pagination, f=f, now_utc=utcnow(),
                           programme_choices=services.programme_choices(str(get_locale())))


def _detail(event: Event, form: RegisterForm | None = None, status: int = 200):
    registration = services.registration_of(event, current_user)
    offered = services.modes_of(event)
    form = form or RegisterForm()
    form.mode.choices = choices((m, ATTENDANCE_LABELS[m]) for m in offered)
    seats = [(m, services.capacity_of(event, m), services.seats_left(event, m))
             for m in offered]
    problem = services.registration_window_problem(event)
    if not problem and current_user.is_authenticated and registration is None:
        problem = services.eligibility_problem(event, current_user)
    sessions = [s for s in event.sessions if not s.cancelled]
    return render_template(
        "events/detail.html", event=event, sessions=sessions, seats=seats, form=form,
        registration=registration, problem=problem, action_form=ActionForm(),
        viewer_zone=viewer_timezone_name(), hybrid=len(offered) > 1,
        can_manage=can(current_user, "manage", event),
    ), status


@bp.get("/<int:event_id>")
def detail(event_id: int):
    return _detail(visible_event(event_id))


@bp.post("/<int:event_id>/register")
@login_required
def register(event_id: int):
    event = visible_event(event_id)
    form = RegisterForm()
    form.mode.choices = choices((m, ATTENDANCE_LABELS[m]) for m in services.modes_of(event))
    if not form.validate_on_submit():
        return _detail(event, form, 400)
    try:
        reg = services.register(event, current_user, form.mode.data or None)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _detail(event, form, exc.status)
    db.session.commit()
    flash({
        RegistrationStatus.CONFIRMED: _("You are registered. A confirmation is on its way."),
        RegistrationStatus.WAITLISTED: _("The event is full: you are on the waiting list."),
        RegistrationStatus.PENDING: _("Your request was sent; the organisers will decide."),
    }[reg.status], "success")
    return redirect(url_for("events.detail", event_id=event.id), 303)


@bp.post("/<int:event_id>/cancel")
@login_required
def cancel(event_id: int):
    event = visible_event(event_id)
    form = ActionForm()
    reg = services.registration_of(event, current_user)
    if reg is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.cancel_registration(reg, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _detail(event, None, exc.status)
    db.session.commit()
    flash(_("Your registration was cancelled."), "success")
    target = request.form.get("next") or ""
    if target == "mine":
        return redirect(url_for("events.mine"), 303)
    return redirect(url_for("events.detail", event_id=event.id), 303)


@bp.get("/mine")
@login_required
def mine():
    regs = list(db.session.scalars(
        select(Registration).join(Event)
        .options(selectinload(Registration.event))
        .where(Registration.user_id == current_user.id)
        .order_by(Event.starts_at.desc().nulls_last(), Registration.id.desc())))
    return render_template("events/mine.html", registrations=regs, action_form=ActionForm(),
                           active={s for s in (RegistrationStatus.CONFIRMED,
                                               RegistrationStatus.PENDING,
                                               RegistrationStatus.WAITLISTED)})
