"""What arrives through a real SMTP server (aiosmtpd): the calendar part quoted-printable with
its CRLF lines intact, read by two independent iCalendar parsers, and subjects that decode to
exactly what was sent, however they were folded."""

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import icalendar
import pytest
import vobject

from elearn.events.calendar import invite_ics
from elearn.events.models import (
    AttendanceMode,
    Event,
    EventKind,
    EventMode,
    EventSession,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.mail.services import deliver_committed, queue


def spanish_invite(user) -> str:
    event = Event(kind=EventKind.WORKSHOP, timezone="America/Santiago", mode=EventMode.HYBRID,
                  status=EventStatus.PUBLISHED,
                  title_en="Gender-focused SME policy", title_es="Políticas de género para pymes",
                  description_es="Sesión de apertura del diplomado: género, pymes y política "
                                 "pública en América Latina y el Caribe. " * 4,
                  venue_name="CEPAL – Sala Raúl Prebisch", venue_city="Santiago",
                  venue_country="CL")
    start = datetime(2026, 9, 5, 13, tzinfo=UTC)  # the day before Santiago's change
    event.sessions.append(EventSession(title_en="Opening", title_es="Apertura",
                                       starts_at=start, ends_at=start + timedelta(hours=2)))
    reg = Registration(event=event, user=user, mode=AttendanceMode.IN_PERSON,
                       status=RegistrationStatus.CONFIRMED)
    db.session.add(reg)
    db.session.commit()
    return invite_ics(reg)


def send(address: str, subject: str, ics: str | None = None) -> None:
    queue(address, subject, "Está inscrita.", calendar_ics=ics,
          calendar_method="REQUEST" if ics else None)
    db.session.commit()
    deliver_committed()


def calendar_parts(message):
    inline = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    attached = [p for p in message.walk() if p.get_content_type() == "application/ics"]
    return inline, attached


def test_calendar_part_is_quoted_printable_and_keeps_its_crlf_lines(app, make_user, mailbox):
    user = make_user(email="rosa@example.org", preferred_language="es")
    ics = spanish_invite(user)
    assert not ics.isascii() and "\r\n" in ics and "\n" not in ics.replace("\r\n", "")

    send(user.email, "Invitación", ics)

    message = mailbox.last(user.email)
    (inline,), (attached,) = calendar_parts(message)
    assert inline["Content-Transfer-Encoding"] == "quoted-printable"
    assert inline.get_content_charset() == "utf-8"
    # On the wire: 7-bit lines of at most 76 characters, one hard line break per iCalendar
    # line (a CR or LF inside a line would show as =0D / =0A).
    wire = inline.get_payload(decode=False)
    assert wire.isascii()
    wire_lines = wire.replace("\r\n", "\n").split("\n")
    assert all(len(line) <= 76 for line in wire_lines)
    assert "=0D" not in wire and "=0A" not in wire
    hard_breaks = sum(1 for line in wire_lines[:-1] if not line.endswith("="))
    assert hard_breaks == ics.count("\r\n")
    # Decoded in canonical form (hard line break = CRLF): the very text that was sent.
    canonical = inline.get_content().replace("\r\n", "\n").replace("\n", "\r\n")
    assert canonical == ics
    assert all(len(line.encode()) <= 75 for line in canonical.split("\r\n"))
    # The attachment is base64: the bytes, CRLF included, exactly.
    assert attached["Content-Transfer-Encoding"] == "base64"
    assert attached.get_content() == ics.encode("utf-8")

    for text in (canonical, attached.get_content().decode("utf-8")):
        parsed = icalendar.Calendar.from_ical(text)
        (vevent,) = parsed.walk("VEVENT")
        assert str(vevent["summary"]) == "Políticas de género para pymes – Apertura"
        assert vevent.decoded("dtstart").astimezone(UTC) == datetime(2026, 9, 5, 13, tzinfo=UTC)
        vars(vobject.icalendar)["__tzidMap"].clear()
        other = vobject.readOne(text)
        assert other.method.value == "REQUEST"
        assert other.vevent.uid.value == str(vevent["uid"])
        assert other.vevent.location.value.startswith("CEPAL – Sala Raúl Prebisch")
        assert other.vevent.dtstart.value.astimezone(UTC) == datetime(2026, 9, 5, 13,
                                                                      tzinfo=UTC)


SUBJECTS = [
    "Invitación",
    "Your registration",
    # a fold between an encoded word and plain text lost or doubled the space here
    "pymes Cancelado: Port-of-Spain (reprogramada) género Actualización: policy Taller "
    "Port-of-Spain Reunión – Día pymes Reunión xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx “quoted” — SME",
    "— » Día à » à regional regional \"q\" » — Día políticas (reprogramada) – ñññññññññ — "
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx policy “quoted” 1 Paulo",
    "Actualización: Taller regional sobre políticas de género para pymes – Sesión de "
    "apertura en Santiago de Chile (reprogramada)",
    "Mise à jour : l'atelier régional « Politiques de genre et PME » – séance d'ouverture "
    "à Port-d'Espagne",
    "Registration confirmed: Regional workshop on gender-focused SME policy – opening "
    "session in Port of Spain, Trinidad and Tobago",
    "A plain English subject that is long enough to need folding, about eighty-odd chars",
    "Two  spaces  kept and an ASCII =?utf-8?q?lookalike?= that must stay text",
    "Reunião híbrida: " + "ção " * 30 + "fim",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_subject_decodes_to_exactly_what_was_sent(app, make_user, mailbox, subject):
    address = "subject@example.org"
    send(address, subject)

    message = mailbox.last(address)
    assert str(message["Subject"]) == subject
    (raw,) = [value for name, value in message.raw_items() if name.lower() == "subject"]
    lines = raw.replace("\r\n", "\n").split("\n")
    assert all(len(line) <= 78 - len("Subject: ") for line in lines[:1])
    assert all(len(line) <= 78 for line in lines)
    # no continuation line starts with two blanks (a doubled space after the fold)
    assert not any(line.startswith(("  ", " \t", "\t ")) for line in lines[1:])
    # a reader with the older API (unfold, then decode) gets the same text
    legacy = email.message_from_bytes(message.as_bytes(policy=email.policy.SMTP),
                                      policy=email.policy.compat32)["Subject"]
    unfolded = legacy.replace("\r\n", "").replace("\n", "")
    assert str(make_header(decode_header(unfolded))) == subject


def test_short_ascii_subject_stays_readable_on_the_wire(app, make_user, mailbox):
    send("plain@example.org", "Your registration")
    message = mailbox.last("plain@example.org")
    (raw,) = [value for name, value in message.raw_items() if name.lower() == "subject"]
    assert raw.strip() == "Your registration"


def test_subject_with_a_line_break_is_not_sent(app, make_user, mailbox):
    from elearn.mail.models import OutboxMessage, OutboxStatus

    message = queue("broken@example.org", "Taller\r\nBcc: todos@example.org", "x")
    db.session.commit()
    deliver_committed()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).status == OutboxStatus.FAILED
    assert not mailbox.to("broken@example.org")
