"""Certificates in a chosen language or bilingual (issue 18.3): the organiser picks the
language when issuing (default each holder's own), or a second one printed under the first;
read back with pypdf; the choice travels through the bulk job and a reissue keeps it."""

import pytest
from sqlalchemy import select

from elearn.certificates.models import Certificate, CertificateKind, IssueJob
from elearn.certificates.services import issue, reissue
from elearn.extensions import db
from elearn.mail.services import deliver_committed


@pytest.fixture
def setup(make_user, make_event, register, attend, make_template):
    organiser = make_user(email="org@example.org", roles=["organiser"])
    event = make_event(sessions=4, organiser=organiser, title="Regional SME policy workshop")
    people = {}
    for language in ("es", "pt", "fr"):
        person = make_user(email=f"{language}@example.org", full_name=f"Persona {language}",
                           preferred_language=language)
        register(event, person)
        attend(person, event.sessions)
        people[language] = person
    make_template(signatories=2)
    return event, organiser, people


def _base(event):
    return f"/certificates/manage/event/{event.id}"


def test_by_default_each_holder_gets_their_own_language(setup, pdf_text):
    event, _organiser, people = setup
    for language, heading in (("pt", "Certificado de participação"),
                              ("fr", "Certificat de participation")):
        certificate, _ = issue(CertificateKind.PARTICIPATION, event, people[language])
        db.session.commit()
        assert (certificate.language, certificate.second_language) == (language, None)
        assert heading in pdf_text(certificate.pdf)


def test_a_chosen_language_overrides_the_holders(setup, pdf_text):
    event, _organiser, people = setup
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["pt"], language="fr")
    db.session.commit()
    text = pdf_text(certificate.pdf)
    assert certificate.language == "fr"
    assert "Certificat de participation" in text and "pour sa participation à" in text
    assert "Certificado de participação" not in text


def test_bilingual_prints_both_languages_one_under_the_other(setup, pdf_text, mailbox):
    event, _organiser, people = setup
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["fr"], language="es",
                           second_language="en")
    db.session.commit()
    deliver_committed()
    assert (certificate.language, certificate.second_language) == ("es", "en")
    text = pdf_text(certificate.pdf)
    spanish, english = text.index("Certificado de participación"), \
        text.index("Certificate of participation")
    assert spanish < english  # the first language on top, the second under it
    assert "Se otorga el presente certificado a" in text
    assert "This certificate is awarded to" in text
    assert text.index("por su participación en") < text.index("for participating in")
    assert "12 horas de formación" in text and "12 hours of training" in text
    assert "Código / Code" in text
    assert certificate.printed["second"]["heading"] == "Certificate of participation"
    # the email still speaks the holder's own language (French)
    body = mailbox.text_of(mailbox.last("fr@example.org"))
    assert "certificat" in body.lower() and "Your certificate" not in body


def test_same_second_language_or_unknown_ones_make_it_monolingual(setup):
    event, _organiser, people = setup
    certificate, _ = issue(CertificateKind.PARTICIPATION, event, people["es"], language="xx",
                           second_language="es")
    db.session.commit()
    assert (certificate.language, certificate.second_language) == ("es", None)
    assert "second" not in certificate.printed


def test_a_reissue_keeps_the_chosen_languages(setup, pdf_text):
    event, _organiser, people = setup
    first, _ = issue(CertificateKind.PARTICIPATION, event, people["pt"], language="en",
                     second_language="fr")
    db.session.commit()
    people["pt"].full_name = "Persona Corrigida"
    replacement = reissue(first, reason="name")
    db.session.commit()
    assert (replacement.language, replacement.second_language) == ("en", "fr")
    assert "Persona Corrigida" in pdf_text(replacement.pdf)


def test_organiser_issues_one_in_a_chosen_language_from_the_page(client, login, setup,
                                                                 pdf_text):
    event, organiser, people = setup
    login(organiser)
    page = client.get(f"{_base(event)}?kind=participation").get_data(as_text=True)
    assert 'id="one-language"' in page and 'id="bulk-second-language"' in page
    response = client.post(f"{_base(event)}/issue?kind=participation", data={
        "person_id": people["es"].id, "language": "pt", "second_language": "es"})
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate))
    assert (certificate.language, certificate.second_language) == ("pt", "es")
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert 'lang="es"' in verify and "Certificado de participación" in verify


def test_a_language_that_is_not_offered_is_refused(client, login, setup):
    event, organiser, people = setup
    login(organiser)
    response = client.post(f"{_base(event)}/issue?kind=participation", data={
        "person_id": people["es"].id, "language": "de"})
    assert response.status_code == 400
    assert db.session.scalar(select(Certificate)) is None


def test_bulk_issue_in_one_language_for_everyone(client, login, setup, pdf_text):
    event, organiser, _people = setup
    login(organiser)
    confirm = client.post(f"{_base(event)}/bulk", data={
        "kind": "participation", "language": "en", "second_language": "es"})
    text = confirm.get_data(as_text=True)
    assert "Each certificate is printed in English, with Español under it." in text
    assert 'name="language" value="en"' in text and 'name="second_language" value="es"' in text
    client.post(f"{_base(event)}/bulk", data={
        "kind": "participation", "language": "en", "second_language": "es", "confirmed": "1"})
    job = db.session.scalar(select(IssueJob))
    assert (job.language, job.second_language, job.issued) == ("en", "es", 3)
    for certificate in db.session.scalars(select(Certificate)):
        assert (certificate.language, certificate.second_language) == ("en", "es")
        printed = pdf_text(certificate.pdf)
        assert printed.index("Certificate of participation") < \
            printed.index("Certificado de participación")
