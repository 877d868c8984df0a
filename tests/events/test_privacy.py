"""The data download lists what the events domain holds about a person; erasure removes every
copy of their name and email from the events tables, revokes their calendar feed, and keeps the
statuses statistics count."""

from sqlalchemy import select

from elearn.accounts.services import erase_user, export_data
from elearn.events import calendar, services
from elearn.events.models import (
    AttendanceMode,
    CalendarFeed,
    EventSession,
    JoinClick,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db

NAME, EMAIL = "Rosa Quispe Mamani", "rosa.quispe@produccion.example"


def _rosa_everywhere(make_event, make_user, organiser):
    """Rosa registers, sits on a panel, is named in the agenda and the organiser's reasons,
    subscribes to her calendar and clicks the join link."""
    rosa = make_user(email=EMAIL, full_name=NAME)
    event = make_event(mode="hybrid", venue_name="SELA")
    session = event.sessions[0]
    session.speakers = f"Luis Gómez, {NAME}, Ana Pérez"
    session.title["en"] = f"Keynote by {NAME}"
    panel = services.add_speaker(event, EMAIL, ParticipantRole.PANELLIST.value, organiser,
                                 mode=AttendanceMode.ONLINE.value)
    other = make_event(requires_approval=True, title_en="Closed workshop")
    pending = services.register(other, rosa)
    db.session.flush()
    services.reject(pending, f"Sorry {NAME}, the places went to ministries ({EMAIL}).",
                    organiser)
    feed = calendar.feed_for(rosa)
    db.session.add(JoinClick(registration_id=panel.id, session_id=session.id))
    db.session.commit()
    return rosa, feed, panel, pending


def test_export_lists_registrations_roles_feeds_and_clicks(make_event, make_user, organiser):
    rosa, _feed, _panel, _pending = _rosa_everywhere(make_event, make_user, organiser)
    data = export_data(rosa)
    by_event = {r["event"]: r for r in data["event_registrations"]}
    assert by_event["Port logistics workshop"]["role"] == "panellist"
    assert by_event["Port logistics workshop"]["mode"] == "online"
    assert by_event["Closed workshop"]["status"] == "rejected"
    assert "places went to ministries" in by_event["Closed workshop"]["rejection_reason"]
    assert data["event_panel_roles"] == [{"event": "Port logistics workshop",
                                          "role": "panellist"}]
    assert data["event_sessions_naming_you"] == [f"Keynote by {NAME}"]
    assert len(data["event_join_clicks"]) == 1
    assert data["calendar_feeds"][0]["revoked_at"] is None
    organised = export_data(organiser)["events_organised"]
    assert organised == ["Port logistics workshop", "Closed workshop"]


def test_erasure_leaves_no_name_or_email_and_keeps_statuses(make_event, make_user, organiser):
    rosa, feed, panel, pending = _rosa_everywhere(make_event, make_user, organiser)
    token = feed.token
    erase_user(rosa)
    db.session.commit()
    db.session.expire_all()
    for table in ("event", "event_session", "event_organiser", "registration", "join_click",
                  "calendar_feed"):
        for row in db.session.execute(db.metadata.tables[table].select()):
            text = " ".join(str(v) for v in row if v is not None).lower()
            assert NAME.lower() not in text and EMAIL not in text, (table, row)
    session = db.session.scalar(select(EventSession).where(EventSession.id == panel.event
                                                           .sessions[0].id))
    assert session.speakers == "Luis Gómez, Ana Pérez"
    assert db.session.get(Registration, panel.id).role == ParticipantRole.PANELLIST
    assert db.session.get(Registration, pending.id).status == RegistrationStatus.REJECTED
    assert db.session.get(Registration, pending.id).rejection_reason is None
    assert db.session.scalar(select(CalendarFeed.revoked_at).where(
        CalendarFeed.token == token)) is not None
    assert calendar.user_for_feed_token(token) is None
