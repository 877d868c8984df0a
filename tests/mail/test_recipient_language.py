"""Every message speaks its RECIPIENT's language (issue 18.3), never the sender's nor the
request's: a Spanish-speaking organiser's action, a Spanish page, or the scheduler (no request
at all) each send a Portuguese and a French reader their own subject, body and calendar
invite, through the real SMTP test server."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext

from elearn.extensions import db
from elearn.mail.services import deliver_committed

READERS = ("pt", "fr")


def said(language: str, msgid: str, **values) -> str:
    """What the catalogue says in `language` (and it must really be translated)."""
    with force_locale(language):
        text = gettext(msgid, **values)
    with force_locale("en"):
        assert text != gettext(msgid, **values), f"{msgid!r} is not translated to {language}"
    return text


@pytest.fixture
def readers(make_user):
    return {lang: make_user(email=f"{lang}@example.org", full_name=f"Reader {lang}",
                            preferred_language=lang) for lang in READERS}


def _one(mailbox, address):
    deliver_committed()
    message = mailbox.last(address)
    return message, mailbox.text_of(message)


def test_event_confirmation_and_invite_in_a_spanish_organisers_request(
        app, readers, make_event, register, mailbox):
    from elearn.events.services import notifications

    event = make_event(starts_at=datetime.now(UTC) + timedelta(days=3), title_en="Workshop",
                       language="es")
    with app.test_request_context(headers={"Accept-Language": "es"}):
        for reader in readers.values():
            notifications.confirmed(register(event, reader))
        db.session.commit()
    for lang, reader in readers.items():
        message, text = _one(mailbox, reader.email)
        assert message["Subject"] == said(lang, "Registration confirmed: %(title)s",
                                          title="Workshop")
        assert said(lang, "Your registration is confirmed. The calendar invitation is "
                          "attached.") in text
        [invite] = [p for p in message.walk() if p.get_content_type() == "text/calendar"][:1]
        ics = invite.get_content()
        assert said(lang, "Details: %(url)s", url="").strip() in ics.replace("\r\n ", "")


def test_scheduler_reminder_without_a_request(app, readers, make_event, register, mailbox):
    from elearn.events.services import notifications

    event = make_event(starts_at=datetime.now(UTC) + timedelta(hours=3), title_en="Seminar")
    for reader in readers.values():
        register(event, reader)
    from flask import has_request_context
    assert not has_request_context()  # as the scheduler's job runs
    assert notifications.send_reminders() == 2
    db.session.commit()
    for lang, reader in readers.items():
        message, text = _one(mailbox, reader.email)
        assert message["Subject"] == said(lang, "Reminder: %(title)s starts soon",
                                          title="Seminar")
        assert said(lang, "A reminder: the event starts soon.") in text


def test_password_reset_asked_from_a_spanish_page(app, client, readers, mailbox):
    for lang, reader in readers.items():
        client.post("/password/forgot", data={"email": reader.email},
                    headers={"Accept-Language": "es"})
        message, text = _one(mailbox, reader.email)
        assert message["Subject"] == said(lang, "Reset your password")
        assert said(lang, "Someone asked to reset the password of your account. To choose a "
                          "new password, open this link:") in text


def test_a_reset_for_an_address_without_account_speaks_the_pages_language(app, client,
                                                                          mailbox):
    client.post("/password/forgot", data={"email": "nobody@example.org"},
                headers={"Accept-Language": "fr"})
    message, _text = _one(mailbox, "nobody@example.org")
    assert message["Subject"] == said("fr", "Password reset requested")


def test_course_decision_by_a_spanish_instructor(app, readers, make_user, mailbox):
    from elearn.courses.models import Course, Edition, EditionStatus, Enrolment
    from elearn.courses.services import enrolment as service

    instructor = make_user(roles=["instructor"], preferred_language="es")
    edition = Edition(course=Course(title_en="SME policy", title_es="Política PYME",
                                    languages=["es", "en"]),
                      name_en="Caribbean 2026", starts_on=date(2026, 9, 1),
                      ends_on=date(2026, 12, 1), timezone="America/Port_of_Spain",
                      status=EditionStatus.OPEN, capacity=10)
    db.session.add(edition)
    rows = [Enrolment(edition=edition, user_id=r.id) for r in readers.values()]
    db.session.add_all(rows)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "es"}):
        service.decide(edition, [r.id for r in rows], "accept", actor=instructor)
        db.session.commit()
    for lang, reader in readers.items():
        message, _text = _one(mailbox, reader.email)
        assert message["Subject"] == said(lang, "You have been accepted")


def test_certificate_notice_follows_the_holder_not_the_certificate(app, readers, make_event,
                                                                   mailbox):
    from elearn.certificates.services.issuing import notify_holder

    class Issued:  # what notify_holder reads of a certificate
        code = "7K2M9QXD4HRTB3WE"
        display_code = "7K2M-9QXD-4HRT-B3WE"
        subject_title = "Taller"
        holder_name = "Reader"
        organisation_name = "SELA"

    with app.test_request_context(headers={"Accept-Language": "es"}):
        for reader in readers.values():
            certificate = Issued()
            certificate.holder = reader
            notify_holder(certificate)
        db.session.commit()
    for lang, reader in readers.items():
        message, text = _one(mailbox, reader.email)
        assert message["Subject"] == said(lang, "Your certificate: %(title)s", title="Taller")
        assert said(lang, "Your certificate for “%(title)s” has been issued.",
                    title="Taller") in text
