"""Calendar files and subscriptions, the app's own join link, and the organiser's video page.

The join link (/events/<id>/join) is what invites carry; it checks the person's seat, records
the click and sends the browser on to the provider, so the provider can change freely.
"""

from datetime import timedelta

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.http import is_resource_modified, parse_date

from elearn.accounts.permissions import can, require
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.integrations.video import ProviderError

from . import calendar as ics
from .calendar_forms import PROVIDER_LABELS, ConfirmForm, VideoSettingsForm
from .models import (
    Event,
    EventMode,
    EventSession,
    EventStatus,
    JoinClick,
    Registration,
    RegistrationStatus,
    VideoProvider,
)
from .services.events import upcoming_session_after
from .video import (
    NoMeetingYet,
    choose_provider,
    join_url_for,
    organiser_join_url,
    provision_meeting,
)

ICS_MIMETYPE = "text/calendar; charset=utf-8"
ONE_SECOND = timedelta(seconds=1)


def _calendar_response(version: ics.Version, body, filename: str, *, cache: str,
                       attachment: bool = True):
    """The file at `version`, or a 304 when the client has it: calendar apps poll, and an
    unchanged file then costs them (and us) no body. By ETag (the version) or, for clients
    that only keep the date, by Last-Modified; If-None-Match wins when both are sent, and an
    If-Modified-Since that cannot be parsed is ignored. `body()` gives the bytes."""
    disposition = "attachment" if attachment else "inline"
    headers = {"Cache-Control": cache}
    now = utcnow()
    # HTTP dates have whole seconds: a date from this very second could hide a change made
    # later in it, so such a file goes out with its ETag only.
    last_modified = version.last_modified
    if last_modified is not None and last_modified > now - ONE_SECOND:
        last_modified = None
    environ = request.environ
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    if since is not None and since > now:  # a date in the future is invalid (RFC 9110 13.1.3)
        environ = {k: v for k, v in environ.items() if k != "HTTP_IF_MODIFIED_SINCE"}
    # Weak: two workers building the same version at once differ in DTSTAMP only.
    if not is_resource_modified(environ, etag=version.key, last_modified=last_modified):
        response = make_response("", 304, headers)
        del response.headers["Content-Type"]
    else:
        response = make_response(body(), 200, {
            **headers, "Content-Type": ICS_MIMETYPE,
            "Content-Disposition": f'{disposition}; filename="{filename}"'})
    response.set_etag(version.key, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified
    return response


def event_ics(event_id: int):
    locale = str(get_locale())
    found = ics.event_version(event_id, locale)
    if found is None:
        abort(404)
    status, version = found
    # A cancelled event keeps its file, now with cancelled entries; a draft is its staff's.
    public = status != EventStatus.DRAFT
    if not public and not can(current_user, "manage", db.session.get(Event, event_id)):
        abort(404)
    response = _calendar_response(version, lambda: ics.event_body(event_id, locale, version),
                                  f"event-{event_id}.ics",
                                  cache="public, max-age=300" if public else "private, no-store")
    response.vary.update(("Accept-Language", "Cookie"))  # worded in the viewer's language
    return response


def feed(token: str):
    user = ics.user_for_feed_token(token)
    if user is None:
        abort(404)
    version = ics.feed_version(user)
    # Short: clients poll anyway, and a change of agenda should show within minutes.
    return _calendar_response(version, lambda: ics.feed_body(user, version), "my-events.ics",
                              cache="private, max-age=300", attachment=False)


@login_required
def feed_settings():
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        ics.revoke_feed(current_user)
        db.session.commit()
        flash(_("Your old calendar link no longer works. Subscribe again with the new one "
                "below."), "success")
        return redirect(url_for(".feed_settings"), 303)
    subscription = ics.feed_for(current_user)
    db.session.commit()
    https_url = ics.feed_url(subscription.token)
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return render_template("calendar/feed_settings.html", form=form, https_url=https_url,
                           webcal_url=webcal_url)


# --- joining online -------------------------------------------------------------------------

def _refusal(event: Event, reg: Registration | None, session: EventSession | None,
             manages: bool) -> str | None:
    """Why this person may not join now, or None when they may."""
    if event.status == EventStatus.CANCELLED:
        return _("This event was cancelled, so there is no online meeting.")
    if session is not None and session.cancelled:
        return _("This session was cancelled.")
    if event.mode == EventMode.IN_PERSON:
        return _("This event takes place in person only; there is no online meeting to join.")
    if manages:
        return None
    if reg is None:
        return _("You are not registered for this event. Register on the event page first.")
    if reg.status == RegistrationStatus.WAITLISTED:
        return _("You are on the waiting list. You can join once the organisers confirm your "
                 "seat; we will email you.")
    if reg.status == RegistrationStatus.PENDING:
        return _("Your registration is waiting for the organisers' approval. You can join once "
                 "it is confirmed.")
    if reg.status != RegistrationStatus.CONFIRMED:
        return _("Your registration for this event is not active.")
    if not ics.is_online_seat(event, reg.mode):
        return _("Your seat is in person, at the venue. If you need to follow online, ask the "
                 "organisers to move you to an online seat.")
    return None


@login_required
def join(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    manages = can(current_user, "manage", event)
    if event.status == EventStatus.DRAFT and not manages:
        abort(404)
    session = None
    if "session" in request.args:
        session_id = request.args.get("session", type=int)
        in_range = 0 < (session_id or 0) < 2**31  # an id an INTEGER column can hold
        session = db.session.get(EventSession, session_id) if in_range else None
        if session is None or session.event_id != event.id:
            abort(404)
    reg = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == current_user.id))
    reason = _refusal(event, reg, session, manages)
    if reason:
        return render_template("calendar/join_refused.html", event=event, reason=reason,
                               event_page=url_for("events.detail", event_id=event.id)), 403
    seated = (reg is not None and reg.status == RegistrationStatus.CONFIRMED
              and ics.is_online_seat(event, reg.mode))
    if seated:
        # Recorded even if the provider then fails: it is evidence the person tried.
        db.session.add(JoinClick(registration_id=reg.id,
                                 session_id=session.id if session else None))
        db.session.commit()
    try:
        target = (join_url_for(reg, session) if seated
                  else organiser_join_url(event, current_user, session))
    except NoMeetingYet as exc:
        # Too early rather than broken: a 4xx page saying when the link will be there.
        db.session.commit()
        return render_template("calendar/join_unavailable.html", event=event,
                               message=str(exc), event_page=url_for("events.detail",
                                                                    event_id=event.id),
                               not_yet=True, next_session=session or upcoming_session_after(
                                   event)), 409
    except ProviderError as exc:
        db.session.commit()  # keep video_error for the organiser page
        page = render_template("calendar/join_unavailable.html", event=event,
                               message=str(exc),
                               event_page=url_for("events.detail", event_id=event.id))
        return page, 503, {"Retry-After": "60"}
    db.session.commit()
    return redirect(target, 302)


# --- the organiser's video page -------------------------------------------------------------

def _video_page(event: Event, form: VideoSettingsForm, status: int = 200):
    return render_template(
        "calendar/video_settings.html", event=event, form=form, retry_form=ConfirmForm(),
        labels=PROVIDER_LABELS, join_url=ics.join_url(event.id),
        back_url=url_for("organise.dashboard", event_id=event.id),
        provider=VideoProvider(event.video_provider),
    ), status


def _provision(event: Event, success: str, action=provision_meeting, **kwargs) -> None:
    try:
        action(event, **kwargs)
    except ProviderError as exc:
        flash(_("The settings are saved, but the online meeting could not be set up: "
                "%(error)s", error=str(exc)), "error")
    else:
        flash(success, "success")


@login_required
def video_settings(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    require("manage", event)
    if request.method == "GET":
        manual = event.video_url if event.video_provider == VideoProvider.MANUAL else ""
        form = VideoSettingsForm(data={"provider": VideoProvider(event.video_provider).value,
                                       "manual_url": manual})
        return _video_page(event, form)
    if request.form.get("action") == "retry":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        _provision(event, _("The online meeting is ready."))
    else:
        form = VideoSettingsForm()
        if not form.validate_on_submit():
            return _video_page(event, form, 400)
        _provision(event, _("Online meeting settings saved."), choose_provider,
                   provider=VideoProvider(form.provider.data),
                   manual_url=form.manual_url.data, actor=current_user)
    db.session.commit()
    return redirect(url_for(".video_settings", event_id=event.id), 303)
