"""Messages to registrants written in several languages (issue 18.3): each person receives the
version in their language when the organiser wrote it, else the event's main language's, in a
wrapper in their own language; what was written and sent is kept; bad input changes nothing."""

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from elearn.events import services
from elearn.events.models import RegistrantMessage
from elearn.extensions import db
from elearn.mail.models import OutboxMessage
from elearn.mail.services import deliver_committed

WRAPPER = "A message from the organisers of %(title)s (%(sender)s):"


def _people(event, make_user):
    people = {lang: make_user(email=f"{lang}@example.org", full_name=f"Person {lang}",
                              preferred_language=lang) for lang in ("es", "en", "pt", "fr")}
    for person in people.values():
        services.register(event, person, "online")
    db.session.commit()
    deliver_committed()
    return people



def test_each_person_gets_their_language_else_the_main_one(client, login, organiser,
                                                           make_event, make_user, mailbox):
    event = make_event(language="es")
    people = _people(event, make_user)
    mailbox.clear()
    login(organiser)
    response = client.post(f"/organise/events/{event.id}/email", data={
        "subject_es": "Información de visado", "body_es": "Traiga su pasaporte.",
        "subject_en": "Visa information", "body_en": "Bring your passport.",
        "subject_pt": "Informação sobre visto", "body_pt": "Traga seu passaporte.",
        "status": ""})
    assert response.status_code == 303
    deliver_committed()
    expected = {"es": ("Información de visado", "Traiga su pasaporte."),
                "en": ("Visa information", "Bring your passport."),
                "pt": ("Informação sobre visto", "Traga seu passaporte."),
                "fr": ("Información de visado", "Traiga su pasaporte.")}  # none in French
    for language, (subject, body) in expected.items():
        [message] = mailbox.to(people[language].email)
        text = mailbox.text_of(message)
        assert message["Subject"] == subject
        assert body in text
        with force_locale(language):
            wrapper = gettext(WRAPPER, title="", sender="").split("(")[0].strip()
        assert wrapper in text  # the greeting and details speak the person's language
        if language != "en":
            assert "A message from the organisers" not in text
    stored = db.session.scalar(select(RegistrantMessage))
    assert stored.main_language == "es" and set(stored.versions) == {"es", "en", "pt"}
    assert stored.recipients == 4 and stored.sent_versions == {"es": 2, "en": 1, "pt": 1}
    page = client.get(f"/organise/events/{event.id}/email").get_data(as_text=True)
    assert "Información de visado" in page and "Messages sent" in page


def test_the_main_language_is_the_events(client, login, organiser, make_event, make_user,
                                         mailbox):
    event = make_event(language="en")
    people = _people(event, make_user)
    mailbox.clear()
    login(organiser)
    page = client.get(f"/organise/events/{event.id}/email").get_data(as_text=True)
    first = page.index('id="message-en"')
    assert first < page.index('id="message-es"') < page.index('id="message-pt"')
    assert page.index("(main language: required)") > first
    # Only Spanish written: the main language (English) is missing, nothing is sent.
    refused = client.post(f"/organise/events/{event.id}/email", data={
        "subject_es": "Hola", "body_es": "Texto"})
    assert refused.status_code == 400
    assert "The main language is required." in refused.get_data(as_text=True)
    response = client.post(f"/organise/events/{event.id}/email", data={
        "subject_en": "Agenda", "body_en": "See the agenda.",
        "subject_fr": "Programme", "body_fr": "Voir le programme."})
    assert response.status_code == 303
    deliver_committed()
    assert mailbox.last(people["fr"].email)["Subject"] == "Programme"
    for language in ("es", "en", "pt"):
        assert mailbox.last(people[language].email)["Subject"] == "Agenda"


def test_hostile_or_half_written_versions_send_nothing(client, login, organiser, make_event,
                                                       make_user, mailbox):
    event = make_event(language="es")
    _people(event, make_user)
    mailbox.clear()
    queued = db.session.scalar(select(func.count(OutboxMessage.id)))
    login(organiser)
    cases = [
        {"subject_es": "Hola", "body_es": "Texto",
         "subject_en": "News\r\nBcc: everyone@example.org", "body_en": "Hello"},
        {"subject_es": "Hola\nBcc: x@example.org", "body_es": "Texto"},
        {"subject_es": "Hola", "body_es": "Texto", "subject_pt": "Olá"},  # no text
        {"subject_es": "Hola", "body_es": "Texto", "subject_fr": "x" * 201, "body_fr": "y"},
        {"subject_es": "Hola", "body_es": "Texto", "status": "nobody"},
    ]
    for data in cases:
        response = client.post(f"/organise/events/{event.id}/email", data=data)
        assert response.status_code == 400, data
    text = client.post(f"/organise/events/{event.id}/email", data=cases[0]).get_data(
        as_text=True)
    assert "This field must be a single line of text." in text
    deliver_committed()
    assert mailbox.messages == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == queued
    assert db.session.scalar(select(func.count(RegistrantMessage.id))) == 0


def test_the_service_picks_the_version_by_the_persons_language(app, make_event, make_user,
                                                               organiser):
    from elearn.events.services.notifications import version_for

    versions = {"es": {"subject": "a", "body": "b"}, "pt": {"subject": "c", "body": "d"}}
    assert version_for(make_user(preferred_language="pt"), versions, "es") == "pt"
    assert version_for(make_user(preferred_language="fr"), versions, "es") == "es"
    assert version_for(make_user(preferred_language="en"), versions, "es") == "es"
