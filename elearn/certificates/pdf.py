"""Certificate PDFs: A4 landscape, drawn with reportlab, the fonts embedded so every accent and
letter of a name prints as typed, in any script (pdf_fonts falls back per character).

The static design of a template (frame, logo, seal and the signatures' images) is prepared once
per template version and kept in memory: images are decoded and compressed once and the same
image objects are placed in every certificate, so a bulk issue only lays out the per-person
text (in the certificate's language, signatories' titles included) and QR code.

Layout: the organisation's logo and name at the top; the heading; then a centred block (award
wording, name, reason, title, dates, hours, place and date of issue) whose spacing stretches or
shrinks so long names and titles wrap onto more lines without reaching the bottom band; the
bottom band holds the seal (left), the signatures (centred on the page) and the QR code with the
verification code (right); the verification line runs along the bottom, clear of the frame.
"""

from __future__ import annotations  # reportlab's types in annotations stay unevaluated

import copy
import io
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import segno

from elearn.pdf_fonts import (  # noqa: F401
    DEFAULT_BOLD_FONT,
    DEFAULT_FONT,
    FontMissing,
    draw_string,
    register_fonts,
    string_width,
)

if TYPE_CHECKING:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

# reportlab is imported by the functions that draw, not here: a web worker that issues no
# certificate never loads it. Streams are plain Flate (pdf_fonts.plain_streams, on registering
# the fonts).
_MM = 72.0 / 2.54 * 0.1  # reportlab.lib.units.mm, to the last bit
PAGE = (297 * _MM, 210 * _MM)  # reportlab's landscape(A4), in points
# The organisation's logo printed when a template has none of its own.
DEFAULT_LOGO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "static", "img", "organisation-logo.png")


@dataclass
class SignatoryArt:
    name: str
    title: str
    image: ImageReader | None = None


@dataclass
class Design:
    """The static parts of one template version."""

    regular: str
    bold: str
    logo: ImageReader | None = None
    signatories: list[SignatoryArt] = field(default_factory=list)
    seal: ImageReader | None = None
    _xobjects: dict = field(default_factory=dict)


def _reader(data: bytes | None) -> ImageReader | None:
    from reportlab.lib.utils import ImageReader

    return ImageReader(io.BytesIO(data)) if data else None


def default_logo() -> bytes:
    with open(DEFAULT_LOGO, "rb") as logo:
        return logo.read()


def build_design(signatories: list[tuple[str, str, bytes | None]], logo_png: bytes | None,
                 fonts: tuple[str, str], seal: bytes | None = None) -> Design:
    regular, bold = register_fonts(*fonts)
    return Design(
        regular=regular, bold=bold, logo=_reader(logo_png), seal=_reader(seal),
        signatories=[SignatoryArt(n, t, _reader(png)) for n, t, png in signatories],
    )


def _draw_image(canvas: Canvas, design: Design, key: str, image: ImageReader,
                x: float, y: float, width: float, height: float,
                middle: bool = False) -> None:
    """Place an image whose PDF object was built once for the design, scaled into the box,
    centred across it and standing on its bottom (or centred in it too when `middle`).

    reportlab would decode and recompress the image for every document; the encoded XObject
    is immutable once built, so it is registered as-is in each new document.
    """
    from reportlab.pdfbase import pdfdoc

    entry = design._xobjects.get(key)
    if entry is None:
        xobj = pdfdoc.PDFImageXObject(key, image, mask="auto")
        xobj.name = key
        smask = getattr(xobj, "_smask", None)
        if smask is not None:
            del xobj._smask
        entry = design._xobjects[key] = (xobj, smask)
    # Each document registers its own shallow copy: reportlab marks registered objects, while
    # the encoded image bytes inside are shared.
    xobj, smask = copy.copy(entry[0]), entry[1] and copy.copy(entry[1])
    doc = canvas._doc
    reg_name = doc.getXObjectName(key)
    if reg_name not in doc.idToObject:
        doc.Reference(xobj, reg_name)
        doc.addForm(key, xobj)
        if smask is not None:
            smask_name = doc.getXObjectName(smask.name)
            if smask_name not in doc.idToObject:
                doc.Reference(smask, smask_name)
            xobj.smask = pdfdoc.PDFObjectReference(smask_name)
    iw, ih = image.getSize()
    scale = min(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    canvas.saveState()
    canvas.translate(x + (width - w) / 2, y + ((height - h) / 2 if middle else 0))
    canvas.scale(w, h)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(key)
    canvas._currentPageHasImages = 1


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float,
         minimum: float = 9) -> float:
    """The largest size down to `minimum` at which the text fits; below that, whatever size
    makes it fit at all, so nothing ever runs past the box."""
    while size > minimum and string_width(text, font, size) > width:
        size -= 0.5
    natural = string_width(text, font, size)
    return size if natural <= width else size * width / natural


def _wrap_words(canvas: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and string_width(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _lines(canvas: Canvas, text: str, font: str, size: float, width: float, *,
           shrink_to: float, max_lines: int, minimum: float) -> tuple[list[str], float]:
    """The text on one line, made a little smaller if need be; else wrapped at word breaks
    into at most `max_lines` lines. Returns the lines and their size."""
    text = " ".join((text or "").split())
    if not text:
        return [], size
    one = size
    while one > shrink_to and string_width(text, font, one) > width:
        one -= 0.5
    if string_width(text, font, one) <= width:
        return [text], one
    wrap = shrink_to
    while True:
        lines = _wrap_words(canvas, text, font, wrap, width)
        if len(lines) <= max_lines or wrap <= minimum:
            break
        wrap -= 0.5
    if len(lines) > max_lines:  # the last line takes the rest, shrunk to fit when drawn
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return lines, wrap


def _centre(canvas: Canvas, text: str, font: str, size: float, y: float,
            width: float = 640, x: float = PAGE[0] / 2) -> None:
    if text:  # each run in the font that has its letters (pdf_fonts), the line centred
        draw_string(canvas, x, y, text, font, _fit(canvas, text, font, size, width), "centre")


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    # A fixed mask skips segno's scoring of all eight (most of its time); any mask scans.
    qr = segno.make(url, error="m", micro=False, mask=2, boost_error=False)
    rows = list(qr.matrix_iter(border=0))
    count = len(rows)
    # Runs of dark modules as rectangles in module units, written straight into the page
    # stream: one transform, integers only, far cheaper than a reportlab path object.
    ops = []
    for r, row in enumerate(rows):
        top = count - r - 1
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(f"{start} {top} {c - start} 1 re")
            else:
                c += 1
    module = size / count
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, x, y)
    canvas._code.append("\n".join(ops) + "\nf")
    canvas.restoreState()


NAVY = (0.12, 0.29, 0.49)
INNER = 28  # the inner frame; text and images keep CLEAR from it on every side
CLEAR = 22
TEXT_WIDTH = 640
# The bottom band: seal (left), signatures (middle, centred on the page), QR and code (right).
SEAL_BOX = (INNER + CLEAR + 6, 74, 84, 84)
SIGNATURES = (160, PAGE[0] - 160)
QR_SIZE = 84
QR_CENTRE = PAGE[0] - INNER - CLEAR - 52
SIGNATURE_TOP = 166
FLOW_TOP, FLOW_BOTTOM = 424, 190  # the heading's baseline; the lowest baseline of the text


def _draw_frame(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setStrokeColorRGB(*NAVY)
    canvas.setLineWidth(3)
    canvas.rect(20, 20, width - 40, height - 40)
    canvas.setLineWidth(0.8)
    canvas.rect(INNER, INNER, width - 2 * INNER, height - 2 * INNER)


def _draw_top(canvas: Canvas, design: Design, lines: dict) -> None:
    height = PAGE[1]
    if design.logo is not None:
        _draw_image(canvas, design, "logo", design.logo, PAGE[0] / 2 - 100, height - 98,
                    200, 56, middle=True)
    canvas.setFillColorRGB(*NAVY)
    names, size = _lines(canvas, lines["organisation"], design.bold, 13, TEXT_WIDTH,
                         shrink_to=11, max_lines=2, minimum=9)
    top = height - 117 if len(names) == 1 else height - 113
    for n, line in enumerate(names):
        _centre(canvas, line, design.bold, size, top - n * size * 1.15, TEXT_WIDTH)


def _draw_signatories(canvas: Canvas, design: Design, lines: dict) -> None:
    people = lines.get("signatories") or [
        {"name": s.name, "title": s.title} for s in design.signatories]
    if not people:
        return
    left, right = SIGNATURES
    slot = (right - left) / len(people)
    rule = min(180, slot - 20)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setStrokeColorRGB(0, 0, 0)
    for i, person in enumerate(people):
        centre = left + slot * i + slot / 2
        art = design.signatories[i] if i < len(design.signatories) else None
        if art is not None and art.image is not None:
            _draw_image(canvas, design, f"sig{i}", art.image, centre - rule / 2, 120,
                        rule, SIGNATURE_TOP - 120)
        canvas.setLineWidth(0.6)
        canvas.line(centre - rule / 2, 116, centre + rule / 2, 116)
        # A long name or title takes a second line rather than shrinking out of sight.
        y = 102
        names, size = _lines(canvas, person.get("name", ""), design.bold, 10.5, slot - 12,
                             shrink_to=9, max_lines=2, minimum=8)
        for line in names:
            _centre(canvas, line, design.bold, size, y, slot - 12, centre)
            y -= size + 1.5
        titles, size = _lines(canvas, person.get("title", ""), design.regular, 8.5,
                              slot - 12, shrink_to=7.5, max_lines=2, minimum=6.5)
        y -= 1.5
        for line in titles:
            _centre(canvas, line, design.regular, size, y, slot - 12, centre)
            y -= size + 1.5


def _draw_static(canvas: Canvas, design: Design, lines: dict) -> None:
    _draw_frame(canvas)
    _draw_top(canvas, design, lines)
    if design.seal is not None:
        _draw_image(canvas, design, "seal", design.seal, *SEAL_BOX, middle=True)
    _draw_signatories(canvas, design, lines)


GREY = (0.3, 0.3, 0.3)  # the second language's lines on a bilingual certificate


def _flow(canvas: Canvas, design: Design, lines: dict) -> list[tuple]:
    """The centred lines between the heading and the signatures as (text, font, size, y,
    colour).

    Each line stands below the previous one by its own height (fixed) plus some spacing; the
    spacing stretches or shrinks so the block fills the space, however many lines a long name
    or title takes. A bilingual certificate (`lines["second"]`) prints each sentence in the
    second language under the first, smaller and grey; when that does not fit, every line is
    made smaller in proportion, so nothing reaches the bottom band."""
    regular, bold = design.regular, design.bold
    second = lines.get("second") or {}
    items: list[tuple] = []  # text, font, size, spacing before, colour

    def add(text, font, size, spacing, *, shrink_to=None, max_lines=1, minimum=9,
            colour=(0, 0, 0)):
        if not text:
            return
        found, size = _lines(canvas, text, font, size, TEXT_WIDTH, shrink_to=shrink_to or size,
                             max_lines=max_lines, minimum=minimum)
        for n, line in enumerate(found):
            items.append((line, font, size, spacing if n == 0 else 0, colour))

    def also(key, size, *, max_lines=1, font=None, colour=GREY):
        """The same line in the second language, when it says something else."""
        text = second.get(key)
        if text and text != lines.get(key):
            add(text, font or regular, size, 2, shrink_to=size - 1.5, max_lines=max_lines,
                minimum=7.5, colour=colour)

    if second:
        also("heading", 15, font=bold, colour=NAVY)
    add(lines["intro"], regular, 13, 22, shrink_to=11, max_lines=2)
    also("intro", 10.5)
    add(lines["name"], bold, 26, 12, shrink_to=20, max_lines=2, minimum=14)
    add(lines["reason"], regular, 13, 14, shrink_to=11, max_lines=2)
    also("reason", 10.5, max_lines=2)
    add(lines["title"], bold, 17, 10, shrink_to=14, max_lines=3, minimum=9)
    also("title", 12, max_lines=2, font=bold)
    add(lines["dates"], regular, 11.5, 12, shrink_to=10)
    also("dates", 9.5)
    add(lines["hours"], regular, 11.5, 2, shrink_to=10)
    also("hours", 9.5)
    add(lines.get("place_date", ""), regular, 11, 16, shrink_to=10)
    also("place_date", 9.5)
    fixed = sum(size * 1.18 for _t, _f, size, _s, _c in items)
    spacing = sum(s for _t, _f, _z, s, _c in items) or 1
    # The second heading, smaller, needs its own gap below the heading's descenders.
    top = FLOW_TOP - (6 if second else 0)
    room = top - FLOW_BOTTOM
    scale = min(1.0, room / (fixed + 0.3 * spacing))  # at least a third of the spacing
    stretch = max(0.0, min(1.8, (room - fixed * scale) / spacing))
    placed, y = [], top
    for text, font, size, space, colour in items:
        y -= size * scale * 1.18 + space * stretch
        placed.append((text, font, size * scale, y, colour))
    return placed


def _draw_verification(canvas: Canvas, design: Design, lines: dict, code: str,
                       url: str) -> None:
    _draw_qr(canvas, url, QR_CENTRE - QR_SIZE / 2, 80, QR_SIZE)
    canvas.setFillColorRGB(0, 0, 0)
    box = QR_SIZE + 28
    _centre(canvas, lines["code_label"], design.regular, 7.5, 68, box, QR_CENTRE)
    _centre(canvas, code, design.bold, 9, 57, box, QR_CENTRE)
    _centre(canvas, f"{lines['verify']} {url}", design.regular, 7.5, INNER + CLEAR - 4, 460)


def render(design: Design, lines: dict, *, code: str, url: str, title: str = "",
           language: str | None = None) -> bytes:
    """One certificate as PDF bytes. `lines` are texts.printed_lines(); `code` is shown as
    printed (grouped); `language` is declared in the document (/Lang) for screen readers."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    # The embedded font from the start: reportlab would otherwise name Helvetica, a font the
    # file does not carry (archival profiles such as PDF/A refuse any font not embedded).
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1, lang=language,
                    initialFontName=design.regular, initialFontSize=12)
    canvas.setTitle(title or lines["heading"])
    canvas.setAuthor(lines["organisation"])
    canvas.setSubject(" — ".join(p for p in (lines["heading"], lines["name"]) if p))
    canvas.setCreator("elearn")
    _draw_static(canvas, design, lines)
    canvas.setFillColorRGB(*NAVY)
    heading_size = 27 if lines.get("second") else 31
    _centre(canvas, lines["heading"], design.bold, heading_size, FLOW_TOP, TEXT_WIDTH)
    for text, font, size, y, colour in _flow(canvas, design, lines):
        canvas.setFillColorRGB(*colour)
        _centre(canvas, text, font, size, y, TEXT_WIDTH)
    _draw_verification(canvas, design, lines, code, url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
