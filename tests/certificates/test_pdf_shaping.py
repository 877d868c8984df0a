"""Names in scripts whose letters change form and place print shaped (issue 18.4): conjuncts
(क्ष), the reph of र्म, the i-sign drawn before its consonant (त्रि), Thai marks stacked.

Two checks that fail when shaping is dropped:
- the glyphs a certificate draws for the name (their outlines, read from the subset embedded in
  the PDF) are, in order, the glyphs HarfBuzz gives for the name in the same font;
- the name drawn by pdf_fonts and rendered by pdftoppm looks like the same text shaped by
  HarfBuzz and drawn as outlines (fontTools pen), and unlike the letters drawn one by one.
Arabic (joined by arabic-reshaper, not HarfBuzz) is held to the same picture.
SCRIPTS_PNG_DIR=/some/dir keeps the renders to look at.
"""

import io
import os
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from elearn import pdf_fonts
from elearn.certificates import pdf
from elearn.certificates.models import CertificateKind, CertificateTemplate, Signatory
from elearn.certificates.services.templates import design_for, printed_for

NOTO = "/usr/share/fonts/truetype/noto"
DEVANAGARI = os.path.join(NOTO, "NotoSansDevanagari-Regular.ttf")
DEVANAGARI_BOLD = os.path.join(NOTO, "NotoSansDevanagari-Bold.ttf")
THAI = os.path.join(NOTO, "NotoSansThai-Regular.ttf")
THAI_BOLD = os.path.join(NOTO, "NotoSansThai-Bold.ttf")
# name -> (file of the bold face a certificate prints the name in, file of the regular face)
NAMES = {"अनीता शर्मा": (DEVANAGARI_BOLD, DEVANAGARI), "क्षत्रिय": (DEVANAGARI_BOLD, DEVANAGARI),
         "สมชาย": (THAI_BOLD, THAI), "น้ำใจ ผู้ใหญ่": (THAI_BOLD, THAI)}
ARABIC = "محمد عبد الله"
pytestmark = pytest.mark.skipif(
    not all(os.path.isfile(p) for p in (DEVANAGARI, DEVANAGARI_BOLD, THAI, THAI_BOLD)),
    reason="Noto fonts not installed (apt-get install fonts-noto-core; .ci/run does)")
PNG_DIR = os.environ.get("SCRIPTS_PNG_DIR")


@pytest.fixture(autouse=True)
def debian_fonts():
    pdf_fonts.configure(pdf_fonts.DEFAULT_FALLBACK_DIRS)
    yield
    pdf_fonts.configure(pdf_fonts.DEFAULT_FALLBACK_DIRS)


def _certificate(name: str) -> bytes:
    template = CertificateTemplate(kind=CertificateKind.PARTICIPATION, name="t",
                                   organisation_name="SELA", min_attendance_percent=75)
    template.signatories = [Signatory(name="Clarissa Bórquez", title="Permanent Secretary")]
    lines = printed_for(template, CertificateKind.PARTICIPATION, "en", holder_name=name,
                        title="Gender and SME policy workshop", starts_on=date(2026, 2, 2),
                        ends_on=date(2026, 2, 4), hours=12, details={},
                        issued_on=date(2026, 2, 5))
    return pdf.render(design_for(template), lines, code="7K2M-9QXD-4HRT-B3WE",
                      url="https://elearn.example.org/verify/7K2M9QXD4HRTB3WE", language="en")


def _outline(font, glyph_name: str) -> tuple:
    """A glyph as its points (components resolved) and advance: the same in a subset."""
    glyf = font["glyf"]
    coordinates, ends, _flags = glyf[glyph_name].getCoordinates(glyf)
    return tuple(coordinates), tuple(ends), font["hmtx"][glyph_name][0]


def _drawn_outlines(data: bytes, family: str) -> list[tuple]:
    """The outlines of the glyphs drawn, in content-stream order, in fonts of `family`."""
    from fontTools.ttLib import TTFont

    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    fonts = {}
    for key, ref in page["/Resources"]["/Font"].items():
        font = ref.get_object()
        if family in str(font.get("/BaseFont", "")):
            descriptor = font["/FontDescriptor"].get_object()
            fonts[key] = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    assert fonts, f"no {family} font embedded"
    current, drawn = None, []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = operands[0]
        if current not in fonts or operator not in (b"Tj", b"TJ"):
            continue
        strings = [operands[0]] if operator == b"Tj" else [
            s for s in operands[0] if not isinstance(s, (int, float))]
        font = fonts[current]
        cmap = font["cmap"].getBestCmap() or font["cmap"].tables[0].cmap
        for string in strings:
            raw = string.original_bytes if hasattr(string, "original_bytes") else bytes(
                string, "latin-1")
            drawn += [_outline(font, cmap[code]) for code in raw]
    return drawn


def _harfbuzz(text: str, path: str):
    """HarfBuzz's glyph names and positions for the text in the font file."""
    import uharfbuzz

    with open(path, "rb") as handle:
        font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(handle.read())))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer, {})
    return [(font.glyph_to_string(i.codepoint), p)
            for i, p in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)]


@pytest.mark.parametrize("name", list(NAMES))
def test_a_certificate_draws_the_glyphs_harfbuzz_gives(app, name):
    from fontTools.ttLib import TTFont

    bold, _regular = NAMES[name]
    original = TTFont(bold)
    wanted = [_outline(original, glyph) for glyph, _place in _harfbuzz(name, bold)]
    family = os.path.basename(bold).split("-")[0]
    assert _drawn_outlines(_certificate(name), family) == wanted
    text = "".join(c for c in PdfReader(io.BytesIO(_certificate(name))).pages[0].extract_text()
                   if not c.isspace())
    assert name.replace(" ", "") in text  # the shaped glyphs read back as the name typed


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
@pytest.mark.parametrize("name", ["अनीता शर्मा", "क्षत्रिय"])
def test_poppler_reads_the_shaped_name_back(app, name, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(_certificate(name))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert name in text


def test_each_glyph_reads_back_as_its_share_of_the_cluster():
    from elearn.pdf_fonts.shaping import _texts

    # कि: the i-sign is drawn first; the two glyphs still read "क" + "ि" = "कि".
    assert _texts("कि", [0, 0]) == ["क", "ि"]
    assert _texts("क्ष", [0]) == ["क्ष"]  # a conjunct: one glyph, three letters
    assert _texts("ab", [0, 0, 0]) == ["a", "b", ""]  # more glyphs than letters
    assert _texts("x त्रि", [0, 1, 2, 2]) == ["x", " ", "त", "्रि"]


def test_the_check_sees_unshaped_text():
    """Letters one by one are other glyphs than HarfBuzz's (else the test above proves
    nothing): the conjunct, the reph and the moved i-sign."""
    from fontTools.ttLib import TTFont

    font = TTFont(DEVANAGARI_BOLD)
    cmap = font.getBestCmap()
    for name in ("अनीता शर्मा", "क्षत्रिय"):
        nominal = [cmap[ord(c)] for c in name]
        assert [g for g, _p in _harfbuzz(name, DEVANAGARI_BOLD)] != nominal


# --- the picture ---------------------------------------------------------------------------

SIZE, X, Y = 40, 20, 30
BLUR = 1.5


def _page(draw) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(420, 90))
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _reference(text: str, path: str) -> bytes:
    """The text shaped by HarfBuzz, each glyph's outline filled as a path where HarfBuzz puts
    it: nothing of pdf_fonts or of reportlab's text drawing."""
    from fontTools.pens.basePen import BasePen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    glyphs, scale = font.getGlyphSet(), SIZE / font["head"].unitsPerEm

    class CanvasPen(BasePen):
        def __init__(self, path_object):
            super().__init__(glyphs)
            self.path = path_object

        def _moveTo(self, p):
            self.path.moveTo(*p)

        def _lineTo(self, p):
            self.path.lineTo(*p)

        def _curveToOne(self, p1, p2, p3):
            self.path.curveTo(*p1, *p2, *p3)

        def _closePath(self):
            self.path.close()

    def draw(canvas):
        outline, pen_x = canvas.beginPath(), X
        for glyph, place in _harfbuzz(text, path):
            at = (scale, 0, 0, scale, pen_x + place.x_offset * scale, Y + place.y_offset * scale)
            glyphs[glyph].draw(TransformPen(CanvasPen(outline), at))
            pen_x += place.x_advance * scale
        canvas.drawPath(outline, stroke=0, fill=1, fillMode=1)

    return _page(draw)


def _drawn(text: str) -> bytes:
    regular, _bold = pdf_fonts.register_fonts()
    return _page(lambda canvas: pdf_fonts.draw_string(canvas, X, Y, text, regular, SIZE))


def _image(data: bytes, label: str, tmp_path):
    from PIL import Image

    path = tmp_path / f"{label}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(path),
                    str(tmp_path / label)], check=True)
    image = Image.open(tmp_path / f"{label}.png").convert("L")
    if PNG_DIR:
        os.makedirs(PNG_DIR, exist_ok=True)
        image.save(os.path.join(PNG_DIR, f"shaping-{label}.png"))
    return image


def _differ(one, other) -> float:
    """Pixels far apart in the two images, as a share of the ink. Both are blurred first: text
    and filled paths are rasterised a fraction of a pixel apart, a wrong glyph is not."""
    from PIL import ImageChops, ImageFilter

    one, other = (image.filter(ImageFilter.GaussianBlur(BLUR)) for image in (one, other))
    ink = one.point(lambda v: 255 if v < 128 else 0).histogram()[255]
    apart = ImageChops.difference(one, other).point(lambda v: 255 if v > 80 else 0)
    return apart.histogram()[255] / max(ink, 1)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize("name", [*NAMES, ARABIC])
def test_the_name_looks_as_harfbuzz_shapes_it(name, tmp_path, monkeypatch):
    path = NAMES[name][1] if name in NAMES else pdf_fonts.DEFAULT_FONT
    label = f"{sorted(NAMES).index(name) if name in NAMES else 'arabic'}"
    reference = _image(_reference(name, path), f"{label}-harfbuzz", tmp_path)
    shaped = _image(_drawn(name), f"{label}-drawn", tmp_path)
    assert _differ(shaped, reference) < 0.02
    if name in ("अनीता शर्मा", "क्षत्रिय", "น้ำใจ ผู้ใหญ่"):
        monkeypatch.setattr(pdf_fonts, "_shaped", lambda text, font: None)
        unshaped = _image(_drawn(name), f"{label}-unshaped", tmp_path)
        assert _differ(unshaped, reference) > 0.08  # the check sees a name left unshaped
