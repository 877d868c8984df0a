"""The organiser's hub of one event: every page that runs the event (agenda, check-in,
attendance, statistics, certificates, emails, video, a hackathon's set-up) one click away from
its dashboard, listed only when the viewer may use it.

The pages belong to domains above events (attendance, stats, certificates, hackathons); they are
named here by endpoint, never imported, and a link is left out when its blueprint is absent.
Rights are asked through permissions.can(), the same rule each page applies itself.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _

from elearn.accounts.permissions import can
from elearn.db_types import utcnow

from .models import Event, EventKind, EventMode, EventSession, EventStatus
from .view_helpers import url_with_id


@dataclass
class HubLink:
    label: str
    url: str
    hint: str = ""


@dataclass
class SessionLinks:
    session: EventSession
    now: bool  # happening now: where an organiser at the door wants to be
    links: list[HubLink] = field(default_factory=list)


def _link(endpoint: str, label: str, hint: str = "", anchor: str = "", **values) -> HubLink | None:
    if endpoint not in current_app.view_functions:
        return None
    return HubLink(label, url_for(endpoint, **values) + anchor, hint)


def hub_links(event: Event, user) -> list[HubLink]:
    """The event's pages this person may open, in the order an event runs."""
    manages = can(user, "manage", event)
    wanted = []
    if manages:
        wanted += [
            _link("organise.dashboard", _("Registrations"),
                  _("Approve, waiting list, moves, exports"), anchor="#list", event_id=event.id),
            _link("organise.sessions", _("Agenda"), _("Sessions and times"), event_id=event.id),
            _link("attendance.event_sessions", _("Check-in and attendance"),
                  _("QR scan, roll call, self check-in code, imports"), event_id=event.id),
            _link("stats.event_dashboard", _("Statistics of this event"),
                  _("Participation by gender, country and sector"), event_id=event.id),
        ]
    if can(user, "certify", event):
        wanted.append(_link("certificates.manage", _("Certificates"),
                            _("Issue, download and revoke"), subject_type="event",
                            subject_id=event.id))
    if manages:
        wanted.append(_link("organise.email", _("Email registrants"), "", event_id=event.id))
        if event.kind not in (EventKind.HACKATHON, EventKind.LIVE_CLASS):
            wanted.append(_link("surveys.event_settings", _("Evaluation survey"),
                                _("Questions, dates, invitations"), event_id=event.id))
        if event.mode != EventMode.IN_PERSON:
            wanted.append(_link("calendar.video_settings", _("Video meeting"),
                                _("Provider and join link"), event_id=event.id))
        if event.kind == EventKind.HACKATHON:
            wanted.append(_link("hackathons.setup", _("Hackathon set-up"),
                                _("Challenges, criteria, teams and judging"),
                                event_id=event.id))
        wanted.append(_link("outputs.manage", _("Materials and outputs"),
                            _("Minutes, presentations, recordings"), owner_type="event",
                            owner_id=event.id))
        wanted += [
            _link("organise.edit_event", _("Edit details"), "", event_id=event.id),
            _link("events.detail", _("Public page"), "", event_id=event.id),
        ]
    return [link for link in wanted if link is not None]


def session_links(event: Event, user, now: datetime | None = None) -> list[SessionLinks]:
    """For each live session, the ways to take attendance in it (none before publication:
    nobody holds a ticket yet)."""
    if (event.status not in (EventStatus.PUBLISHED, EventStatus.COMPLETED)
            or not can(user, "manage", event)
            or "attendance.check_in" not in current_app.view_functions):
        return []
    now = now or utcnow()
    # Each way's label translated, and its URL made, once for all the sessions.
    ways = [(label, url_with_id(endpoint, "session_id"))
            for endpoint, label in (("attendance.check_in", _("Check-in")),
                                    ("attendance.roll_call", _("Roll call")),
                                    ("attendance.session_code", _("Self check-in code")),
                                    ("attendance.import_report", _("Import a report")))
            if endpoint in current_app.view_functions]
    found = []
    for session in event.sessions:
        if session.cancelled:
            continue
        entry = SessionLinks(session, session.starts_at <= now < session.ends_at)
        entry.links = [HubLink(label, url(session.id)) for label, url in ways]
        found.append(entry)
    return found
