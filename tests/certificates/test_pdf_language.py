"""What a certificate prints in its language (issue 14.8): the organisation's name, the
activity's title and the signatories' titles; the place and date of issue; the award wording;
the logo and seal; and the document's declared language."""

import io
from datetime import date

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from elearn.certificates import texts
from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue
from elearn.certificates.services.templates import issue_date
from elearn.extensions import db


@pytest.fixture
def workshop(app, make_user, make_event, register, attend, make_template):
    """A finished workshop with English and Spanish titles, one template printing the
    organisation's configured name, and a Spanish- and an English-speaking participant."""
    event = make_event(sessions=1, title="Regional workshop on SME policy",
                       title_es="Taller regional de políticas PYME")
    template = make_template(signatories=2)
    template.organisation_name = app.config["ORGANISATION_NAME"]
    template.signatories[0].title = "Permanent Secretary"
    template.signatories[0].titles = {"es": "Secretaria Permanente"}
    template.signatories[1].title = "Programme Coordinator"
    template.signatories[1].titles = None  # no Spanish title: the English one prints
    db.session.commit()
    people = {}
    for language in ("es", "en"):
        person = make_user(full_name=f"Persona {language}", preferred_language=language)
        register(event, person)
        attend(person, event.sessions)
        people[language] = person
    return event, template, people


def test_a_spanish_certificate_prints_the_organisation_title_and_signatory_in_spanish(
        app, workshop, pdf_text):
    event, _template, people = workshop
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["es"])
    text = pdf_text(certificate.pdf)
    spanish_name = app.config["ORGANISATION_NAMES"]["es"]
    assert spanish_name == "Sistema Económico Latinoamericano y del Caribe (SELA)"
    assert spanish_name in text
    assert app.config["ORGANISATION_NAME"] not in text
    assert "Taller regional de políticas PYME" in text
    assert "Secretaria Permanente" in text and "Permanent Secretary" not in text
    assert "Programme Coordinator" in text  # no Spanish title given: the English one
    assert "Se otorga el presente certificado a" in text and "por su participación en" in text
    assert f"Caracas, {format_date(issue_date(), 'long', locale='es')}" in text
    # The snapshot says what was printed, in the same language.
    assert certificate.organisation_name == spanish_name
    assert certificate.printed["signatories"][0] == {"name": "Clarissa Bórquez",
                                                     "title": "Secretaria Permanente"}
    assert certificate.printed["place_date"].startswith("Caracas, ")


def test_an_english_certificate_of_the_same_template_prints_english(app, workshop, pdf_text):
    event, _template, people = workshop
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["en"])
    text = pdf_text(certificate.pdf)
    assert app.config["ORGANISATION_NAME"] in text
    assert "Regional workshop on SME policy" in text
    assert "Permanent Secretary" in text and "Secretaria Permanente" not in text
    assert "This certificate is awarded to" in text and "for participating in" in text
    assert f"Caracas, {format_date(issue_date(), 'long', locale='en_GB')}" in text


def test_place_from_the_template_or_the_setting(app, workshop, pdf_text):
    event, template, people = workshop
    app.config["CERTIFICATE_PLACE"] = "Ciudad de Panamá"
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["en"])
    assert "Ciudad de Panamá, " in pdf_text(certificate.pdf)
    template.place = "Panamá"
    db.session.commit()
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["es"])
    assert f"Panamá, {format_date(issue_date(), 'long', locale='es')}" in pdf_text(
        certificate.pdf)


def test_place_and_date_as_each_language_writes_them():
    day = date(2026, 12, 7)
    assert texts.place_and_date("Panamá", day, "es") == "Panamá, 7 de diciembre de 2026"
    assert texts.place_and_date("Caracas", day, "en") == "Caracas, 7 December 2026"
    assert texts.place_and_date("Caracas", day, "fr") == "Caracas, 7 décembre 2026"
    assert texts.place_and_date("", day, "pt") == "7 de dezembro de 2026"


def test_a_template_names_the_organisation_its_own_way_per_language(workshop, pdf_text):
    event, template, people = workshop
    template.texts = {"es": {"organisation": "SELA — Secretaría Permanente"}}
    db.session.commit()
    spanish, _ = issue(CertificateKind.PARTICIPATION, event, people["es"])
    assert "SELA — Secretaría Permanente" in pdf_text(spanish.pdf)
    english, _ = issue(CertificateKind.PARTICIPATION, event, people["en"])
    assert "Latin American and Caribbean Economic System (SELA)" in pdf_text(english.pdf)


def test_a_name_typed_on_the_template_prints_as_typed(workshop, pdf_text):
    event, template, people = workshop
    template.organisation_name = "Caribbean Development Partnership"
    db.session.commit()
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["es"])
    assert "Caribbean Development Partnership" in pdf_text(certificate.pdf)


@pytest.mark.parametrize("kind,language,intro,reason", [
    (CertificateKind.DIPLOMA, "es", "Se otorga el presente diploma a",
     "por haber aprobado satisfactoriamente"),
    (CertificateKind.DIPLOMA, "en", "This diploma is awarded to",
     "for successfully completing"),
    (CertificateKind.HACKATHON_PARTICIPATION, "es", "Se otorga el presente certificado a",
     "por su participación como integrante del equipo Cóndor en"),
    (CertificateKind.HACKATHON_AWARD, "es", "Se otorga el presente certificado a",
     "por obtener el primer lugar, con el equipo Cóndor, en"),
    (CertificateKind.HACKATHON_AWARD, "en", "This certificate is awarded to",
     "for winning first place, with the team Cóndor, in"),
])
def test_award_wording(app, kind, language, intro, reason):
    lines = texts.printed_lines(kind, language, holder_name="X", title="T", organisation="O",
                                starts_on=None, ends_on=None, hours=None,
                                details={"team": "Cóndor", "placing": 1})
    assert (lines["intro"], lines["reason"]) == (intro, reason)


def test_placings_in_words_and_beyond():
    assert [texts.ordinal(n, "es") for n in (1, 2, 3)] == ["primer", "segundo", "tercer"]
    assert [texts.ordinal(n, "en") for n in (3, 11, 22, 23)] == ["third", "11th", "22nd", "23rd"]
    assert texts.ordinal(7, "es") == "7.º" and texts.ordinal(2, "fr") == "deuxième"


def test_template_overrides_of_the_wording_still_apply(app):
    overrides = {"es": {"intro": "Otorga la presente constancia a",
                        "reason": "por el puesto %(placing)s con %(team)s en"},
                 "en": {"reason": "for 100% commitment in"}}
    spanish = texts.printed_lines(CertificateKind.HACKATHON_AWARD, "es", holder_name="X",
                                  title="T", organisation="O", starts_on=None, ends_on=None,
                                  hours=None, details={"team": "Cóndor", "placing": 2},
                                  overrides=overrides)
    assert spanish["intro"] == "Otorga la presente constancia a"
    assert spanish["reason"] == "por el puesto 2 con Cóndor en"
    english = texts.printed_lines(CertificateKind.HACKATHON_AWARD, "en", holder_name="X",
                                  title="T", organisation="O", starts_on=None, ends_on=None,
                                  hours=None, details={}, overrides=overrides)
    assert english["reason"] == "for 100% commitment in"  # a stray % is printed as typed


def test_the_document_declares_its_language_and_title(workshop):
    event, _template, people = workshop
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["es"])
    reader = PdfReader(io.BytesIO(certificate.pdf))
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert reader.metadata.title == ("Certificado de participación — "
                                     "Taller regional de políticas PYME")
    assert reader.metadata.author == "Sistema Económico Latinoamericano y del Caribe (SELA)"
    fonts = reader.pages[0]["/Resources"]["/Font"].values()
    for font in (f.get_object() for f in fonts):  # every font is carried by the file
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]


def _images(pdf: bytes) -> list[str]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return sorted(str(name) for name in page["/Resources"]["/XObject"])


def test_the_organisations_logo_prints_and_a_seal_when_the_template_has_one(
        workshop, make_png):
    event, template, people = workshop
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["es"])
    names = _images(certificate.pdf)
    assert any("logo" in n for n in names) and not any("seal" in n for n in names)
    template.seal_image = make_png(size=(200, 200))
    db.session.commit()
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["en"])
    assert any("seal" in n for n in _images(certificate.pdf))


def test_an_unreadable_logo_setting_is_a_template_problem(app, workshop):
    from elearn.certificates.errors import TemplateProblem

    event, _template, people = workshop
    app.config["CERTIFICATE_LOGO_PATH"] = "/nonexistent/logo.png"
    with pytest.raises(TemplateProblem) as problem:
        issue(CertificateKind.PARTICIPATION, event, people["es"])
    assert "CERTIFICATE_LOGO_PATH" in problem.value.message
