"""Open Badges 3.0 achievements: one per kind of recognition (participation in an event, the
diploma of a course edition, a hackathon placing...), shared by every holder.

An achievement's id is a stable URL that answers its JSON and a human page. Its name,
description and criteria never depend on the holder: fixed wording here, in English and
Spanish (like the printed wording in texts.py, so it never waits for a .po catalogue), filled
only with facts of the activity. Each language is an edition of the achievement with its own
id, and each edition names the other as `related` with its `inLanguage` — what Open Badges 3.0
provides "to identify alternate language editions" of an achievement. The English edition has
the plain id; the Spanish one adds `/es`.

Hours of training have no field of their own in Open Badges 3.0 (`creditsAvailable` /
`creditsEarned` are academic credit hours, which these activities do not award): they are part
of the description, where a reader finds them.
"""

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, format_date
from sqlalchemy import select

from elearn.base_url import base_url
from elearn.extensions import db

from .errors import TemplateProblem
from .models import Certificate, CertificateKind, SubjectType
from .services.templates import template_for
from .subjects import MAX_SUBJECT_ID, subject_adapter

EDITIONS = ("en", "es")
OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
KIND_SUBJECT = {
    CertificateKind.PARTICIPATION: SubjectType.EVENT,
    CertificateKind.SPEAKER: SubjectType.EVENT,
    CertificateKind.DIPLOMA: SubjectType.EDITION,
    CertificateKind.INSTRUCTOR: SubjectType.EDITION,
    CertificateKind.HACKATHON_PARTICIPATION: SubjectType.HACKATHON,
    CertificateKind.HACKATHON_AWARD: SubjectType.HACKATHON,
}
ACHIEVEMENT_TYPE = {
    CertificateKind.DIPLOMA: "Diploma",
    CertificateKind.HACKATHON_AWARD: "Award",
    CertificateKind.PARTICIPATION: "Certificate",
    CertificateKind.HACKATHON_PARTICIPATION: "Certificate",
    CertificateKind.SPEAKER: "Certificate",
    CertificateKind.INSTRUCTOR: "Certificate",
}

_NAME = {
    CertificateKind.PARTICIPATION: {"en": "Participation — {title}",
                                    "es": "Participación — {title}"},
    CertificateKind.DIPLOMA: {"en": "Diploma — {title}", "es": "Diploma — {title}"},
    CertificateKind.HACKATHON_PARTICIPATION: {
        "en": "Hackathon participation — {title}", "es": "Participación en la hackatón — {title}"},
    CertificateKind.HACKATHON_AWARD: {"en": "Place {placing} — {title}",
                                      "es": "Puesto {placing} — {title}"},
    CertificateKind.SPEAKER: {"en": "Speaker — {title}", "es": "Ponente — {title}"},
    CertificateKind.INSTRUCTOR: {"en": "Instructor — {title}", "es": "Docente — {title}"},
}
_DESCRIPTION = {
    CertificateKind.PARTICIPATION: {
        "en": "Recognises participation in “{title}”, organised by {org}{dates}.{hours}",
        "es": "Reconoce la participación en “{title}”, actividad organizada por {org}{dates}."
              "{hours}"},
    CertificateKind.DIPLOMA: {
        "en": "Recognises the successful completion of the course “{title}”, offered by "
              "{org}{dates}.{hours}",
        "es": "Reconoce la aprobación del curso “{title}”, ofrecido por {org}{dates}.{hours}"},
    CertificateKind.HACKATHON_PARTICIPATION: {
        "en": "Recognises the members of the teams that took part in “{title}”, organised by "
              "{org}{dates}.",
        "es": "Reconoce a los integrantes de los equipos que participaron en “{title}”, "
              "actividad organizada por {org}{dates}."},
    CertificateKind.HACKATHON_AWARD: {
        "en": "Recognises the members of the team that won place {placing} in “{title}”, "
              "organised by {org}{dates}.",
        "es": "Reconoce a los integrantes del equipo que obtuvo el puesto {placing} en “{title}”, "
              "actividad organizada por {org}{dates}."},
    CertificateKind.SPEAKER: {
        "en": "Recognises the speakers, panellists, chairs and moderators of “{title}”, "
              "organised by {org}{dates}.",
        "es": "Reconoce a ponentes, panelistas, presidentes de sesión y moderadores de “{title}”, "
              "actividad organizada por {org}{dates}."},
    CertificateKind.INSTRUCTOR: {
        "en": "Recognises the instructors who taught the course “{title}”, offered by "
              "{org}{dates}.",
        "es": "Reconoce a quienes impartieron el curso “{title}”, ofrecido por {org}{dates}."},
}
_CRITERIA = {
    CertificateKind.PARTICIPATION: {
        "en": "Registered for the activity and attended at least {percent} % of its sessions, "
              "in person or online, as recorded by the organisers.",
        "es": "Se inscribió en la actividad y asistió al menos al {percent} % de sus sesiones, "
              "en forma presencial o en línea, según el registro de asistencia de la "
              "organización."},
    CertificateKind.DIPLOMA: {
        "en": "Enrolled in this edition of the course and completed it, passing every "
              "required module and assessment according to the course's completion rules.",
        "es": "Se matriculó en esta edición del curso y la completó, aprobando todos los "
              "módulos y evaluaciones obligatorios según las reglas de aprobación del curso."},
    CertificateKind.HACKATHON_PARTICIPATION: {
        "en": "Took part in the hackathon as a member of a team that handed in a submission.",
        "es": "Participó en la hackatón como integrante de un equipo que entregó su proyecto."},
    CertificateKind.HACKATHON_AWARD: {
        "en": "Was a member of the team ranked in place {placing} in the published results of "
              "the hackathon, as decided by its judges.",
        "es": "Integró el equipo que obtuvo el puesto {placing} en los resultados publicados "
              "de la hackatón, según la decisión de su jurado."},
    CertificateKind.SPEAKER: {
        "en": "Took part in the event as a confirmed speaker, panellist, chair or moderator.",
        "es": "Participó en el evento como ponente, panelista, presidente de sesión o "
              "moderador confirmado."},
    CertificateKind.INSTRUCTOR: {
        "en": "Taught this edition of the course as one of its named instructors.",
        "es": "Impartió esta edición del curso como docente designado."},
}
# Events are "actividades" (feminine) in the Spanish wording, course editions "cursos".
_DATES = {
    "span": {"en": " and held from {start} to {end}", "es": " y realizada del {start} al {end}",
             "es-course": " e impartido del {start} al {end}"},
    "one_day": {"en": " and held on {date}", "es": " y realizada el {date}",
                "es-course": " e impartido el {date}"},
}
_HOURS = {
    SubjectType.EVENT: {"en": " Its sessions lasted {hours} hours in all.",
                        "es": " Sus sesiones sumaron {hours} horas."},
    SubjectType.EDITION: {"en": " The course comprised {hours} hours of training.",
                          "es": " El curso comprendió {hours} horas de formación."},
}


@dataclass(frozen=True)
class AchievementKey:
    kind: CertificateKind
    subject_type: SubjectType
    subject_id: int
    placing: int | None = None

    def path(self, language: str = "en") -> str:
        path = f"/certificates/achievements/{self.kind}/{self.subject_type}/{self.subject_id}"
        variant = [f"place-{self.placing}"] if self.placing else []
        variant += [language] if language != "en" else []
        return path + ("/" + "-".join(variant) if variant else "")

    def url(self, language: str = "en") -> str:
        return base_url() + self.path(language)


_VARIANT = re.compile(r"^(?:place-(?P<placing>[1-9][0-9]?)(?:-(?P<lang_a>es))?|(?P<lang_b>es))"
                      r"(?P<json>\.json)?$")


def parse(kind: str, subject_type: str, subject_id: int, variant: str | None = None):
    """(key, language, wants_json) for a URL's parts; None when they name no achievement."""
    try:
        kind_value, type_value = CertificateKind(kind), SubjectType(subject_type)
    except ValueError:
        return None
    if KIND_SUBJECT[kind_value] != type_value:
        return None
    placing, language, wants_json = None, "en", False
    if variant is not None:
        found = _VARIANT.match(variant)
        if found is None:
            return None
        placing = int(found["placing"]) if found["placing"] else None
        language = found["lang_a"] or found["lang_b"] or "en"
        wants_json = bool(found["json"])
    if (placing is not None) != (kind_value == CertificateKind.HACKATHON_AWARD):
        return None  # a placing is what tells one award from another, and only awards have it
    return AchievementKey(kind_value, type_value, subject_id, placing), language, wants_json


def key_of(certificate: Certificate) -> AchievementKey:
    placing = None
    if certificate.kind == CertificateKind.HACKATHON_AWARD:
        placing = int((certificate.details or {}).get("placing") or 0) or None
    return AchievementKey(CertificateKind(certificate.kind), SubjectType(certificate.subject_type),
                          certificate.subject_id, placing)


def edition_for(language: str) -> str:
    return language if language in EDITIONS else "en"


def exists(key: AchievementKey) -> bool:
    """Someone was certified for it: an activity that certified nobody has no achievement (and
    a draft event is not revealed through one)."""
    if not 0 < key.subject_id <= MAX_SUBJECT_ID:
        return False
    query = select(Certificate.details).where(
        Certificate.kind == key.kind, Certificate.subject_type == key.subject_type,
        Certificate.subject_id == key.subject_id)
    if key.placing is None:
        return db.session.execute(query.limit(1)).first() is not None
    # Few awards per hackathon: their placings are read rather than queried inside JSON.
    return any(int((details or {}).get("placing") or 0) == key.placing
               for details in db.session.scalars(query))


def image_url(kind: CertificateKind) -> str:
    return f"{base_url()}/certificates/achievements/{kind}.png"


def _hours_text(hours: float, language: str) -> str:
    text = str(int(hours)) if float(hours).is_integer() else str(hours)
    return text.replace(".", ",") if language == "es" else text


def _dates(facts, language: str, subject_type: SubjectType) -> str:
    wording = "es-course" if language == "es" and subject_type == SubjectType.EDITION \
        else language
    with force_locale(language):
        start = format_date(facts.starts_on, "long") if facts.starts_on else None
        end = format_date(facts.ends_on, "long") if facts.ends_on else None
    if start and end and start != end:
        return _DATES["span"][wording].format(start=start, end=end)
    if start or end:
        return _DATES["one_day"][wording].format(date=start or end)
    return ""


def _attendance_percent(key: AchievementKey) -> int:
    try:
        return template_for(key.kind, key.subject_id).min_attendance_percent
    except TemplateProblem:
        return 75  # the rule's default (kinds.Participation)


def texts(key: AchievementKey, subject, language: str) -> dict:
    """Name, description and criteria of one edition: the same for every holder."""
    adapter = subject_adapter(key.subject_type)
    facts = adapter.facts(subject, language)
    org = current_app.config.get("ORGANISATION_NAMES", {}).get(language) or \
        current_app.config.get("ORGANISATION_NAME", "")
    hours = ""
    if facts.hours and key.kind in (CertificateKind.PARTICIPATION, CertificateKind.DIPLOMA):
        hours = _HOURS[key.subject_type][language].format(
            hours=_hours_text(facts.hours, language))
    values = {"title": facts.title, "org": org, "dates": _dates(facts, language, key.subject_type),
              "hours": hours, "placing": key.placing or "",
              "percent": _attendance_percent(key)
              if key.kind == CertificateKind.PARTICIPATION else ""}
    return {part: table[key.kind][language].format(**values)
            for part, table in (("name", _NAME), ("description", _DESCRIPTION),
                                ("criteria", _CRITERIA))}


def achievement(key: AchievementKey, language: str = "en", *, standalone: bool = False):
    """The Achievement object of one edition, or None when the activity is gone."""
    language = edition_for(language)
    subject = subject_adapter(key.subject_type).load(key.subject_id)
    if subject is None:
        return None
    words = texts(key, subject, language)
    found = {
        "id": key.url(language),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE[key.kind],
        "name": words["name"],
        "description": words["description"],
        "criteria": {"id": key.url(language), "narrative": words["criteria"]},
        "image": {"id": image_url(key.kind), "type": "Image", "caption": words["name"]},
        "inLanguage": language,
        "related": [{"id": key.url(other), "type": ["Related"], "inLanguage": other}
                    for other in EDITIONS if other != language],
    }
    return {"@context": OB_CONTEXT, **found} if standalone else found
