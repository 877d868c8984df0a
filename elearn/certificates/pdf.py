"""Certificate PDFs: A4 landscape, drawn with reportlab, the font embedded so every accent and
non-Latin letter of a name prints as typed.

The static design of a template (frame, logo, organisation, signatories and their signature
images) is prepared once per template version and kept in memory: images are decoded and
compressed once and the same image objects are placed in every certificate, so a bulk issue
only lays out the per-person text and QR code.
"""

import copy
import io
from dataclasses import dataclass, field

import segno
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from elearn.pdf_fonts import DEFAULT_BOLD_FONT, DEFAULT_FONT, FontMissing, register_fonts  # noqa: F401

# Streams as plain Flate: ASCII85 on top only makes files 25 % larger and slower to write.
rl_config.useA85 = 0
PAGE = landscape(A4)


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
    _xobjects: dict = field(default_factory=dict)


def _reader(data: bytes | None) -> ImageReader | None:
    return ImageReader(io.BytesIO(data)) if data else None


def build_design(signatories: list[tuple[str, str, bytes | None]], logo_png: bytes | None,
                 fonts: tuple[str, str]) -> Design:
    regular, bold = register_fonts(*fonts)
    return Design(
        regular=regular, bold=bold, logo=_reader(logo_png),
        signatories=[SignatoryArt(n, t, _reader(png)) for n, t, png in signatories],
    )


def _draw_image(canvas: Canvas, design: Design, key: str, image: ImageReader,
                x: float, y: float, width: float, height: float) -> None:
    """Place an image whose PDF object was built once for the design.

    reportlab would decode and recompress the image for every document; the encoded XObject
    is immutable once built, so it is registered as-is in each new document.
    """
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
    canvas.translate(x + (width - w) / 2, y)
    canvas.scale(w, h)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(key)
    canvas._currentPageHasImages = 1


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float,
         minimum: float = 9) -> float:
    while size > minimum and canvas.stringWidth(text, font, size) > width:
        size -= 1
    return size


def _centre(canvas: Canvas, text: str, font: str, size: float, y: float,
            width: float = 720) -> None:
    if text:
        size = _fit(canvas, text, font, size, width)
        canvas.setFont(font, size)
        canvas.drawCentredString(PAGE[0] / 2, y, text)


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


def _draw_static(canvas: Canvas, design: Design, lines: dict) -> None:
    width, height = PAGE
    canvas.setStrokeColorRGB(0.12, 0.29, 0.49)
    canvas.setLineWidth(3)
    canvas.rect(20, 20, width - 40, height - 40)
    canvas.setLineWidth(0.8)
    canvas.rect(28, 28, width - 56, height - 56)
    if design.logo is not None:
        _draw_image(canvas, design, "logo", design.logo, 50, height - 120, 80, 80)
    canvas.setFillColorRGB(0.12, 0.29, 0.49)
    _centre(canvas, lines["organisation"], design.bold, 14, height - 70, 560)
    canvas.setFillColorRGB(0, 0, 0)
    count = len(design.signatories)
    if not count:
        return
    slot = 560 / count
    for i, signatory in enumerate(design.signatories):
        centre = 60 + slot * i + slot / 2
        if signatory.image is not None:
            _draw_image(canvas, design, f"sig{i}", signatory.image,
                        centre - 80, 112, 160, 45)
        canvas.setLineWidth(0.6)
        canvas.line(centre - 90, 108, centre + 90, 108)
        size = _fit(canvas, signatory.name, design.bold, 11, slot - 10)
        canvas.setFont(design.bold, size)
        canvas.drawCentredString(centre, 94, signatory.name)
        size = _fit(canvas, signatory.title, design.regular, 9, slot - 10, 6)
        canvas.setFont(design.regular, size)
        canvas.drawCentredString(centre, 81, signatory.title)


def render(design: Design, lines: dict, *, code: str, url: str, title: str = "") -> bytes:
    """One certificate as PDF bytes. `lines` are texts.printed_lines(); `code` is shown as
    printed (grouped)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(title or lines["heading"])
    canvas.setAuthor(lines["organisation"])
    canvas.setCreator("elearn")
    _draw_static(canvas, design, lines)
    height = PAGE[1]
    canvas.setFillColorRGB(0.12, 0.29, 0.49)
    _centre(canvas, lines["heading"], design.bold, 34, height - 140)
    canvas.setFillColorRGB(0, 0, 0)
    _centre(canvas, lines["intro"], design.regular, 14, height - 185)
    _centre(canvas, lines["name"], design.bold, 28, height - 228)
    _centre(canvas, lines["reason"], design.regular, 14, height - 265)
    _centre(canvas, lines["title"], design.bold, 18, height - 298)
    _centre(canvas, lines["dates"], design.regular, 12, height - 330)
    _centre(canvas, lines["hours"], design.regular, 12, height - 350)
    _draw_qr(canvas, url, PAGE[0] - 160, 62, 100)
    canvas.setFont(design.bold, 9)
    canvas.drawCentredString(PAGE[0] - 110, 48, f"{lines['code_label']}: {code}")
    canvas.setFont(design.regular, 8)
    canvas.drawCentredString(PAGE[0] / 2, 40, f"{lines['verify']} {url}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
