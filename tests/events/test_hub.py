"""The organiser's hub (issue 13 point 4): from the event's dashboard, one click to each page
that runs the event, listed only for what the viewer may do; "My events" leads to it."""

from datetime import timedelta

from flask import url_for

from elearn.accounts.permissions import can
from elearn.events.hub import hub_links, session_links


def test_the_hub_links_every_page_of_the_event(client, login, organiser, make_event, app):
    event = make_event(mode="hybrid", venue_name="SELA", starts_in=timedelta(minutes=-30))
    login(organiser)
    html = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    with app.test_request_context():
        wanted = [
            url_for("organise.sessions", event_id=event.id),
            url_for("attendance.event_sessions", event_id=event.id),
            url_for("stats.event_dashboard", event_id=event.id),
            url_for("certificates.manage", subject_type="event", subject_id=event.id),
            url_for("organise.email", event_id=event.id),
            url_for("calendar.video_settings", event_id=event.id),
        ]
        session = event.sessions[0]
        per_session = [url_for(endpoint, session_id=session.id) for endpoint in (
            "attendance.check_in", "attendance.roll_call", "attendance.session_code",
            "attendance.import_report")]
    for url in wanted + per_session:
        assert f'href="{url}"' in html, url
    # The session under way is marked, so the organiser at the door finds it.
    assert "Happening now" in html
    # A workshop has no hackathon to set up.
    assert "/hackathons/events/" not in html
    # Each link of the hub opens for the organiser.
    for url in wanted + per_session:
        assert client.get(url).status_code == 200, url


def test_hackathon_setup_and_no_video_for_in_person(client, login, organiser, make_event, app):
    event = make_event(kind="hackathon", mode="in_person", venue_name="SELA")
    login(organiser)
    html = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    with app.test_request_context():
        setup = url_for("hackathons.setup", event_id=event.id)
        video = url_for("calendar.video_settings", event_id=event.id)
    assert f'href="{setup}"' in html
    assert f'href="{video}"' not in html


def test_links_follow_the_viewers_rights(app, make_event, make_user, organiser):
    event = make_event(mode="hybrid", venue_name="SELA")
    stranger = make_user(roles=["organiser"])
    manager = make_user(roles=["programme_manager"])
    with app.test_request_context():
        assert hub_links(event, stranger) == []
        assert session_links(event, stranger) == []
        mine = {link.url for link in hub_links(event, organiser)}
        boss = {link.url for link in hub_links(event, manager)}
        certificates = url_for("certificates.manage", subject_type="event",
                               subject_id=event.id)
    assert can(manager, "certify", event) and certificates in boss
    assert mine == boss and len(mine) >= 8


def test_no_check_in_before_publication(app, make_event, organiser):
    draft = make_event(publish=False)
    with app.test_request_context():
        assert session_links(draft, organiser) == []


def test_my_events_leads_to_the_hub(client, login, organiser, make_event):
    event = make_event()
    login(organiser)
    listing = client.get("/organise/events").get_data(as_text=True)
    assert f'href="/organise/events/{event.id}"' in listing
    catalogue = client.get("/events/").get_data(as_text=True)
    assert 'href="/organise/events"' in catalogue
