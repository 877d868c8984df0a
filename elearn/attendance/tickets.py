"""The ticket (badge) of a confirmed registration: a QR of the ticket URL, as an inline SVG
image for the page and drawn as vector squares in a printable PDF. No gender, ever.

The PDF embeds DejaVu Sans (elearn.pdf_fonts): the built-in Helvetica is Latin-1 only and would
garble names such as "Łukasz" or "Дмитрий"; letters DejaVu lacks (王小明, 김민준, अनीता...) are
drawn in a fallback font, right-to-left names (محمد, שרה) in display order."""

import io

import segno

from elearn.pdf_fonts import draw_string, register_fonts

from .checkin import display_door_code, door_code, ticket_url


def qr_data_uri(registration) -> str:
    # A data: URI keeps the page free of inline markup the CSP would block and needs no file.
    return segno.make(ticket_url(registration), error="m").svg_data_uri(scale=6, border=2)


def _wrap(text: str, limit: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def ticket_pdf(registration, *, title: str, when: str, organisation: str) -> bytes:
    # reportlab here, not at the top: a web worker that draws no ticket never loads it.
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    width, height = A6
    regular, bold = register_fonts()
    pdf = canvas.Canvas(buffer, pagesize=A6)
    pdf.setTitle(title)
    y = height - 12 * mm
    middle = width / 2
    draw_string(pdf, middle, y, organisation[:70], regular, 8, "centre")
    y -= 9 * mm
    for line in _wrap(registration.user.display_name, 28)[:2]:
        draw_string(pdf, middle, y, line, bold, 15, "centre")
        y -= 7 * mm
    for line in _wrap(title, 42)[:3]:
        draw_string(pdf, middle, y, line, regular, 10, "centre")
        y -= 5 * mm
    draw_string(pdf, middle, y, when, regular, 10, "centre")
    qr = segno.make(ticket_url(registration), error="m")
    rows = list(qr.matrix)
    size = 55 * mm
    module = size / len(rows)
    left, top = (width - size) / 2, y - 6 * mm
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(left + c * module, top - (r + 1) * module, module, module,
                         stroke=0, fill=1)
    # The code a person reads out when the door has no camera (checkin.door_code).
    draw_string(pdf, middle, top - size - 7 * mm, display_door_code(door_code(registration)),
                bold, 14, "centre")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
