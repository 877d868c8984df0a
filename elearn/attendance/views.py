"""Attendance pages: tickets, door check-in, roll call, self check-in and imports.
Thin: parse, ask accounts.permissions, call a service, render."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.permissions import can, require
from elearn.audit.services import record as audit
from elearn.db_types import utcnow
from elearn.events.models import Event, EventSession, Registration, RegistrationStatus
from elearn.extensions import db, limiter
from elearn.i18n import format_in_zone

from . import checkin, imports, rollcall, tickets
from . import window as attendance_window
from .forms import ImportForm, LateRecordingForm, ProviderImportForm, ScanForm, SelfCheckInForm
from .labels import STATUS_LABELS
from .models import AttendanceSource, AttendanceStatus
from .services import AttendanceError
from .view_helpers import error_page, event_title, managed_session, visible_session

# --- tickets ---------------------------------------------------------------------------------

def _ticket(registration_id: int) -> Registration:
    registration = db.get_or_404(Registration, registration_id)
    require("view", registration)
    if registration.status != RegistrationStatus.CONFIRMED:
        abort(Response(render_template(
            "error.html", code=409,
            message=_("There is a ticket only for a confirmed registration.")), 409))
    return registration


@login_required
def ticket(registration_id: int):
    registration = _ticket(registration_id)
    event = registration.event
    return render_template("attendance/ticket.html", registration=registration, event=event,
                           title=event_title(event), when=_when(event),
                           qr=tickets.qr_data_uri(registration),
                           door_code=checkin.display_door_code(checkin.door_code(registration)))


def _when(event: Event) -> str:
    return format_in_zone(event.starts_at, event.timezone, "medium") if event.starts_at else ""


@login_required
def ticket_pdf(registration_id: int):
    registration = _ticket(registration_id)
    event = registration.event
    pdf = tickets.ticket_pdf(registration, title=event_title(event), when=_when(event),
                             organisation=current_app.config["ORGANISATION_NAME"])
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="ticket-{registration.id}.pdf"'})


@login_required
def scan(token: str):
    """Where the QR leads when read by a phone's camera app: organisers land on check-in."""
    registration = checkin.registration_for_token(token)
    if registration is None:
        abort(404)
    if not can(current_user, "manage", registration.event):
        return render_template("error.html", code=403, message=_(
            "This code is read by the organisers at the entrance.")), 403
    sessions = [s for s in registration.event.sessions if not s.cancelled]
    if not sessions:
        abort(404)
    now = utcnow()
    session = next((s for s in sessions if s.ends_at >= now), sessions[-1])
    return redirect(url_for(".check_in", session_id=session.id, code=token))


# --- door check-in ---------------------------------------------------------------------------

def _notice(session) -> str:
    """When attendance opens or closed, for a page shown outside the session's window."""
    return attendance_window.describe(session, attendance_window.window(session))


def _check_in_page(session, form, *, found=None, error=None, status=200):
    return render_template("attendance/check_in.html", session=session, event=session.event,
                           title=event_title(session.event), form=form, found=found, error=error,
                           in_zone=format_in_zone, notice=_notice(session)), status


@login_required
def check_in(session_id: int):
    session = managed_session(session_id)
    form = ScanForm()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")
        if not form.code.data:
            return _check_in_page(session, form)
    elif not form.validate():
        return _check_in_page(session, form, status=400)
    try:
        found = checkin.look_up(session, form.code.data)
    except AttendanceError as exc:
        return _check_in_page(session, form, error=exc.message, status=exc.status)
    return _check_in_page(session, ScanForm(formdata=None), found=found)


@login_required
def confirm_check_in(session_id: int):
    session = managed_session(session_id)
    form = ScanForm()
    if not form.validate():
        return _check_in_page(session, form, status=400)
    try:
        scan_ = checkin.check_in(session, form.code.data, actor=current_user)
    except checkin.AlreadyCheckedIn as exc:
        db.session.rollback()
        at = format_in_zone(exc.scan.already_checked_in_at, session.event.timezone, "HH:mm")
        return _check_in_page(session, ScanForm(formdata=None), error=_(
            "%(name)s is already checked in at %(time)s.",
            name=exc.scan.registration.user.display_name, time=at), status=409)
    except AttendanceError as exc:
        db.session.rollback()
        return _check_in_page(session, ScanForm(formdata=None), error=exc.message,
                              status=exc.status)
    db.session.commit()
    flash(_("Checked in: %(name)s.", name=scan_.registration.user.display_name), "success")
    return redirect(url_for(".check_in", session_id=session.id))


# --- roll call -------------------------------------------------------------------------------

@login_required
def roll_call(session_id: int):
    session = managed_session(session_id)
    return _roll_call_page(session)


def _roll_call_page(session, *, late_form=None, status=200):
    found = attendance_window.window(session)
    return render_template("attendance/roll_call.html", session=session, event=session.event,
                           title=event_title(session.event), roster=rollcall.roster(session),
                           statuses=list(AttendanceStatus), labels=STATUS_LABELS,
                           window=found, notice=attendance_window.describe(session, found),
                           late_reason=attendance_window.late_reason(session),
                           late_form=late_form or LateRecordingForm(formdata=None)), status


@login_required
def record_late(session_id: int):
    """The organiser records attendance after the window closed: the reason, given once, is
    audited now and goes with every change they make to this session's attendance."""
    session = managed_session(session_id)
    form = LateRecordingForm()
    if attendance_window.window(session).state != attendance_window.AFTER:
        return error_page(AttendanceError(_("Attendance for this session is not closed: "
                                            "no reason is needed."), 409))
    if not form.validate():
        return _roll_call_page(session, late_form=form, status=400)
    reason = form.reason.data.strip()
    audit("attendance.late_recording", session, actor=current_user,
          after={"reason": reason})
    attendance_window.remember_late_reason(session, reason)
    db.session.commit()
    flash(_("You can record attendance of this session now. Your reason is kept in the audit "
            "log with every change."), "success")
    return redirect(url_for(".roll_call", session_id=session.id))


@login_required
def set_status(session_id: int, registration_id: int):
    session = managed_session(session_id)
    try:
        rollcall.set_status(session, registration_id, request.form.get("status", ""),
                            actor=current_user)
    except AttendanceError as exc:
        db.session.rollback()
        return error_page(exc)
    db.session.commit()
    return redirect(url_for(".roll_call", session_id=session.id) + f"#r{registration_id}")


@login_required
def mark_absent(session_id: int):
    session = managed_session(session_id)
    roster = rollcall.roster(session)
    missing = sum(1 for _reg, att in roster if att is None)
    if request.form.get("confirmed") != "1":
        return render_template(
            "core/confirm.html", title=_("Mark everyone not recorded as absent?"),
            consequences=[
                ngettext("%(num)d person with no status yet will be marked absent.",
                         "%(num)d people with no status yet will be marked absent.", missing),
                ngettext("%(num)d person already recorded keeps their status.",
                         "%(num)d people already recorded keep their status.",
                         len(roster) - missing)],
            action=url_for(".mark_absent", session_id=session.id),
            confirm_label=_("Mark them absent"),
            cancel_url=url_for(".roll_call", session_id=session.id))
    try:
        count = rollcall.mark_remaining_absent(session, actor=current_user)
    except AttendanceError as exc:
        db.session.rollback()
        return error_page(exc)
    db.session.commit()
    flash(_("%(done)d marked absent; %(kept)d skipped because they already had a status.",
            done=count, kept=len(roster) - count), "success")
    return redirect(url_for(".roll_call", session_id=session.id))


# --- self check-in ---------------------------------------------------------------------------

@login_required
def session_code(session_id: int):
    session = managed_session(session_id)
    code, error, status = None, None, 200
    if request.method == "POST":
        try:
            code, row = checkin.new_session_code(session, actor=current_user)
        except AttendanceError as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
        else:
            db.session.commit()
    row = checkin.current_code(session)
    return render_template("attendance/session_code.html", session=session, event=session.event,
                           title=event_title(session.event), code=code, current=row,
                           in_zone=format_in_zone, error=error, notice=_notice(session)), status


@login_required
@limiter.limit("10 per minute", methods=["POST"])
def self_check_in(session_id: int):
    session = visible_session(session_id)
    form = SelfCheckInForm()
    status, error = 200, None
    if request.method == "POST":
        if form.validate():
            try:
                checkin.self_check_in(session, current_user, form.code.data)
            except AttendanceError as exc:
                db.session.rollback()
                status, error = exc.status, exc.message
            else:
                db.session.commit()
                flash(_("You are checked in. Welcome!"), "success")
                return redirect(url_for(".self_check_in", session_id=session.id))
        else:
            status = 400
    return render_template("attendance/self_check_in.html", session=session,
                           event=session.event, title=event_title(session.event), form=form,
                           error=error, notice=_notice(session)), status


# --- imports ---------------------------------------------------------------------------------

@login_required
def import_report(session_id: int):
    session = managed_session(session_id)
    form, provider_form = ImportForm(), ProviderImportForm(prefix="provider")
    result, error, status = None, None, 200
    if request.method == "POST":
        chosen = provider_form if "provider-poll" in request.form else form
        if not chosen.validate():
            status = 400
        else:
            try:
                if chosen is provider_form:
                    result = imports.import_from_meeting(session, actor=current_user)
                else:
                    result = imports.import_attendance(
                        session, imports.parse_report(form.report.data.read()),
                        actor=current_user, min_share=form.min_share.data / 100,
                        source=AttendanceSource.CSV_IMPORT)
            except AttendanceError as exc:
                db.session.rollback()
                result, error, status = None, exc.message, exc.status
            else:
                db.session.commit()
    return render_template("attendance/import.html", session=session, event=session.event,
                           title=event_title(session.event), form=form, provider_form=provider_form,
                           result=result, error=error), status


@login_required
def event_sessions(event_id: int):
    event = db.get_or_404(Event, event_id)
    require("manage", event)
    sessions = db.session.scalars(select(EventSession).where(EventSession.event_id == event.id)
                                  .order_by(EventSession.starts_at)).all()
    return render_template("attendance/event.html", event=event, title=event_title(event),
                           sessions=[(s, attendance_window.window(s)) for s in sessions],
                           in_zone=format_in_zone)
