"""The wording printed on certificates, in the holder's language.

These are the certificate's own texts (part of its design, like the layout), kept here in the
four languages so a certificate never depends on whether a .po catalogue is up to date. A
template may override any of them per language (`CertificateTemplate.texts`).
"""

from flask_babel import force_locale, format_date

from .models import CertificateKind

LANGUAGES = ("en", "es", "pt", "fr")

_HEADINGS = {
    CertificateKind.PARTICIPATION: {
        "en": "Certificate of participation", "es": "Certificado de participación",
        "pt": "Certificado de participação", "fr": "Certificat de participation"},
    CertificateKind.DIPLOMA: {
        "en": "Diploma", "es": "Diploma", "pt": "Diploma", "fr": "Diplôme"},
    CertificateKind.HACKATHON_PARTICIPATION: {
        "en": "Certificate of participation", "es": "Certificado de participación",
        "pt": "Certificado de participação", "fr": "Certificat de participation"},
    CertificateKind.HACKATHON_AWARD: {
        "en": "Award", "es": "Reconocimiento", "pt": "Prêmio", "fr": "Prix"},
    CertificateKind.SPEAKER: {
        "en": "Certificate of acknowledgement", "es": "Certificado de reconocimiento",
        "pt": "Certificado de reconhecimento", "fr": "Certificat de reconnaissance"},
    CertificateKind.INSTRUCTOR: {
        "en": "Certificate of acknowledgement", "es": "Certificado de reconocimiento",
        "pt": "Certificado de reconhecimento", "fr": "Certificat de reconnaissance"},
}

_REASONS = {
    CertificateKind.PARTICIPATION: {
        "en": "participated in", "es": "participó en", "pt": "participou de",
        "fr": "a participé à"},
    CertificateKind.DIPLOMA: {
        "en": "successfully completed", "es": "aprobó satisfactoriamente",
        "pt": "concluiu com êxito", "fr": "a suivi avec succès"},
    CertificateKind.HACKATHON_PARTICIPATION: {
        "en": "took part as a member of the team %(team)s in",
        "es": "participó como integrante del equipo %(team)s en",
        "pt": "participou como membro da equipe %(team)s de",
        "fr": "a participé en tant que membre de l'équipe %(team)s à"},
    CertificateKind.HACKATHON_AWARD: {
        "en": "with the team %(team)s, won place %(placing)s in",
        "es": "con el equipo %(team)s, obtuvo el puesto %(placing)s en",
        "pt": "com a equipe %(team)s, conquistou o %(placing)sº lugar em",
        "fr": "avec l'équipe %(team)s, a obtenu la place %(placing)s à"},
    CertificateKind.SPEAKER: {
        "en": "contributed as %(role)s to", "es": "contribuyó como %(role)s en",
        "pt": "contribuiu como %(role)s em", "fr": "a contribué en tant que %(role)s à"},
    CertificateKind.INSTRUCTOR: {
        "en": "taught", "es": "impartió", "pt": "ministrou", "fr": "a enseigné"},
}

_ROLES = {
    "speaker": {"en": "speaker", "es": "ponente", "pt": "palestrante", "fr": "intervenant"},
    "panellist": {"en": "panellist", "es": "panelista", "pt": "painelista", "fr": "panéliste"},
    "chair": {"en": "chair", "es": "presidente de sesión", "pt": "presidente de sessão",
              "fr": "président de séance"},
    "moderator": {"en": "moderator", "es": "moderador", "pt": "moderador", "fr": "modérateur"},
}

_COMMON = {
    "intro": {"en": "This certifies that", "es": "Se certifica que",
              "pt": "Certificamos que", "fr": "Nous certifions que"},
    "hours": {"en": "%(hours)s hours of training", "es": "%(hours)s horas de formación",
              "pt": "%(hours)s horas de formação", "fr": "%(hours)s heures de formation"},
    "one_day": {"en": "on %(date)s", "es": "el %(date)s", "pt": "em %(date)s",
                "fr": "le %(date)s"},
    "span": {"en": "from %(start)s to %(end)s", "es": "del %(start)s al %(end)s",
             "pt": "de %(start)s a %(end)s", "fr": "du %(start)s au %(end)s"},
    "verify": {"en": "Verify this certificate at", "es": "Verifique este certificado en",
               "pt": "Verifique este certificado em", "fr": "Vérifiez ce certificat sur"},
    "code": {"en": "Code", "es": "Código", "pt": "Código", "fr": "Code"},
}


def language_for(person) -> str:
    language = getattr(person, "preferred_language", None) or "en"
    return language if language in LANGUAGES else "en"


def _hours_text(hours: float, language: str) -> str:
    whole = int(hours) if float(hours).is_integer() else hours
    text = str(whole)
    return text.replace(".", ",") if language != "en" else text


def printed_lines(kind: CertificateKind, language: str, *, holder_name: str, title: str,
                  organisation: str, starts_on, ends_on, hours, details: dict,
                  overrides: dict | None = None) -> dict:
    """The lines of the certificate in `language`: what the PDF prints and the verification
    page repeats."""
    kind = CertificateKind(kind)
    own = (overrides or {}).get(language) or {}

    def text(key: str, table: dict) -> str:
        return own.get(key) or table[language]

    values = {"team": details.get("team", ""), "placing": details.get("placing", ""),
              "role": _ROLES.get(details.get("role", ""), {}).get(language,
                                                                   details.get("role", ""))}
    with force_locale(language):
        start = format_date(starts_on, "long") if starts_on else None
        end = format_date(ends_on, "long") if ends_on else None
    if start and end and start != end:
        dates = _COMMON["span"][language] % {"start": start, "end": end}
    elif start or end:
        dates = _COMMON["one_day"][language] % {"date": start or end}
    else:
        dates = ""
    return {
        "organisation": organisation,
        "heading": text("heading", _HEADINGS[kind]),
        "intro": text("intro", _COMMON["intro"]),
        "name": holder_name,
        "reason": text("reason", _REASONS[kind]) % values,
        "title": title,
        "dates": dates,
        "hours": (_COMMON["hours"][language] % {"hours": _hours_text(hours, language)}
                  if hours else ""),
        "verify": _COMMON["verify"][language],
        "code_label": _COMMON["code"][language],
    }
