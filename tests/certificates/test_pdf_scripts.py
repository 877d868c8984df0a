"""Names in any script print on certificates and tickets (issue 18.4): each letter DejaVu Sans
lacks is drawn in a fallback font (PDF_FALLBACK_FONT_DIRS), Arabic joined and Arabic and Hebrew
right to left. Read back with pypdf (the text extracts, every font is embedded, no letter uses
the empty .notdef glyph or an outline-less one) and rendered with pdftoppm (the name draws ink)."""

import io
import os
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from elearn import pdf_fonts
from elearn.certificates import pdf
from elearn.certificates.models import CertificateKind, CertificateTemplate, Signatory
from elearn.certificates.services.templates import design_for, printed_for

NAMES = {
    "chinese": "王小明",
    "japanese": "山田 さくら",
    "korean": "김민준",
    "arabic": "محمد عبد الله",
    "hebrew": "שרה כהן",
    "devanagari": "अनीता शर्मा",
    "thai": "สมชาย ใจดี",
    "latin": "Łukasz Ñúñez-Çelik",
}
NEEDED = ["/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
          "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf",
          "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
          "/usr/share/fonts/truetype/nanum/NanumGothic.ttf"]
missing = [path for path in NEEDED if not os.path.isfile(path)]
pytestmark = pytest.mark.skipif(
    bool(missing), reason="fallback fonts not installed (apt-get install fonts-noto-core "
    f"fonts-droid-fallback fonts-nanum; .ci/run does): {', '.join(missing)}")
PNG_DIR = os.environ.get("SCRIPTS_PNG_DIR")  # set it to keep the renders and look at them


@pytest.fixture(autouse=True)
def debian_fonts():
    pdf_fonts.configure(pdf_fonts.DEFAULT_FALLBACK_DIRS)
    yield
    pdf_fonts.configure(pdf_fonts.DEFAULT_FALLBACK_DIRS)


def _certificate(make_png, name: str) -> bytes:
    template = CertificateTemplate(kind=CertificateKind.PARTICIPATION, name="t",
                                   organisation_name="SELA", min_attendance_percent=75)
    template.signatories = [Signatory(name="Clarissa Bórquez", title="Permanent Secretary",
                                      signature_png=make_png())]
    lines = printed_for(template, CertificateKind.PARTICIPATION, "en", holder_name=name,
                        title="Gender and SME policy workshop", starts_on=date(2026, 2, 2),
                        ends_on=date(2026, 2, 4), hours=12, details={},
                        issued_on=date(2026, 2, 5))
    return pdf.render(design_for(template), lines, code="7K2M-9QXD-4HRT-B3WE",
                      url="https://elearn.example.org/verify/7K2M9QXD4HRTB3WE", language="en")


def _letters(text: str) -> str:
    """Letters only, compatibility forms folded (Arabic presentation forms → letters)."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalpha())


def assert_text_reads_back(data: bytes, name: str) -> None:
    text = _letters(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    wanted = _letters(name)
    # Right-to-left names are stored in display order; readers give either order back.
    assert wanted in text or wanted[::-1] in text, (name, text)


def _embedded(reader: PdfReader) -> dict:
    """Resource name -> (BaseFont, fontTools font of the embedded subset)."""
    from fontTools.ttLib import TTFont

    found = {}
    for key, ref in reader.pages[0]["/Resources"]["/Font"].items():
        font = ref.get_object()
        if font["/Subtype"] == "/Type1":  # reportlab's initial Helvetica, never drawn with
            continue
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
        data = descriptor["/FontFile2"].get_object().get_data()
        found[key] = (str(font["/BaseFont"]), TTFont(io.BytesIO(data)))
    return found


def assert_no_tofu(data: bytes) -> set[str]:
    """Every character drawn uses a real glyph of an embedded font: not .notdef (the empty
    box), and with an outline unless it is a space. Returns the fonts used."""
    reader = PdfReader(io.BytesIO(data))
    fonts = _embedded(reader)
    page = reader.pages[0]
    current, used = None, set()
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            current = operands[0]
        strings = []
        if operator == b"Tj":
            strings = [operands[0]]
        elif operator == b"TJ":
            strings = [s for s in operands[0] if not isinstance(s, (int, float))]
        for string in strings:
            assert current in fonts, f"text drawn in a font not embedded: {current}"
            base, font = fonts[current]
            used.add(base.split("+", 1)[-1])
            cmap = font["cmap"].getBestCmap() or font["cmap"].tables[0].cmap
            raw = string.original_bytes if hasattr(string, "original_bytes") else bytes(
                string, "latin-1")
            for code in raw:
                glyph = cmap.get(code)
                assert glyph and glyph != ".notdef", f"{base}: code {code} has no glyph"
                outline = font["glyf"][glyph]
                width = font["hmtx"][glyph][0]
                assert outline.numberOfContours != 0 or width > 0, (base, code, glyph)
    return used


def _render(data: bytes, label: str, tmp_path) -> "Image":  # noqa: F821
    from PIL import Image

    path = tmp_path / f"{label}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(path),
                    str(tmp_path / label)], check=True)
    image = Image.open(tmp_path / f"{label}.png").convert("L")
    if PNG_DIR:
        os.makedirs(PNG_DIR, exist_ok=True)
        image.save(os.path.join(PNG_DIR, f"{label}.png"))
    return image


def _ink_difference(one, other) -> int:
    from PIL import ImageChops

    difference = ImageChops.difference(one, other).point(lambda v: 255 if v > 60 else 0)
    return difference.histogram()[255]


EXPECTED_FONT = {"chinese": "DroidSansFallback", "japanese": "DroidSansFallback",
                 "korean": "Nanum", "devanagari": "NotoSansDevanagari",
                 "thai": "NotoSansThai"}


@pytest.mark.parametrize("script", list(NAMES))
def test_runs_give_each_letter_a_font_that_has_it(script):
    regular, bold = pdf_fonts.register_fonts()
    for font in (regular, bold):
        for run_font, text in pdf_fonts.runs(NAMES[script], font):
            path = pdf_fonts._paths[run_font]
            missing = [c for c in text if ord(c) not in pdf_fonts.coverage(path)]
            assert not missing, (script, run_font, missing)


@pytest.mark.parametrize("script", list(NAMES))
def test_a_certificate_prints_the_name_in_any_script(app, make_png, script, tmp_path):
    name = NAMES[script]
    data = _certificate(make_png, name)
    assert_text_reads_back(data, name)
    used = assert_no_tofu(data)
    if script in EXPECTED_FONT:
        assert any(f.startswith(EXPECTED_FONT[script]) for f in used), used
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    with_name = _render(data, f"certificate-{script}", tmp_path)
    without = _render(_certificate(make_png, ""), "certificate-empty", tmp_path)
    assert _ink_difference(with_name, without) > 100  # the name drew something


def test_arabic_is_joined_and_right_to_left():
    shown = pdf_fonts.visual("محمد")
    # Display order: the last letter first, each in its joined (presentation) form.
    assert shown == "\ufeaa\ufee4\ufea4\ufee3"
    assert pdf_fonts.visual("שרה") == "הרש"
    assert pdf_fonts.visual("Ana Pérez") == "Ana Pérez"


@pytest.mark.parametrize("script", list(NAMES))
def test_a_ticket_prints_the_name_in_any_script(client, login, make_user, make_event, register,
                                                script, tmp_path):
    person = make_user(full_name=NAMES[script])
    reg = register(make_event(), person)
    login(person)
    response = client.get(f"/attendance/ticket/{reg.id}.pdf")
    assert response.status_code == 200
    assert_text_reads_back(response.data, NAMES[script])
    used = assert_no_tofu(response.data)
    if script in EXPECTED_FONT:
        assert any(f.startswith(EXPECTED_FONT[script]) for f in used), used
    if shutil.which("pdftoppm"):
        _render(response.data, f"ticket-{script}", tmp_path)


def test_no_fallback_dirs_still_prints_latin_and_warns_in_production(app, make_png):
    from elearn.config import fallback_font_warning

    pdf_fonts.configure(())
    data = _certificate(make_png, NAMES["latin"])
    assert_text_reads_back(data, NAMES["latin"])
    assert_no_tofu(data)
    # The check above is not blind: without fallback fonts a Chinese name is empty boxes.
    with pytest.raises(AssertionError, match="no glyph"):
        assert_no_tofu(_certificate(make_png, NAMES["chinese"]))
    message = fallback_font_warning({"PDF_FALLBACK_FONT_DIRS": ""})
    assert message and "PDF_FALLBACK_FONT_DIRS" in message
    assert fallback_font_warning({"PDF_FALLBACK_FONT_DIRS": None}) is None
