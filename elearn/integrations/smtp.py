"""SMTP transport: turns an outbox row into a MIME message and hands it to the server.

An invite is multipart/mixed [ multipart/alternative [text, html, text/calendar], invite.ics ]:
Outlook and Apple Mail read the inline calendar part, Gmail shows its RSVP card from it, and
the attachment is there for clients that only offer a file to open.
"""

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def build_message(msg, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = msg.to_address
    email["Subject"] = msg.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "elearn.local")
    email.set_content(msg.body_text)
    if msg.body_html:
        email.add_alternative(msg.body_html, subtype="html")
    if msg.calendar_ics:
        method = msg.calendar_method or "REQUEST"
        if not msg.body_html:
            # make the body multipart/alternative before adding the calendar part
            email.add_alternative(f"<pre>{msg.body_text}</pre>", subtype="html")
        email.add_alternative(msg.calendar_ics, subtype="calendar", params={"method": method})
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
    return email


def send(messages: list[EmailMessage], config: dict) -> None:
    """Send over one connection; raises smtplib/OSError on failure (the caller records it)."""
    cls = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    with cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for message in messages:
            smtp.send_message(message)
