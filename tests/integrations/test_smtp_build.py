"""`smtp.build_message`: an invite without an HTML body gets an HTML alternative made from the
text, and the text (an event title, a description: user input) is escaped there, not markup."""

from types import SimpleNamespace

import pytest

from elearn.integrations.smtp import build_message

ICS = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def outbox_row(**fields):
    values = {"to_address": "ana@example.org", "subject": "Invitation", "body_html": None,
              "calendar_ics": ICS, "calendar_method": "REQUEST", "attachments": []}
    return SimpleNamespace(**{**values, **fields})


def test_text_with_markup_is_escaped_in_the_generated_html_part():
    text = 'Workshop <script>alert("x")</script> & <a href="https://evil.example">slides</a>'
    email = build_message(outbox_row(body_text=text), "events@elearn.test")

    html = email.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and '<a href="https://evil.example">' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;a href=" in html
    assert email.get_body(preferencelist=("plain",)).get_content().strip() == text


def test_a_given_html_body_is_used_as_it_is():
    email = build_message(outbox_row(body_text="Hello", body_html="<p>Hello <b>Ana</b></p>"),
                          "events@elearn.test")
    assert "<p>Hello <b>Ana</b></p>" in email.get_body(preferencelist=("html",)).get_content()


def test_a_header_with_a_line_break_cannot_be_built():
    with pytest.raises(ValueError):
        build_message(outbox_row(body_text="x", subject="Invitation\r\nBcc: all@example.org"),
                      "events@elearn.test")
