"""What the builder's tests share: an organiser, her event, a form of that event, and posting
to the builder's pages as she would."""

import pytest
from werkzeug.datastructures import MultiDict

from elearn.extensions import db
from elearn.forms import building
from elearn.forms.models import Form, FormPurpose

SMALL = {
    "title": {"en": "Registration questions", "es": "Preguntas de inscripción"},
    "sections": [
        {"title": {"en": "About you", "es": "Sobre usted"}, "questions": [
            {"key": "role", "type": "short_text", "required": True,
             "text": {"en": "Your role", "es": "Su función"}},
            {"key": "interpretation", "type": "yes_no",
             "text": {"en": "Do you need interpretation?", "es": "¿Necesita interpretación?"}},
            {"key": "language", "type": "single_choice",
             "condition": {"key": "interpretation", "values": ["yes"]},
             "text": {"en": "Into which language?", "es": "¿A qué idioma?"},
             "options": [{"key": "pt", "label": {"en": "Portuguese", "es": "Portugués"}},
                         {"key": "fr", "label": {"en": "French", "es": "Francés"}}]},
        ]},
        {"title": {"en": "Logistics", "es": "Logística"}, "questions": [
            {"key": "nights", "type": "number", "settings": {"min": 0, "max": 30},
             "text": {"en": "Nights of accommodation", "es": "Noches de alojamiento"}},
        ]},
    ],
}


@pytest.fixture
def organiser(make_user):
    return make_user(email="olga@sela.example", roles=["organiser"], full_name="Olga Ríos")


@pytest.fixture
def event(make_event, organiser):
    return make_event(organiser, title_en="Digital trade workshop")


@pytest.fixture
def form_id(app, event):
    with app.test_request_context():
        made = building.from_definition(SMALL, FormPurpose.REGISTRATION, "event", event.id)
        db.session.commit()
        return made.id


@pytest.fixture
def as_organiser(client, login, organiser):
    login(organiser)
    return client


def current(form_id: int):
    db.session.expire_all()
    return db.session.get(Form, form_id).current_version


def keys(form_id: int) -> list[str]:
    return [q.key for q in current(form_id).questions]


def formdata(data: dict) -> MultiDict:
    found = MultiDict()
    for key, value in data.items():
        for v in value if isinstance(value, list) else [value]:
            found.add(key, v)
    return found
