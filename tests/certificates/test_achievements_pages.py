"""Achievements: one per kind of recognition, the same for every holder, at a URL that answers
its JSON, a page in English and Spanish, and an image."""

import pytest

from elearn.certificates import achievements
from elearn.certificates.models import Certificate, CertificateKind, SubjectType
from elearn.certificates.services import issue
from elearn.extensions import db

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def cohort(make_user, make_event, register, attend, make_template):
    """Three people certified for one workshop: two read English, one Spanish."""
    event = make_event(sessions=2, title="Regional SME policy workshop",
                       title_es="Taller regional de políticas PYME")
    make_template()
    people = [make_user(full_name="Ana Pérez", preferred_language="en"),
              make_user(full_name="Bruno Díaz", preferred_language="en"),
              make_user(full_name="Carla Gómez", preferred_language="es")]
    certificates = []
    for person in people:
        register(event, person)
        attend(person, event.sessions)
        certificates.append(issue(CertificateKind.PARTICIPATION, event, person)[0])
    db.session.commit()
    return event, certificates


def _badge(client, login, certificate) -> dict:
    login(certificate.holder)
    response = client.get(f"/certificates/{certificate.code}/badge.json")
    client.post("/logout")
    return response.get_json()


def _path(url: str) -> str:
    return url[len("http://localhost"):]


def test_every_holder_carries_the_same_achievement(client, login, cohort):
    event, (ana, bruno, carla) = cohort
    first = _badge(client, login, ana)["credentialSubject"]["achievement"]
    second = _badge(client, login, bruno)["credentialSubject"]["achievement"]
    assert first == second
    assert first["id"] == f"http://localhost/certificates/achievements/participation/event/{event.id}"
    assert first["name"] == "Participation — Regional SME policy workshop"
    assert "Ana" not in str(first) and "Bruno" not in str(first)
    assert first["criteria"]["narrative"] == (
        "Registered for the activity and attended at least 75 % of its sessions, in person or "
        "online, as recorded by the organisers.")
    assert "6 hours" in first["description"]  # two sessions of three hours
    assert "creditsAvailable" not in first
    subject = _badge(client, login, ana)["credentialSubject"]
    assert "creditsEarned" not in subject
    assert first["description"] == (  # the activity's facts, the same for everyone
        "Recognises participation in “Regional SME policy workshop”, organised by Latin American "
        "and Caribbean Economic System (SELA) and held from March 2, 2026 to March 3, 2026. "
        "Its sessions lasted 6 hours in all.")

    spanish = _badge(client, login, carla)["credentialSubject"]["achievement"]
    assert spanish["id"] == first["id"] + "/es" and spanish["inLanguage"] == "es"
    assert spanish["name"] == "Participación — Taller regional de políticas PYME"
    assert first["related"] == [{"id": spanish["id"], "type": ["Related"], "inLanguage": "es"}]
    assert spanish["related"] == [{"id": first["id"], "type": ["Related"], "inLanguage": "en"}]


def test_the_achievement_id_answers_its_json(client, login, cohort):
    _event, (ana, _bruno, carla) = cohort
    embedded = _badge(client, login, ana)["credentialSubject"]["achievement"]
    by_accept = client.get(_path(embedded["id"]), headers=JSON)
    assert by_accept.status_code == 200 and "Accept" in by_accept.headers["Vary"]
    served = by_accept.get_json()
    assert served.pop("@context")[0] == "https://www.w3.org/ns/credentials/v2"
    assert served == embedded
    by_suffix = client.get(_path(embedded["id"]) + ".json").get_json()
    assert by_suffix == by_accept.get_json()
    spanish = _badge(client, login, carla)["credentialSubject"]["achievement"]
    served_es = client.get(_path(spanish["id"]) + ".json").get_json()
    served_es.pop("@context")
    assert served_es == spanish
    image = client.get(_path(embedded["image"]["id"]))
    assert image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")


def test_the_achievement_page_in_english_and_spanish(client, cohort):
    event, _ = cohort
    path = f"/certificates/achievements/participation/event/{event.id}"
    english = client.get(path, headers=HTML)
    assert english.status_code == 200 and english.mimetype == "text/html"
    page = english.get_data(as_text=True)
    assert "Participation — Regional SME policy workshop" in page
    assert "attended at least 75 % of its sessions" in page
    assert 'href="' + path + '/es"' in page and 'href="' + path + '.json"' in page

    spanish = client.get(path + "/es", headers=HTML).get_data(as_text=True)
    assert "Participación — Taller regional de políticas PYME" in spanish
    assert "asistió al menos al 75 % de sus sesiones" in spanish
    assert ("Reconoce la participación en “Taller regional de políticas PYME”, actividad "
            "organizada por Sistema Económico Latinoamericano y del Caribe (SELA) y realizada del "
            "2 de marzo de 2026 al 3 de marzo de 2026. Sus sesiones sumaron 6 horas.") in spanish
    assert 'lang="es"' in spanish


@pytest.mark.parametrize("tail", [
    "participation/event/999999", "nonsense/event/{id}", "participation/edition/{id}",
    "participation/hackathon/{id}", "participation/event/{id}/place-1",
    "participation/event/{id}/xx", "participation/event/{id}/es.json.json",
    "participation/event/99999999999999999999", "speaker/event/{id}",
    "hackathon_award/hackathon/{id}",
])
def test_unknown_achievements_are_404_with_a_message(client, cohort, tail):
    event, _ = cohort
    path = "/certificates/achievements/" + tail.format(id=event.id)
    page = client.get(path, headers=HTML)
    assert page.status_code == 404
    if "9999999999" not in tail:  # the int converter refuses it before the view
        assert "No achievement has this address" in page.get_data(as_text=True)
        data = client.get(path, headers=JSON)
        assert data.status_code == 404 and data.get_json()["error"] == "unknown"
    assert client.get("/certificates/achievements/nonsense.png").status_code == 404


def test_a_placing_is_its_own_achievement():
    parsed = achievements.parse("hackathon_award", "hackathon", 4, "place-2-es.json")
    key, language, wants_json = parsed
    assert (key.placing, language, wants_json) == (2, "es", True)
    assert key.path("es") == "/certificates/achievements/hackathon_award/hackathon/4/place-2-es"
    assert achievements.parse("hackathon_award", "hackathon", 4) is None
    assert achievements.parse("hackathon_award", "hackathon", 4, "place-0") is None
    winner = Certificate(kind=CertificateKind.HACKATHON_AWARD, subject_type=SubjectType.HACKATHON,
                         subject_id=4, details={"team": "Los Andes", "placing": 2})
    assert achievements.key_of(winner) == key
