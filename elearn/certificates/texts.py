"""The wording printed on certificates, in the holder's language.

These are the certificate's own texts (part of its design, like the layout), kept here in the
four languages so a certificate never depends on whether a .po catalogue is up to date. A
template may override any of them per language (`CertificateTemplate.texts`).
"""

from babel.dates import format_date

from .models import CertificateKind

LANGUAGES = ("en", "es", "pt", "fr")
# Dates as each language writes them on a formal document: "7 December 2026" in English (the
# organisation's international usage), "7 de diciembre de 2026" in Spanish.
_DATE_LOCALES = {"en": "en_GB", "es": "es", "pt": "pt", "fr": "fr"}

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
        "en": "Certificate of achievement", "es": "Certificado de distinción",
        "pt": "Certificado de distinção", "fr": "Certificat de distinction"},
    CertificateKind.SPEAKER: {
        "en": "Certificate of appreciation", "es": "Certificado de reconocimiento",
        "pt": "Certificado de reconhecimento", "fr": "Certificat de reconnaissance"},
    CertificateKind.INSTRUCTOR: {
        "en": "Certificate of appreciation", "es": "Certificado de reconocimiento",
        "pt": "Certificado de reconhecimento", "fr": "Certificat de reconnaissance"},
}

# Who the certificate is for: formal award wording, the name follows on its own line.
_INTROS = {
    "certificate": {"en": "This certificate is awarded to",
                    "es": "Se otorga el presente certificado a",
                    "pt": "Confere-se o presente certificado a",
                    "fr": "Le présent certificat est décerné à"},
    "diploma": {"en": "This diploma is awarded to", "es": "Se otorga el presente diploma a",
                "pt": "Confere-se o presente diploma a", "fr": "Le présent diplôme est décerné à"},
}
_INTRO_OF_KIND = {
    CertificateKind.PARTICIPATION: "certificate", CertificateKind.DIPLOMA: "diploma",
    CertificateKind.HACKATHON_PARTICIPATION: "certificate",
    CertificateKind.HACKATHON_AWARD: "certificate", CertificateKind.SPEAKER: "certificate",
    CertificateKind.INSTRUCTOR: "certificate",
}

# Why, leading into the activity's title on the next line.
_REASONS = {
    CertificateKind.PARTICIPATION: {
        "en": "for participating in", "es": "por su participación en",
        "pt": "por sua participação em", "fr": "pour sa participation à"},
    CertificateKind.DIPLOMA: {
        "en": "for successfully completing", "es": "por haber aprobado satisfactoriamente",
        "pt": "por ter concluído com aproveitamento", "fr": "pour avoir suivi avec succès"},
    CertificateKind.HACKATHON_PARTICIPATION: {
        "en": "for taking part, as a member of the team %(team)s, in",
        "es": "por su participación como integrante del equipo %(team)s en",
        "pt": "por sua participação como membro da equipe %(team)s em",
        "fr": "pour sa participation, en tant que membre de l'équipe %(team)s, à"},
    CertificateKind.HACKATHON_AWARD: {
        "en": "for winning %(place)s place, with the team %(team)s, in",
        "es": "por obtener el %(place)s lugar, con el equipo %(team)s, en",
        "pt": "por conquistar o %(place)s lugar, com a equipe %(team)s, em",
        "fr": "pour avoir remporté la %(place)s place, avec l'équipe %(team)s, à"},
    CertificateKind.SPEAKER: {
        "en": "for contributing as %(role)s to", "es": "por su contribución como %(role)s en",
        "pt": "por sua contribuição como %(role)s em",
        "fr": "pour sa contribution en tant que %(role)s à"},
    CertificateKind.INSTRUCTOR: {
        "en": "for teaching", "es": "por haber impartido", "pt": "por ter ministrado",
        "fr": "pour avoir enseigné"},
}

# Placings in words, as the award wording reads ("first place", "primer lugar").
_ORDINALS = {
    "en": ("first", "second", "third", "fourth", "fifth"),
    "es": ("primer", "segundo", "tercer", "cuarto", "quinto"),
    "pt": ("primeiro", "segundo", "terceiro", "quarto", "quinto"),
    "fr": ("première", "deuxième", "troisième", "quatrième", "cinquième"),
}

_ROLES = {
    "speaker": {"en": "speaker", "es": "ponente", "pt": "palestrante", "fr": "intervenant"},
    "panellist": {"en": "panellist", "es": "panelista", "pt": "painelista", "fr": "panéliste"},
    "chair": {"en": "chair", "es": "presidente de sesión", "pt": "presidente de sessão",
              "fr": "président de séance"},
    "moderator": {"en": "moderator", "es": "moderador", "pt": "moderador", "fr": "modérateur"},
}

_COMMON = {
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


def languages_for(person, language: str | None = None,
                  second: str | None = None) -> tuple[str, str | None]:
    """(language, second language or None) of a certificate: the one chosen, else the
    holder's; a second language equal to the first (or unknown) makes it monolingual."""
    first = language if language in LANGUAGES else language_for(person)
    return first, (second if second in LANGUAGES and second != first else None)


def _hours_text(hours: float, language: str) -> str:
    whole = int(hours) if float(hours).is_integer() else hours
    text = str(whole)
    return text.replace(".", ",") if language != "en" else text


def ordinal(placing, language: str) -> str:
    try:
        number = int(placing)
    except (TypeError, ValueError):
        return str(placing or "")
    words = _ORDINALS[language]
    if 1 <= number <= len(words):
        return words[number - 1]
    if language == "en":
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
            number % 10, "th")
        return f"{number}{suffix}"
    return {"es": f"{number}.º", "pt": f"{number}º", "fr": f"{number}e"}[language]


def long_date(day, language: str) -> str:
    return format_date(day, "long", locale=_DATE_LOCALES.get(language, "en_GB"))


def place_and_date(place: str, day, language: str) -> str:
    """"Caracas, 7 December 2026": where and when the certificate was issued."""
    when = long_date(day, language) if day else ""
    return ", ".join(part for part in ((place or "").strip(), when) if part)


def printed_lines(kind: CertificateKind, language: str, *, holder_name: str, title: str,
                  organisation: str, starts_on, ends_on, hours, details: dict,
                  overrides: dict | None = None, place: str = "", issued_on=None,
                  signatories: list[dict] | None = None) -> dict:
    """The lines of the certificate in `language`: what the PDF prints and the verification
    page repeats. `organisation` and the signatories' titles come already in `language`."""
    kind = CertificateKind(kind)
    own = (overrides or {}).get(language) or {}

    def text(key: str, table: dict) -> str:
        return own.get(key) or table[language]

    values = {"team": details.get("team", ""), "placing": details.get("placing", ""),
              "place": ordinal(details.get("placing", ""), language),
              "role": _ROLES.get(details.get("role", ""), {}).get(language,
                                                                   details.get("role", ""))}
    start = long_date(starts_on, language) if starts_on else None
    end = long_date(ends_on, language) if ends_on else None
    if start and end and start != end:
        dates = _COMMON["span"][language] % {"start": start, "end": end}
    elif start or end:
        dates = _COMMON["one_day"][language] % {"date": start or end}
    else:
        dates = ""
    try:
        reason = text("reason", _REASONS[kind]) % values
    except (KeyError, ValueError, TypeError):
        reason = text("reason", _REASONS[kind])  # an override with a stray %: printed as typed
    lines = {
        "organisation": organisation,
        "heading": text("heading", _HEADINGS[kind]),
        "intro": text("intro", _INTROS[_INTRO_OF_KIND[kind]]),
        "name": holder_name,
        "reason": reason,
        "title": title,
        "dates": dates,
        "hours": (_COMMON["hours"][language] % {"hours": _hours_text(hours, language)}
                  if hours else ""),
        "place_date": place_and_date(place, issued_on, language),
        "verify": _COMMON["verify"][language],
        "code_label": _COMMON["code"][language],
    }
    if signatories is not None:
        lines["signatories"] = signatories
    return lines


def bilingual(first: dict, second: dict, second_language: str) -> dict:
    """A bilingual certificate's lines: those of the first language, each sentence of the
    second language kept under `second` (printed under the first's), and the short labels
    (verification, code, signatories' titles) in both, "Código / Code"."""
    lines = dict(first)
    lines["second"] = {key: value for key, value in second.items() if key != "signatories"}
    lines["second_language"] = second_language

    def both(one: str, other: str) -> str:
        return one if not other or one == other else f"{one} / {other}"

    lines["verify"] = both(first["verify"], second["verify"])
    lines["code_label"] = both(first["code_label"], second["code_label"])
    if first.get("signatories") is not None:
        others = second.get("signatories") or []
        lines["signatories"] = [
            dict(person, title=both(person.get("title", ""),
                                    others[i].get("title", "") if i < len(others) else ""))
            for i, person in enumerate(first["signatories"])]
    return lines
