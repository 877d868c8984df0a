"""An event's title and description may be written in any of the site's languages; only the
event's own language (its main language) is required. Readers see their language, else the
main language with a note saying which it is."""

from datetime import timedelta

from sqlalchemy import func, select

from elearn.db_types import utcnow
from elearn.events import services
from elearn.events.models import Event, EventSession
from elearn.extensions import db

FRENCH_EVENT = {
    "kind": "workshop", "language": "fr", "activity_id": "", "timezone": "America/Panama",
    "mode": "virtual", "capacity_online": "50", "venue_country": "",
    "title_fr": "Atelier sur la logistique portuaire",
    "title_pt": "Oficina de logística portuária",
    "description_fr": "Un atelier régional.",
}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_french_event_reads_in_portuguese_and_in_french_for_others(client, login, organiser):
    login(organiser)
    response = client.post("/organise/events/new", data=FRENCH_EVENT)
    assert response.status_code == 303
    event = db.session.scalar(select(Event))
    assert dict(event.title) == {"pt": "Oficina de logística portuária",
                                 "fr": "Atelier sur la logistique portuaire"}
    assert event.main_language == "fr"
    start = services.utc_to_local(utcnow() + timedelta(days=5), event.timezone)
    services.add_session(event, {"starts_local": start.replace(second=0, microsecond=0),
                                 "ends_local": start.replace(second=0, microsecond=0)
                                 + timedelta(hours=2)}, organiser)
    services.publish_event(event, organiser)
    db.session.commit()
    client.post("/logout")

    portuguese = client.get(f"/events/{event.id}", headers={"Accept-Language": "pt"}) \
        .get_data(as_text=True)
    assert "Oficina de logística portuária" in portuguese
    assert "Atelier sur la logistique portuaire" not in portuguese

    english = client.get(f"/events/{event.id}", headers={"Accept-Language": "en"}) \
        .get_data(as_text=True)
    assert "Atelier sur la logistique portuaire (in French)" in english
    assert "Oficina" not in english

    # The organiser's edit form shows the French fieldset first, marked as the main one.
    login(organiser)
    edit = client.get(f"/organise/events/{event.id}/edit").get_data(as_text=True)
    assert edit.index('name="title_fr"') < edit.index('name="title_en"')
    assert 'value="Oficina de logística portuária"' in edit


def test_an_event_without_a_title_in_its_main_language_is_refused(client, login, organiser):
    login(organiser)
    data = dict(FRENCH_EVENT, title_fr="", title_en="Port logistics workshop")
    response = client.post("/organise/events/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = page.index('id="title_fr-error"')
    assert "Required in French, the main language." in page[error:error + 200]
    assert page.index('<label for="title_fr"') < error < page.index('id="title_fr"', error + 20)
    assert _count(Event) == 0


def test_a_session_title_in_another_language_needs_the_main_one(client, login, organiser,
                                                                 make_event):
    event = make_event(publish=False, language="fr", title={"fr": "Atelier"})
    login(organiser)
    response = client.post(f"/organise/events/{event.id}/sessions", data={
        "title_pt": "Abertura", "starts_local": "2030-03-01T09:00",
        "ends_local": "2030-03-01T11:00"})
    assert response.status_code == 400
    assert "Required in French, the main language." in response.get_data(as_text=True)
    assert _count(EventSession) == 1
    response = client.post(f"/organise/events/{event.id}/sessions", data={
        "title_pt": "Abertura", "title_fr": "Ouverture", "starts_local": "2030-03-01T09:00",
        "ends_local": "2030-03-01T11:00"})
    assert response.status_code == 303
    added = db.session.scalar(select(EventSession).order_by(EventSession.id.desc()))
    assert dict(added.title) == {"pt": "Abertura", "fr": "Ouverture"}
