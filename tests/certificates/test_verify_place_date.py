"""A diploma prints the course edition's name in the certificate's language, and the
verification page repeats the printed place and date of issue (issue 14, point 8)."""

from datetime import date

import pytest
from babel.dates import format_date

from elearn.certificates.models import CertificateKind
from elearn.certificates.services import issue
from elearn.certificates.services.templates import issue_date
from elearn.extensions import db


@pytest.fixture
def diplomas(app, make_user, make_template, monkeypatch):
    """A completed edition named in English and Spanish, a diploma template printing Caracas
    as the place of issue, and a Spanish- and an English-speaking graduate with diplomas."""
    from elearn.courses.models import Course, Edition, EditionStatus, Enrolment, Module

    # The recorded COMPLETED status decides (the completion rules are the courses' tests).
    monkeypatch.setattr("elearn.certificates.kinds.completion_service", lambda: None)
    course = Course(title_en="Gender-focused SME policy",
                    title_es="Políticas PYME con enfoque de género", languages=["es", "en"])
    edition = Edition(course=course, name_en="Regional edition 2026",
                      name_es="Edición regional 2026", starts_on=date(2026, 2, 2),
                      ends_on=date(2026, 5, 29), timezone="America/Caracas",
                      status=EditionStatus.COMPLETED)
    edition.modules = [Module(title_en="M1", hours=20, position=0)]
    db.session.add(edition)
    db.session.commit()
    make_template(kind=CertificateKind.DIPLOMA, place="Caracas")
    found = {}
    for language in ("es", "en"):
        person = make_user(full_name=f"Graduate {language}", preferred_language=language)
        db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, status="completed"))
        db.session.commit()
        found[language], _ = issue(CertificateKind.DIPLOMA, edition, person)
    db.session.commit()
    return edition, found


def test_a_spanish_diploma_prints_the_spanish_edition_name(diplomas, pdf_text):
    _edition, found = diplomas
    text = pdf_text(found["es"].pdf)
    assert "Edición regional 2026" in text
    assert "Regional edition 2026" not in text
    assert found["es"].subject_title == ("Políticas PYME con enfoque de género — "
                                         "Edición regional 2026")


def test_an_english_diploma_prints_the_english_edition_name(diplomas, pdf_text):
    _edition, found = diplomas
    text = pdf_text(found["en"].pdf)
    assert "Regional edition 2026" in text
    assert "Edición regional 2026" not in text
    assert found["en"].subject_title == "Gender-focused SME policy — Regional edition 2026"


def test_without_a_spanish_name_a_spanish_diploma_prints_the_english_one(
        app, make_user, make_edition, make_template, monkeypatch, pdf_text):
    from elearn.courses.models import Enrolment

    monkeypatch.setattr("elearn.certificates.kinds.completion_service", lambda: None)
    edition = make_edition(name="Caribbean 2026")
    make_template(kind=CertificateKind.DIPLOMA)
    person = make_user(full_name="Persona", preferred_language="es")
    db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, status="completed"))
    db.session.commit()
    certificate, _ = issue(CertificateKind.DIPLOMA, edition, person)
    text = pdf_text(certificate.pdf)
    assert "Caribbean 2026" in text
    assert "(in English)" not in text and "(en inglés)" not in text


@pytest.mark.parametrize(("language", "locale"), [("es", "es"), ("en", "en_GB")])
def test_the_verify_page_shows_the_printed_place_and_date_of_issue(client, diplomas, language,
                                                                   locale):
    _edition, found = diplomas
    certificate = found[language]
    expected = f"Caracas, {format_date(issue_date(), 'long', locale=locale)}"
    assert certificate.printed["place_date"] == expected
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert expected in page
    # In the printed block, in the certificate's language.
    printed = page.split('<div class="printed"', 1)[1].split("</div>", 1)[0]
    assert f'lang="{language}"' in printed and expected in printed
    title = "Edición regional 2026" if language == "es" else "Regional edition 2026"
    assert title in printed


def test_a_certificate_printed_without_place_and_date_shows_no_empty_line(client, diplomas):
    """Certificates issued before place and date were printed have no such line."""
    _edition, found = diplomas
    certificate = found["en"]
    certificate.printed = {k: v for k, v in certificate.printed.items() if k != "place_date"}
    db.session.commit()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert 'class="place-date"' not in page
