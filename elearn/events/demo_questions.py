"""Demo: the next hybrid meeting asks registration questions (interpretation, accessibility,
visa letter, delegation role), and the people already registered have answered them, so an
organiser sees answers on the dashboard, filters by them and exports them."""

import random

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.forms import answering, building
from elearn.forms.models import FormPurpose

from .models import Event, EventMode, EventStatus, Registration

QUESTIONS = {
    "title": {"en": "Registration questions", "es": "Preguntas de inscripción"},
    "sections": [{"title": {"en": "Your participation", "es": "Su participación"}, "questions": [
        {"key": "delegation_role", "type": "single_choice", "required": True,
         "text": {"en": "Your role in your country's delegation",
                  "es": "Su función en la delegación de su país"},
         "options": [
             {"key": "head", "label": {"en": "Head of delegation", "es": "Jefe/a de delegación"}},
             {"key": "delegate", "label": {"en": "Delegate", "es": "Delegado/a"}},
             {"key": "adviser", "label": {"en": "Technical adviser", "es": "Asesor/a técnico/a"}},
             {"key": "observer", "label": {"en": "Observer", "es": "Observador/a"}}]},
        {"key": "interpretation", "type": "yes_no", "required": True,
         "text": {"en": "Do you need simultaneous interpretation?",
                  "es": "¿Necesita interpretación simultánea?"}},
        {"key": "interpretation_language", "type": "single_choice", "required": True,
         "condition": {"key": "interpretation", "values": ["yes"]},
         "text": {"en": "Into which language?", "es": "¿A qué idioma?"},
         "options": [{"key": "en", "label": {"en": "English", "es": "Inglés"}},
                     {"key": "pt", "label": {"en": "Portuguese", "es": "Portugués"}},
                     {"key": "fr", "label": {"en": "French", "es": "Francés"}}]},
        {"key": "visa_letter", "type": "yes_no",
         "text": {"en": "Do you need an invitation letter for your visa?",
                  "es": "¿Necesita una carta de invitación para su visa?"}},
        {"key": "accessibility", "type": "long_text", "sensitive": True,
         "text": {"en": "Accessibility needs", "es": "Necesidades de accesibilidad"},
         "help": {"en": "Only the organisers of this meeting will read this.",
                  "es": "Solo los organizadores de esta reunión leerán esto."}},
    ]}],
}
ROLES = ["head", "delegate", "delegate", "adviser", "adviser", "observer"]
NEEDS = ["", "", "", "", "", "Step-free access to the meeting room, please.",
         "Necesito subtítulos en las sesiones en línea."]


def populate(_rng) -> list[str]:
    # A random stream of its own: drawing from the shared one would change every later step's
    # demo data (which people attend, hence what the statistics can publish).
    rng = random.Random(16)
    event = db.session.scalar(
        select(Event).where(Event.mode == EventMode.HYBRID,
                            Event.status == EventStatus.PUBLISHED, Event.starts_at > utcnow())
        .order_by(Event.starts_at).limit(1))
    if event is None:
        return []
    form = building.from_definition(QUESTIONS, FormPurpose.REGISTRATION, "event", event.id)
    event.registration_form = form
    version = form.current_version
    answered = 0
    for reg in db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                                  .order_by(Registration.id)):
        language = {"BR": "pt", "HT": "fr", "JM": "en", "TT": "en", "BB": "en"}.get(
            reg.user.country or "")
        data = MultiDict({"q-delegation_role": rng.choice(ROLES),
                          "q-interpretation": "yes" if language else "no",
                          "q-visa_letter": rng.choice(["yes", "no", "no"]),
                          "q-accessibility": rng.choice(NEEDS)})
        if language:
            data["q-interpretation_language"] = language
        asked = answering.ask(version, "en", data)
        answering.require_answers_valid(asked)
        reg.form_response = answering.save_response(version, asked)
        answered += 1
    return [f"Registration questions: {event.text('title', 'en')} ({answered} people answered)"]
