"""Participants' pages: the catalogue, an event, registering and cancelling, my registrations."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.permissions import can
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms import answering
from elearn.i18n import viewer_timezone_name

from . import services
from .forms import ATTENDANCE_LABELS, STATUS_LABELS, ActionForm, RegisterForm, choices
from .models import Event, Registration, RegistrationStatus
from .view_helpers import visible_event


def catalogue():
    f = services.CatalogueFilter.from_args(request.args)
    page = min(request.args.get("page", 1, type=int) or 1, 10_000)  # OFFSET fits an integer
    pagination = services.catalogue_page(f, max(page, 1))
    return render_template("events/catalogue.html", pagination=pagination, f=f, now_utc=utcnow(),
                           programme_choices=services.programme_choices(str(get_locale())))


def _asked(event: Event, posted: bool = False):
    """The registration questions (version, fields): bound to the request when posted."""
    version = services.asked_version(event)
    if version is None:
        return None, None
    lang = str(get_locale())
    if posted:
        return version, answering.ask(version, lang, request.form, request.files)
    return version, answering.ask(version, lang)


def _detail(event: Event, form: RegisterForm | None = None, status: int = 200, asked=None):
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
    left = {m: free for m, _capacity, free in seats}
    # A full mode next to one with room: say so and offer the room, not only the waiting list.
    full = [m for m in offered if left[m] == 0]
    free = [m for m in offered if left[m] != 0]
    if full and free and registration is None and request.method == "GET":
        form.mode.data = free[0].value
    switch_to = []
    if registration is not None and len(offered) > 1 \
            and services.switch_problem(registration) is None:
        switch_to = [m for m in offered if m != registration.mode]
    return render_template(
        "events/detail.html", event=event, sessions=sessions, seats=seats, form=form,
        registration=registration, problem=problem, action_form=ActionForm(),
        viewer_zone=viewer_timezone_name(), hybrid=len(offered) > 1, full=full, free=free,
        switch_to=switch_to,
        can_manage=can(current_user, "manage", event),
        asked=asked if asked is not None else _asked(event)[1],
        answers=services.answers_of(registration, str(get_locale()), current_user)
        if registration is not None else [],
        may_change_answers=registration is not None
        and services.answers_problem(registration) is None,
    ), status


def detail(event_id: int):
    return _detail(visible_event(event_id))


@login_required
def register(event_id: int):
    event = visible_event(event_id)
    form = RegisterForm()
    form.mode.choices = choices((m, ATTENDANCE_LABELS[m]) for m in services.modes_of(event))
    version, asked = _asked(event, posted=True)
    valid = form.validate_on_submit()
    # Both checked, so every error shows at once; invalid answers write nothing.
    if asked is not None:
        valid = asked.validate() and valid
    if not valid:
        return _detail(event, form, 400, asked)
    try:
        reg = services.register_with_answers(event, current_user, form.mode.data or None,
                                             version, asked)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _detail(event, form, exc.status, asked)
    # Worded before the commit, which expires every object: read after it, the status, the
    # event and the person (for the language) would each cost a query again.
    message = {
        RegistrationStatus.CONFIRMED: _("You are registered. A confirmation is on its way."),
        RegistrationStatus.WAITLISTED: _("The event is full: you are on the waiting list."),
        RegistrationStatus.PENDING: _("Your request was sent; the organisers will decide."),
    }[reg.status]
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("events.detail", event_id=event_id), 303)


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


@login_required
def switch_mode(event_id: int):
    """The person moves their own registration to the other mode, keeping their place."""
    event = visible_event(event_id)
    reg = services.registration_of(event, current_user)
    if reg is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.switch_mode(reg, request.form.get("mode") or None, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _detail(visible_event(event_id), None, exc.status)
    db.session.commit()
    flash(_("Done: you are now registered %(mode)s (%(status)s).",
            mode=services.mode_label(reg.mode), status=STATUS_LABELS[reg.status]), "success")
    return redirect(url_for("events.detail", event_id=event.id), 303)


@login_required
def answers(event_id: int):
    """The person's answers to the registration questions, changed while registration is
    open (a person registered before the questions were added answers them here)."""
    event = visible_event(event_id)
    reg = services.registration_of(event, current_user)
    if reg is None:
        abort(404)
    problem = services.answers_problem(reg)
    if problem:
        flash(problem, "error")
        return redirect(url_for("events.detail", event_id=event.id), 303)
    version = services.asked_version(event)
    host = ActionForm()
    status = 200
    if request.method == "POST":
        asked = answering.ask(version, str(get_locale()), request.form, request.files,
                               response=reg.form_response)
        valid = host.validate_on_submit()
        if asked.validate() and valid:
            services.change_answers(reg, version, asked, current_user)
            db.session.commit()
            flash(_("Your answers were saved."), "success")
            return redirect(url_for("events.detail", event_id=event.id), 303)
        status = 400
    else:
        asked = answering.ask(version, str(get_locale()), response=reg.form_response)
    return render_template("events/answers.html", event=event, asked=asked,
                           host=host), status


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
