"""Discovery (issue 13 point 5): an activity's page lists its events, course editions and
hackathon with dates and status, linked. The sections come from the home domain through the
programme's registry, since the programme may not import the domains above it."""

from datetime import UTC, date, datetime, timedelta

import pytest

from elearn.courses.models import Course, Edition, EditionStatus
from elearn.events.models import EventKind, EventMode, EventStatus
from elearn.extensions import db
from elearn.hackathons.models import Hackathon
from elearn.programme import services
from elearn.programme.services import activity_by_path, load_programme

PATH = "II.I.A.3"
FUTURE = datetime(2031, 5, 6, 14, 0, tzinfo=UTC)


@pytest.fixture
def activity(app):
    load_programme()
    db.session.commit()
    return activity_by_path(PATH)


@pytest.fixture
def world(activity, make_event):
    workshop = make_event(title_en="Open data workshop", activity_id=activity.id,
                          starts_at=FUTURE, timezone="America/Bogota")
    cancelled = make_event(title_en="Postponed forum", activity_id=activity.id,
                           starts_at=FUTURE + timedelta(days=3), status=EventStatus.CANCELLED)
    draft = make_event(title_en="Unannounced meeting", activity_id=activity.id,
                       starts_at=FUTURE, status=EventStatus.DRAFT)
    past = make_event(title_en="Kick-off seminar", activity_id=activity.id,
                      starts_at=datetime(2023, 1, 10, 14, 0, tzinfo=UTC))
    hack_event = make_event(title_en="Digital integration hackathon", activity_id=activity.id,
                            kind=EventKind.HACKATHON, mode=EventMode.VIRTUAL,
                            starts_at=FUTURE + timedelta(days=30))
    hackathon = Hackathon(event_id=hack_event.id,
                          submission_deadline=FUTURE + timedelta(days=32))
    course = Course(title_en="Digital trade course", activity_id=activity.id)
    edition = Edition(course=course, name_en="2031 cohort", starts_on=date(2031, 4, 1),
                      ends_on=date(2031, 7, 31), timezone="America/Caracas",
                      status=EditionStatus.OPEN)
    hidden = Edition(course=course, name_en="Unpublished cohort", starts_on=date(2031, 9, 1),
                     ends_on=date(2031, 12, 1), timezone="America/Caracas",
                     status=EditionStatus.DRAFT)
    db.session.add_all([hackathon, course, edition, hidden])
    db.session.commit()
    return {"workshop": workshop, "cancelled": cancelled, "draft": draft, "past": past,
            "hackathon": hackathon, "edition": edition, "hidden": hidden}


def item(html: str, href: str) -> str:
    """The list item holding the link `href`."""
    start = html.index(f'<a href="{href}">')
    return html[start:html.index("</li>", start)]


def test_an_activity_lists_its_event_edition_and_hackathon(client, world):
    html = client.get(f"/programme/activities/{PATH}").get_data(as_text=True)
    assert "<h2>Events, courses and hackathon</h2>" in html

    workshop = item(html, f"/events/{world['workshop'].id}")
    assert "Open data workshop" in workshop and "Upcoming" in workshop
    assert "2031" in workshop and "America/Bogota" in workshop

    edition = item(html, f"/courses/editions/{world['edition'].id}")
    assert "Digital trade course — 2031 cohort" in edition
    assert "Open for applications" in edition and "2031" in edition

    hackathon = item(html, f"/hackathons/{world['hackathon'].id}")
    assert "Digital integration hackathon" in hackathon and "Upcoming" in hackathon
    assert "Submissions close:" in hackathon

    # The hackathon's own event is listed once, as the hackathon.
    assert html.count("Digital integration hackathon") == 1
    # Editions are listed once: this section replaces the courses domain's list.
    assert html.count("2031 cohort") == 1


def test_a_cancelled_event_is_shown_as_cancelled_and_drafts_not_at_all(client, world):
    html = client.get(f"/programme/activities/{PATH}").get_data(as_text=True)
    assert "Cancelled" in item(html, f"/events/{world['cancelled'].id}")
    assert "Ended" in item(html, f"/events/{world['past'].id}")
    assert "Unannounced meeting" not in html
    assert "Unpublished cohort" not in html


def test_in_spanish(client, world):
    html = client.get(f"/programme/activities/{PATH}",
                      headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "<h2>Eventos, cursos y hackatón</h2>" in html
    assert "Cancelado" in item(html, f"/events/{world['cancelled'].id}")


def test_an_activity_with_nothing_has_no_such_section(client, activity):
    html = client.get(f"/programme/activities/{PATH}").get_data(as_text=True)
    assert "Events, courses and hackathon" not in html


def test_a_replaced_section_stays_out_whatever_the_import_order(monkeypatch):
    def lower(activity):
        return None

    def higher(activity):
        return None

    def other(activity):
        return None

    monkeypatch.setattr(services, "activity_sections", [])
    monkeypatch.setattr(services, "_replaced", set())
    services.register_activity_section(lower)
    services.register_activity_section(other)
    services.register_activity_section(higher, replaces=lower)
    assert services.activity_sections == [higher, other]  # in the place of the one replaced

    monkeypatch.setattr(services, "activity_sections", [])
    monkeypatch.setattr(services, "_replaced", set())
    services.register_activity_section(higher, replaces=lower)
    services.register_activity_section(lower)  # registered later: still left out
    assert services.activity_sections == [higher]
