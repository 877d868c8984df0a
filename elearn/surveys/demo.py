"""Demo surveys: the past demo events and the first diploma edition were evaluated, with
answers of varied people (ratings spread around each activity's own level, open comments in
Spanish and English), given through the same services as real answers. Nobody is emailed."""

from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from elearn.accounts.models import User
from elearn.courses.models import Edition
from elearn.db_types import utcnow
from elearn.events.models import AttendanceMode, Event, EventStatus
from elearn.extensions import db
from elearn.forms.answering import ask, require_answers_valid

from . import owners
from .models import SurveyInvitation
from .services import lifecycle
from .services.answers import submit
from .services.setup import attach

IMPROVE = {
    "es": ["Más tiempo para preguntas y para el intercambio entre países.",
           "Compartir las presentaciones antes de la sesión.",
           "Incluir más casos de pymes lideradas por mujeres del Caribe.",
           "La conexión se cortó varias veces; sugiero grabar las sesiones.",
           "Menos exposiciones y más trabajo en grupos.",
           "Traducción simultánea al inglés para las delegaciones del Caribe."],
    "en": ["More time for questions and for exchanges between countries.",
           "Share the slides before the session.",
           "Interpretation into Spanish was sometimes hard to follow.",
           "Include more practical tools we can use in our ministries.",
           "The room was too cold and the coffee breaks too short.",
           "A follow-up session six months later would help."],
}


def _rating(rng, level: float) -> str:
    return str(min(5, max(1, round(rng.gauss(level, 0.85)))))


def _answers(rng, level: float, mode: AttendanceMode, language: str) -> MultiDict:
    satisfaction = _rating(rng, level)
    data = {"q-satisfaction": satisfaction, "q-objectives": _rating(rng, level - 0.1),
            "q-usefulness": _rating(rng, level + 0.1), "q-speakers": _rating(rng, level + 0.2),
            "q-organisation": _rating(rng, level - 0.2), "q-mode": mode.value}
    data["q-platform" if mode == AttendanceMode.ONLINE else "q-venue"] = _rating(rng, level - 0.3)
    if rng.random() < 0.45:
        data["q-improve"] = rng.choice(IMPROVE["es" if language == "es" else "en"])
    keen = int(satisfaction) >= 4
    data["q-recommend"] = "yes" if rng.random() < (0.93 if keen else 0.45) else "no"
    return MultiDict(data)


def _evaluate(rng, kind: str, owner_id: int, ended, anonymous: bool) -> int:
    survey = attach(kind, owner_id)
    survey.anonymous = anonymous
    opened = ended + timedelta(hours=1)
    if survey.status in lifecycle.WAITING:
        lifecycle.open_survey(survey, opened, notify=False)
    owner = owners.of(survey)
    level = rng.uniform(3.4, 4.5)
    invitations = db.session.scalars(select(SurveyInvitation).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered.is_(False))
        .order_by(SurveyInvitation.id)).all()
    share = rng.uniform(0.55, 0.85)
    answered = 0
    for invitation in invitations:
        if answered >= 60 or rng.random() > share:
            continue
        person = db.session.get(User, invitation.user_id)
        mode = owners.attendance_mode(owner, person.id) or AttendanceMode.ONLINE
        language = person.preferred_language or "es"
        asked = ask(survey.form.current_version, language,
                    _answers(rng, level, mode, language))
        require_answers_valid(asked)
        submit(invitation, asked, now=opened + timedelta(hours=rng.randint(1, 400)))
        answered += 1
    return answered


def populate(rng) -> list[str]:
    now = utcnow()
    lines = []
    for event in db.session.scalars(select(Event).where(
            Event.status != EventStatus.CANCELLED,
            Event.kind.not_in(owners.NOT_SURVEYED_KINDS)).order_by(Event.id)):
        ended = owners.last_session_end(owners.load("event", event.id))
        if ended is None or ended > now:
            continue
        count = _evaluate(rng, "event", event.id, ended, anonymous=True)
        lines.append(f"Surveys: {count} answers to the evaluation of event {event.id}")
    first = db.session.scalar(select(Edition).order_by(Edition.starts_on, Edition.id))
    if first is not None:
        owner = owners.load("edition", first.id)
        ended = owners.last_session_end(owner)
        if ended is not None and ended < now:
            count = _evaluate(rng, "edition", first.id, ended, anonymous=False)
            lines.append(f"Surveys: {count} named answers to the evaluation of edition "
                         f"{first.id}")
    lifecycle.close_due(now)
    db.session.flush()
    return lines or ["Surveys: no past activity to evaluate."]


