"""SMTP transport: turns an outbox row into a MIME message and hands it to the server.

An invite is multipart/mixed [ multipart/alternative [text, html, text/calendar], invite.ics ]:
Outlook and Apple Mail read the inline calendar part, Gmail shows its RSVP card from it, and
the attachment is there for clients that only offer a file to open. The calendar part is
quoted-printable: 7-bit on the wire whatever the server offers (no 8BITMIME needed), with
iCalendar's CRLF line ends kept as the hard line breaks of the encoding.

Subjects that are not short plain ASCII are written as RFC 2047 encoded words of our own
making: the standard library's folder can drop or double the space at a fold between an
encoded word and plain text, which readers then show as "géneroActualización".

`Connection` sends one message at a time and says what the server answered, so the outbox can
record each message's outcome as soon as it is known (see `elearn.mail.services.deliver`).
"""

import html
import smtplib
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

SENT, PERMANENT, TEMPORARY = "sent", "permanent", "temporary"


def build_message(msg, sender: str) -> EmailMessage:
    """Build the MIME message; raises ValueError (or another error) when a header cannot be
    built, e.g. a subject with a line break. The whole message is serialised here so that
    such an error comes out now, for this message alone, and not half-way through sending."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = msg.to_address
    set_subject(email, msg.subject)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "elearn.local")
    email.set_content(msg.body_text)
    if msg.body_html:
        email.add_alternative(msg.body_html, subtype="html")
    if msg.calendar_ics:
        method = msg.calendar_method or "REQUEST"
        if not msg.body_html:
            # make the body multipart/alternative before adding the calendar part; the text is
            # the user's words (an event title, a description), never markup
            email.add_alternative(f"<pre>{html.escape(msg.body_text)}</pre>", subtype="html")
        email.add_alternative(msg.calendar_ics, subtype="calendar", params={"method": method})
        # encoded again with RFC 2045's 76-character lines (the policy's 78 is for headers)
        calendar = email.get_payload()[-1]
        calendar.policy = calendar.policy.clone(max_line_length=76)
        calendar.set_content(msg.calendar_ics, subtype="calendar", params={"method": method},
                             cte="quoted-printable")
        email.add_attachment(
            msg.calendar_ics.encode("utf-8"),
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    for attachment in msg.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    email.as_bytes()
    return email


PLAIN_SUBJECT = 60  # "Subject: " and this fit on one 78-character line, never folded


def set_subject(email: EmailMessage, subject: str) -> None:
    """Subject exactly as given (less outer spaces) once a reader unfolds and decodes it."""
    if "\r" in subject or "\n" in subject:
        raise ValueError("the subject may not contain linefeed or carriage return characters")
    subject = subject.strip()
    if subject.isascii() and subject.isprintable() and len(subject) <= PLAIN_SUBJECT \
            and "=?" not in subject:
        email["Subject"] = subject
        return
    # Every character inside encoded words (spaces too, so none depends on folding), each
    # word on its own line of at most 76 characters; set_raw keeps it from being refolded.
    encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep="\n",
                                                                     maxlinelen=76)
    email.set_raw("Subject", encoded)


@dataclass
class Outcome:
    status: str  # SENT, PERMANENT (the server refused it for good) or TEMPORARY (try later)
    reason: str = ""
    connection_lost: bool = False
    unreachable: bool = False  # no session could be opened: stop this run


class Connection:
    """One SMTP session, opened on the first message and re-opened after the server drops it.

    `send()` never raises for what the server or the network does: it returns an Outcome.
    `ConnectError` is raised when no session can be opened at all (server down or hanging):
    the caller then stops, since every further message would wait for the same timeout.
    """

    def __init__(self, config):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def open(self) -> None:
        config = self.config
        cls = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        try:
            smtp = cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
            try:
                if config.get("MAIL_USE_TLS"):
                    smtp.starttls()
                if config.get("MAIL_USERNAME"):
                    smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            except BaseException:
                smtp.close()
                raise
        except (smtplib.SMTPException, OSError) as exc:
            raise ConnectError(f"cannot open an SMTP session: {_describe(exc)}") from exc
        self.smtp = smtp

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
        self.smtp = None

    def send(self, message: EmailMessage) -> Outcome:
        if self.smtp is None:
            self.open()
        try:
            refused = self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            return _refusal(exc.recipients.values())
        except smtplib.SMTPServerDisconnected as exc:
            self._drop()
            return Outcome(TEMPORARY, f"connection lost: {_describe(exc)}", connection_lost=True)
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421...
            lost = exc.smtp_code == 421
            if lost:
                self._drop()
            return Outcome(_kind(exc.smtp_code), _describe(exc), connection_lost=lost)
        except smtplib.SMTPException as exc:  # e.g. an address the server cannot take (UTF-8)
            return Outcome(PERMANENT, _describe(exc))
        except OSError as exc:  # timeout, reset connection
            self._drop()
            return Outcome(TEMPORARY, f"connection lost: {_describe(exc)}", connection_lost=True)
        if refused:  # only some of several recipients refused (we send to one: not expected)
            return _refusal(refused.values())
        return Outcome(SENT)

    def _drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
        self.smtp = None


class ConnectError(Exception):
    pass


def _kind(code: int) -> str:
    return PERMANENT if 500 <= code < 600 else TEMPORARY


def _refusal(answers) -> Outcome:
    answers = list(answers)
    kinds = {_kind(code) for code, _ in answers}
    reason = "; ".join(f"recipient refused: {code} {_text(text)}" for code, text in answers)
    return Outcome(TEMPORARY if TEMPORARY in kinds else PERMANENT, reason)


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
