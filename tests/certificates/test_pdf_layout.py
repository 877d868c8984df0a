"""The certificate's layout (issue 14.8): every line of text stays inside the frame with a
margin and clear of every other line, however long the name, the title and the signatories'
titles; nothing is drawn in the margin band inside the frame; the QR code still scans."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from elearn.certificates import pdf, texts
from elearn.certificates.models import CertificateKind, CertificateTemplate, Signatory
from elearn.certificates.services.templates import design_for, printed_for

LONG_NAME = "María de los Ángeles Guadalupe Fernández-Villavicencio Rodríguez de la Concepción"
LONG_TITLE = ("Taller regional de políticas PYME con enfoque de género para funcionarios "
              "públicos de los Estados miembros de la subregión del Caribe, con módulos sobre "
              "financiamiento, compras públicas y comercio digital — Segunda edición 2026")
LONG_SIGNATORY = "Maximiliana Rosalía Fernández de Córdoba y Saavedra"
LONG_ROLE = ("Directora de Estudios Económicos y Cooperación Regional para la Pequeña y "
             "Mediana Empresa")
LONG_TITLE_EN = ("Regional workshop on SME policies with a gender perspective for public "
                 "officials of the member states of the Caribbean subregion, with modules on "
                 "finance, public procurement and digital trade — Second edition 2026")
URL = "https://elearn.example.org/verify/7K2M9QXD4HRTB3WE"
FRAME = 28  # the inner frame, in points from each edge
MARGIN = 12  # text keeps at least this far inside it


def _render(make_png, kind, language, *, name=LONG_NAME, title=LONG_TITLE, seal=True,
            second=None):
    template = CertificateTemplate(kind=kind, name="t", organisation_name="SELA",
                                   min_attendance_percent=75)
    template.signatories = [
        Signatory(name="Clarissa Bórquez Álvarez", title="Permanent Secretary",
                  titles={"es": "Secretaria Permanente"}, signature_png=make_png()),
        Signatory(name="Jean-Baptiste Désir", title="Programme Coordinator",
                  signature_png=make_png()),
        Signatory(name=LONG_SIGNATORY, title=LONG_ROLE, signature_png=make_png()),
    ]
    if seal:
        template.seal_image = make_png(size=(300, 300), colour=(150, 20, 30, 255))
    def lines_in(lang, shown_title):
        return printed_for(template, kind, lang, holder_name=name, title=shown_title,
                           starts_on=date(2026, 2, 2), ends_on=date(2026, 5, 29), hours=120,
                           details={"team": "Cóndor de los Andes", "placing": 1},
                           issued_on=date(2026, 12, 7))

    lines = lines_in(language, title)
    if second:  # the title in the second language is as long (a translated title)
        lines = texts.bilingual(lines, lines_in(second, LONG_TITLE_EN), second)
    return pdf.render(design_for(template), lines, code="7K2M-9QXD-4HRT-B3WE", url=URL,
                      language=language)


def _text_boxes(data: bytes) -> list[tuple[str, float, float, float, float]]:
    """(text, left, bottom, right, top) of every string drawn, read from the page's content
    stream: where each one starts (Tm), its font and size (Tf) and its width from the widths
    the PDF's own font declares."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    boxes, x, y, font, size = [], 0.0, 0.0, None, 0.0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator == b"Tf":
            font, size = fonts[operands[0]].get_object(), float(operands[1])
        elif operator == b"Tj":
            raw = operands[0].original_bytes if hasattr(operands[0], "original_bytes") \
                else bytes(operands[0])
            first, widths = int(font["/FirstChar"]), font["/Widths"]
            width = sum(float(widths[c - first]) for c in raw) * size / 1000
            boxes.append((raw.decode("latin-1"), x, y - 0.24 * size, x + width,
                          y + 0.76 * size))
    return boxes


def _image_boxes(data: bytes) -> list[tuple[str, float, float, float, float]]:
    """(name, left, bottom, right, top) of every image placed (logo, seal, signatures), from
    the transformation in force where the content stream draws it, plus the QR code's square
    (drawn as rectangles, so its place is the layout's)."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    stack, ctm, boxes = [], (1, 0, 0, 1, 0, 0), []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                   e * A + f * C + E, e * B + f * D + F)
        elif operator == b"Do":
            a, _b, _c, d, e, f = ctm
            boxes.append((str(operands[0]).rsplit(".", 1)[-1], e, f, e + a, f + d))
    half = pdf.QR_SIZE / 2
    boxes.append(("QR", pdf.QR_CENTRE - half, 80, pdf.QR_CENTRE + half, 80 + pdf.QR_SIZE))
    return boxes


def _apart(one, other) -> bool:
    _n, left, bottom, right, top = one
    _m, l2, b2, r2, t2 = other
    return right <= l2 or r2 <= left or top <= b2 or t2 <= bottom


KINDS = [(CertificateKind.PARTICIPATION, "es"), (CertificateKind.PARTICIPATION, "en"),
         (CertificateKind.DIPLOMA, "es"), (CertificateKind.DIPLOMA, "en"),
         (CertificateKind.HACKATHON_AWARD, "es"), (CertificateKind.HACKATHON_AWARD, "en")]


@pytest.mark.parametrize("kind,language", KINDS)
def test_long_texts_stay_inside_the_frame_and_apart(app, make_png, kind, language):
    _check_layout(_render(make_png, kind, language))


# Bilingual certificates (issue 18.3): each sentence also in a second language, under it.
BILINGUAL = [(CertificateKind.PARTICIPATION, "es", "en"), (CertificateKind.DIPLOMA, "en", "es"),
             (CertificateKind.HACKATHON_AWARD, "es", "en"),
             (CertificateKind.DIPLOMA, "fr", "pt"), (CertificateKind.PARTICIPATION, "pt", "fr")]


@pytest.mark.parametrize("kind,language,second", BILINGUAL)
def test_bilingual_long_texts_stay_inside_the_frame_and_apart(app, make_png, kind, language,
                                                              second):
    data = _render(make_png, kind, language, second=second)
    _check_layout(data)
    boxes = _text_boxes(data)
    # the text between the heading and the bottom band keeps above the signatures' images
    flow = [b for b in boxes if b[2] > pdf.SIGNATURE_TOP]
    assert len(flow) >= 12
    assert min(bottom for _t, _l, bottom, _r, _top in flow) >= pdf.FLOW_BOTTOM - 10


def test_bilingual_lines_stand_one_under_the_other(app, make_png, pdf_text):
    data = _render(make_png, CertificateKind.PARTICIPATION, "es", second="en", title="Taller")
    text = pdf_text(data)
    order = ["Certificado de participación", "Certificate of participation",
             "Se otorga el presente certificado a", "This certificate is awarded to",
             "por su participación en", "for participating in",
             "120 horas de formación", "120 hours of training"]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Secretaria Permanente / Permanent" in text  # the title in both, wrapped
    assert "Verifique este certificado en / Verify this certificate at" in text


def _check_layout(data: bytes) -> None:
    boxes = _text_boxes(data)
    assert len(boxes) >= 16  # the parser saw the page's lines
    width, height = pdf.PAGE
    for text, left, bottom, right, top in boxes:
        assert left >= FRAME + MARGIN and right <= width - FRAME - MARGIN, text
        assert bottom >= FRAME + MARGIN and top <= height - FRAME - MARGIN, text
    for i, box in enumerate(boxes):
        for other in boxes[i + 1:]:
            assert _apart(box, other), f"{box[0]!r} overlaps {other[0]!r}"
    images = _image_boxes(data)
    assert {"logo", "seal", "sig0", "sig1", "sig2", "QR"} <= {b[0] for b in images}
    for box in boxes:
        for image in images:
            assert _apart(box, image), f"{box[0]!r} is under the image {image[0]}"
    for i, image in enumerate(images):
        for other in images[i + 1:]:
            assert _apart(image, other), f"{image[0]} overlaps {other[0]}"


def test_the_long_name_and_title_wrap_rather_than_shrink_away(app, make_png, pdf_text):
    data = _render(make_png, CertificateKind.DIPLOMA, "es")
    text = pdf_text(data)
    assert "Fernández-Villavicencio\n Rodríguez de la Concepción" in text  # on two lines
    assert "Segunda edición 2026" in text
    name = [b for b in _text_boxes(data) if "Villavicencio" in b[0] or "Concepci" in b[0]]
    assert len(name) == 2
    assert min(top - bottom for _t, _l, bottom, _r, top in name) >= 14  # still large


def _page_image(data: bytes, tmp_path, dpi: int):
    from PIL import Image

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    path = tmp_path / "c.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    return Image.open(tmp_path / "page.png").convert("L")


@pytest.mark.parametrize("kind,language,second", [
    (k, lang, None) for k, lang in KINDS[:2] + KINDS[4:5]] + [BILINGUAL[2]])
def test_nothing_is_drawn_in_the_band_inside_the_frame(app, make_png, tmp_path, kind,
                                                       language, second):
    """The code, the verification line, the seal and the logo keep clear of the frame: the
    band from just inside the frame line to MARGIN points further in is blank paper."""
    dpi = 72
    image = _page_image(_render(make_png, kind, language, second=second), tmp_path, dpi)
    w, h = image.size
    inner, outer = int((FRAME + 2) * dpi / 72), int((FRAME + MARGIN) * dpi / 72)
    bands = [(inner, inner, w - inner, outer), (inner, h - outer, w - inner, h - inner),
             (inner, inner, outer, h - inner), (w - outer, inner, w - inner, h - inner)]
    for box in bands:
        darkest = image.crop(box).getextrema()[0]
        assert darkest > 200, f"something is drawn in the band {box}"


def test_the_qr_code_still_scans_on_the_crowded_certificate(app, make_png, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    image = _page_image(_render(make_png, CertificateKind.HACKATHON_AWARD, "es"), tmp_path,
                        150)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [URL]
