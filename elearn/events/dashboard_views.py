"""The organiser's dashboard of one event (URLs on the `organise` blueprint): counts, waiting
list, approvals, the filterable list of registrations, moves, exports, email to registrants."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.accounts.services import country_name
from elearn.downloads.views import prepared
from elearn.extensions import db
from elearn.i18n import template_gettext

from . import downloads, services
from .forms import (
    ATTENDANCE_LABELS,
    MESSAGE_LANGUAGES,
    ROLE_LABELS,
    STATUS_LABELS,
    ActionForm,
    CancelForm,
    EmailForm,
    MoveForm,
    OrganiserForm,
    RejectForm,
    RoleForm,
    SpeakerForm,
)
from .hub import hub_links, session_links
from .models import InviteReply, Registration, RegistrationStatus
from .view_helpers import managed_event, managed_registration, url_with_id

PER_PAGE = 50


@login_required
def dashboard(event_id: int):
    event = managed_event(event_id, with_sessions=True)  # the hub lists them
    sensitive = services.reads_sensitive(event, current_user)
    f = services.RegistrationFilter.from_args(request.args, sensitive)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 10_000)  # OFFSET fits
    counts = services.status_counts(event)
    pagination = services.registrations_page(
        event, f, page, PER_PAGE, total=None if f.as_args() else sum(counts.values()))
    modes = services.modes_of(event)
    language = str(get_locale())
    labels = _labels(modes)
    return render_template(
        "events/organise/dashboard.html", event=event, f=f, pagination=pagination,
        counts=counts, modes=modes, statuses=list(RegistrationStatus),
        # The counts say whether there is anyone waiting or pending: no query for empty lists.
        waiting=services.waiting_list(event) if _any(counts, RegistrationStatus.WAITLISTED)
        else [],
        pending=services.pending_list(event) if _any(counts, RegistrationStatus.PENDING)
        else [],
        hub=hub_links(event, current_user), session_hub=session_links(event, current_user),
        # The forms' labels without building the forms: the page's POSTs carry csrf_token().
        speaker_labels=_field_labels(SpeakerForm, "email", "role", "mode"),
        organiser_labels=_field_labels(OrganiserForm, "email"),
        seats=[(m, services.capacity_of(event, m), services.seats_left(event, m))
               for m in modes],
        labels=labels, rows=_rows(pagination.items, modes, labels, language),
        answer_choices=services.answer_choices(event, language, sensitive),
        **template_gettext(),
    )


def _any(counts: dict, status: RegistrationStatus) -> bool:
    return any(n for (st, _mode), n in counts.items() if st == status.value)


def _field_labels(form, *names: str) -> dict[str, str]:
    """The labels of a form class's fields (each declared with its label first)."""
    return {name: str(getattr(form, name).args[0]) for name in names}


def _labels(modes) -> dict:
    """The page's labels translated once per page, not once per use (a lazy string translates
    on every use, each through several context look-ups)."""
    return {
        "mode": {m: str(label) for m, label in ATTENDANCE_LABELS.items()},
        "status": {s: str(label) for s, label in STATUS_LABELS.items()},
        "role": {r: str(label) for r, label in ROLE_LABELS.items()},
        "move": {m: _("Move to %(mode)s", mode=ATTENDANCE_LABELS[m]) for m in modes},
    }


def _rows(items, modes, labels: dict, language: str) -> list[tuple]:
    """The list's rows as plain tuples of what each cell shows: the template unpacks them into
    local names, with no attribute look-up, label look-up or function call per cell (with 50
    rows those were about a quarter of the page's rendering). Gender is not among them: never
    beside a name on a staff page."""
    url = url_with_id("organise.registration", "registration_id")
    countries: dict[str | None, str] = {}
    hybrid = len(modes) > 1
    rows = []
    for reg in items:
        if reg.country not in countries:
            countries[reg.country] = country_name(reg.country, language)
        moves = [(m.value, labels["move"][m]) for m in modes if m != reg.mode] \
            if hybrid and reg.status in services.ACTIVE else ()
        attending = reg.reply == InviteReply.ATTENDING \
            and reg.status == RegistrationStatus.CONFIRMED
        rows.append((url(reg.id), reg.name, reg.email, countries[reg.country],
                     labels["mode"][reg.mode], labels["status"][reg.status], attending,
                     labels["role"][reg.role], moves))
    return rows


def _decide(reg: Registration, action, done):
    """`done`: the message, or a function giving it once the action has run."""
    try:
        action()
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organise.dashboard", event_id=reg.event_id), 303)
    message = done() if callable(done) else done
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("organise.dashboard", event_id=reg.event_id), 303)


@login_required
def approve(registration_id: int):
    reg = managed_registration(registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = reg.user.display_name

    def done() -> str:
        # Approved beyond capacity means the waiting list, and the message says so.
        if reg.status == RegistrationStatus.WAITLISTED:
            return _("No seat was left: %(name)s went to the waiting list (approved, and "
                     "offered a seat as soon as one frees up).", name=name)
        return _("%(name)s was approved and has a seat.", name=name)

    return _decide(reg, lambda: services.approve(reg, current_user), done)


def _confirm_reject(reg: Registration, status: int = 200):
    return render_template(
        "core/confirm.html", title=_("Reject the registration of %(name)s?",
                                     name=reg.user.display_name),
        consequences=[_("%(name)s is told by email that the registration is not accepted, "
                        "with your reason.", name=reg.user.display_name),
                      _("They cannot register again for this event on their own.")],
        action=url_for("organise.reject", registration_id=reg.id),
        confirm_label=_("Reject"), reason="required",
        reason_label=_("Reason (sent to the person)"),
        cancel_url=url_for("organise.dashboard", event_id=reg.event_id)), status


@login_required
def reject(registration_id: int):
    """A confirmation page (with the reason the person will read), then the decision."""
    reg = managed_registration(registration_id)
    if request.method == "GET":
        return _confirm_reject(reg)
    form = RejectForm()
    if request.form.get("confirmed") != "1" or not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            abort(400)
        flash_needed = request.form.get("confirmed") == "1"
        if flash_needed:
            flash(_("Give a reason: the person will read it."), "error")
        return _confirm_reject(reg, 400 if flash_needed else 200)
    return _decide(reg, lambda: services.reject(reg, form.reason.data, current_user),
                   _("%(name)s was told the registration is not accepted.",
                     name=reg.user.display_name))


@login_required
def move(registration_id: int):
    reg = managed_registration(registration_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    return _decide(reg, lambda: services.move_mode(reg, form.mode.data, current_user),
                   _("%(name)s was moved.", name=reg.user.display_name))


def _registration_page(reg: Registration, cancel_form=None, status: int = 200):
    form = RoleForm(formdata=None)
    form.role.data = reg.role.value
    return render_template("events/organise/registration.html", reg=reg, event=reg.event,
                           answers=services.answers_of(reg, str(get_locale()), current_user),
                           role_form=form, cancel_form=cancel_form or CancelForm(formdata=None),
                           active=reg.status in services.ACTIVE), status


@login_required
def registration(registration_id: int):
    """One person's registration: their role in the event, and cancelling it."""
    return _registration_page(managed_registration(registration_id))


@login_required
def cancel_registration(registration_id: int):
    reg = managed_registration(registration_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _registration_page(reg, form, 400)
    return _decide(reg, lambda: services.cancel_for_participant(reg, form.reason.data,
                                                                current_user),
                   _("The registration of %(name)s was cancelled.",
                     name=reg.user.display_name))


@login_required
def set_role(registration_id: int):
    reg = managed_registration(registration_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _decide(reg, lambda: services.set_role(reg, form.role.data, current_user),
                   _("The role of %(name)s was changed.", name=reg.user.display_name))


@login_required
def add_speaker(event_id: int):
    event = managed_event(event_id)
    form = SpeakerForm()
    back = redirect(url_for("organise.dashboard", event_id=event.id) + "#panel", 303)
    if not form.validate_on_submit():
        flash(_("Enter a valid email address and role."), "error")
        return back
    try:
        reg = services.add_speaker(event, form.email.data, form.role.data, current_user,
                                   mode=form.mode.data or None)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    flash(_("%(name)s was added to the panel.", name=reg.user.display_name), "success")
    return back


@login_required
def add_organiser(event_id: int):
    event = managed_event(event_id)
    form = OrganiserForm()
    if not form.validate_on_submit():
        flash(_("Enter a valid email address."), "error")
        return redirect(url_for("organise.dashboard", event_id=event.id), 303)
    try:
        person = services.add_organiser(event, form.email.data, current_user)
    except services.EventError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("organise.dashboard", event_id=event.id), 303)
    db.session.commit()
    flash(_("%(name)s now co-organises this event.", name=person.display_name), "success")
    return redirect(url_for("organise.dashboard", event_id=event.id), 303)


@login_required
def export_csv(event_id: int):
    return _export(event_id, "csv")


@login_required
def export_xlsx(event_id: int):
    return _export(event_id, "xlsx")


def _export(event_id: int, fmt: str):
    """The list as filtered on the dashboard, prepared by a job (elearn.downloads)."""
    event = managed_event(event_id)
    return prepared(downloads.REGISTRATIONS, downloads.parameters(event, fmt, request.args),
                    downloads.filename(event, fmt))


@login_required
def email(event_id: int):
    """The message in the event's main language, and in any other the organiser writes: each
    person receives their language's version when there is one."""
    event = managed_event(event_id)
    form = EmailForm(main=event.language)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("events/organise/email.html", form=form, event=event,
                               languages=_message_languages(form.main), main=form.main,
                               sent=services.sent_messages(event)), status
    statuses = [RegistrationStatus(form.status.data)] if form.status.data else []
    n = services.email_registrants(event, form.versions(), statuses, current_user)
    db.session.commit()
    flash(_("Your message is on its way to %(n)s people.", n=n), "success")
    return redirect(url_for("organise.dashboard", event_id=event.id), 303)


def _message_languages(main: str) -> dict[str, str]:
    """The interface's languages, the event's main one first (the one required)."""
    names = {code: name for code, name in current_app.config["LANGUAGES"].items()
             if code in MESSAGE_LANGUAGES}
    return {main: names[main], **{c: n for c, n in names.items() if c != main}}


@login_required
def bulk_decide(event_id: int):
    """Approve or reject the ticked pending people: a confirmation page saying how many get a
    seat and how many go to the waiting list (or are told no), then the decisions and a
    message counting what was done and what was skipped and why."""
    event = managed_event(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    decision = request.form.get("decision", "")
    ids = request.form.getlist("registration")
    regs = services.selected_registrations(event, ids)
    back = url_for("organise.dashboard", event_id=event.id)
    if decision not in services.bulk.DECISIONS or not regs:
        flash(_("Tick at least one person, then choose a decision."), "error")
        return redirect(back, 303)
    reason = (request.form.get("reason") or "").strip()
    if request.form.get("confirmed") != "1" or (decision == "reject" and not reason):
        status = 400 if request.form.get("confirmed") == "1" else 200
        if status == 400:
            flash(_("Give a reason: the person will read it."), "error")
        return _confirm_bulk(event, regs, decision), status
    outcome = services.bulk_decide(event, regs, decision, current_user, reason=reason[:500])
    missing = len(set(ids)) - len(regs)
    if missing > 0:
        outcome.skipped[_("not a registration of this event")] += missing
    db.session.commit()
    flash(outcome.message(), "success" if outcome.done or outcome.waitlisted else "warning")
    return redirect(back, 303)


def _confirm_bulk(event, regs, decision: str):
    n = len(regs)
    if decision == "approve":
        seated, waiting = services.seat_forecast(event, regs)
        consequences = [
            ngettext("%(num)d person will be approved.", "%(num)d people will be approved.", n),
            ngettext("%(num)d of them gets a seat and a confirmation with the calendar "
                     "invitation.", "%(num)d of them get a seat and a confirmation with the "
                     "calendar invitation.", seated),
        ]
        if waiting:
            consequences.append(ngettext(
                "%(num)d goes to the waiting list: no seat is left for them.",
                "%(num)d go to the waiting list: no seat is left for them.", waiting))
        title, label, reason = _("Approve the selected people?"), _("Approve"), None
    else:
        consequences = [ngettext(
            "%(num)d person will be told by email that the registration is not accepted, "
            "with your reason.",
            "%(num)d people will be told by email that the registration is not accepted, "
            "with your reason.", n)]
        title, label, reason = _("Reject the selected people?"), _("Reject"), "required"
    skipped = sum(1 for r in regs if r.status != RegistrationStatus.PENDING
                  and not (decision == "reject" and r.status == RegistrationStatus.WAITLISTED))
    if skipped:
        consequences.append(ngettext(
            "%(num)d was already decided and will be skipped.",
            "%(num)d were already decided and will be skipped.", skipped))
    names = ", ".join(r.user.display_name for r in regs[:20]) + ("…" if n > 20 else "")
    consequences.append(_("Selected: %(names)s", names=names))
    return render_template(
        "core/confirm.html", title=title, consequences=consequences,
        action=url_for("organise.bulk_decide", event_id=event.id),
        hidden={"decision": decision, "registration": [str(r.id) for r in regs]},
        confirm_label=label, reason=reason, reason_label=_("Reason (sent to each person)"),
        cancel_url=url_for("organise.dashboard", event_id=event.id))
