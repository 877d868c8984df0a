"""The fonts every PDF embeds (certificates, tickets, statistics summaries, reports, survey
results): DejaVu Sans ships with the package because reportlab's built-in fonts cover Latin-1
only, and participants' names carry letters such as Ł, ñ, ç or Cyrillic that must print exactly
as typed.

DejaVu has no Chinese, Japanese, Korean, Devanagari, Thai... letters: a name written in them
would print as empty boxes. So text is split into runs by which font has each character — the
primary font first, then the fallback fonts found in PDF_FALLBACK_FONT_DIRS (Debian's Noto,
Droid Sans Fallback and Nanum packages by default) — and each run is drawn in its font.
Arabic letters are joined (arabic-reshaper) and right-to-left text put in display order
(python-bidi) before that, since a PDF shows glyphs in the order they are written. Runs in
Devanagari, Thai and the other scripts whose letters change form and place are shaped by
HarfBuzz (pdf_fonts.shaping) and drawn glyph by glyph.

reportlab embeds TrueType outlines only: CFF fonts (.otf, Noto Sans CJK's .ttc) are skipped.
fontTools, bidi, arabic_reshaper and uharfbuzz are imported by the functions that need them:
a web worker that draws no PDF never loads them.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from elearn.pdf_fonts import shaping

FONT_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "fonts")
DEFAULT_FONT = os.path.join(FONT_DIR, "DejaVuSans.ttf")
DEFAULT_BOLD_FONT = os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")
# Debian's fonts-noto-core, fonts-droid-fallback (Chinese, Japanese) and fonts-nanum (Korean).
DEFAULT_FALLBACK_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/droid",
                         "/usr/share/fonts/truetype/nanum")
_lock = threading.RLock()
_paths: dict[str, str] = {}  # registered font name -> file
_bold_names: set[str] = set()
_fallback_dirs: tuple[str, ...] = DEFAULT_FALLBACK_DIRS


class FontMissing(RuntimeError):
    """The configured font file cannot be read; the message names it."""


def plain_streams() -> None:
    """Every PDF's streams as plain Flate: ASCII85 on top only makes files 25 % larger and
    slower to write. Called before drawing (reportlab is imported only by the code that draws)."""
    from reportlab import rl_config

    rl_config.useA85 = 0


def _register(path: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    name = "Cert-" + os.path.basename(path).rsplit(".", 1)[0]
    if name not in pdfmetrics.getRegisteredFontNames():
        if not os.path.isfile(path):
            raise FontMissing(path)
        try:
            with _lock:
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(shaping.font_class()(name, path))
        except Exception as exc:  # reportlab raises TTFError and plain errors alike
            raise FontMissing(path) from exc
    _paths[name] = path
    return name


def register_fonts(regular: str = DEFAULT_FONT, bold: str = DEFAULT_BOLD_FONT) -> tuple[str, str]:
    """Register the regular and bold faces with reportlab once; returns their font names."""
    plain_streams()
    names = _register(regular), _register(bold)
    if names[1] != names[0]:
        _bold_names.add(names[1])
    return names


# --- fallback fonts --------------------------------------------------------------------------

def parse_dirs(value: str | list | tuple | None) -> tuple[str, ...]:
    """PDF_FALLBACK_FONT_DIRS as a tuple: directories separated by ':' (os.pathsep), or a
    list; unset means Debian's; an empty string means none."""
    if value is None:
        return DEFAULT_FALLBACK_DIRS
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return tuple(d.strip() for d in value.split(os.pathsep) if d.strip())


def configure(dirs: tuple[str, ...] | list[str]) -> None:
    """Where fallback fonts are looked for (create_app passes PDF_FALLBACK_FONT_DIRS)."""
    global _fallback_dirs
    dirs = tuple(dirs)
    if dirs != _fallback_dirs:
        with _lock:
            _fallback_dirs = dirs
            _faces.cache_clear()
            _fallback_for.cache_clear()
            _layout.cache_clear()


@dataclass(frozen=True)
class Face:
    regular: str
    bold: str


_SKIP = re.compile(r"Bold|Italic|Light|Thin|Black|Medium|Condensed|Mono|Coding|Unjoined|"
                   r"Looped|Symbols2|Math|Music|SquareB$", re.I)
_LATER = re.compile(r"Serif|Myeongjo|Display|Kufi|Nastaliq|Rashi|UI\b", re.I)


def _rank(stem: str) -> int:
    """Plain sans faces first; serif and display faces only for what no sans face has."""
    return 1 if _LATER.search(stem) else 0


def font_files(dirs: tuple[str, ...]) -> list[str]:
    """Every TrueType file in the directories (not below them), without reading them."""
    found = []
    for folder in dirs:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        found += [os.path.join(folder, n) for n in names if n.lower().endswith(".ttf")]
    return found


@functools.lru_cache(maxsize=1)
def _faces() -> tuple[Face, ...]:
    files = font_files(_fallback_dirs)
    present = set(files)
    faces = []
    for order, path in enumerate(files):
        stem = os.path.basename(path)[:-4]
        base = stem[:-8] if stem.endswith("-Regular") else stem
        if _SKIP.search(base.replace("-", "")):
            continue
        folder = os.path.dirname(path)
        bold = next((p for p in (os.path.join(folder, f"{base}-Bold.ttf"),
                                 os.path.join(folder, f"{base}Bold.ttf")) if p in present), path)
        faces.append((_rank(base), order, Face(path, bold)))
    return tuple(face for _rank_, _order, face in sorted(faces, key=lambda f: f[:2]))


@functools.lru_cache(maxsize=512)
def coverage(path: str) -> frozenset[int]:
    """The code points a font file draws, from its cmap; empty for a font reportlab cannot
    embed (CFF outlines) or cannot read."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(path, lazy=True)
        if "glyf" not in font:
            return frozenset()
        return frozenset(font.getBestCmap() or ())
    except (OSError, TTLibError, KeyError, ValueError, AssertionError):
        return frozenset()


@functools.lru_cache(maxsize=4096)
def _fallback_for(code: int, bold: bool) -> str | None:
    """The registered name of the first fallback face that draws the character."""
    for face in _faces():
        if code in coverage(face.regular):
            path = face.bold if bold and code in coverage(face.bold) else face.regular
            try:
                return _register(path)
            except FontMissing:
                continue
    return None


@functools.lru_cache(maxsize=64)
def _has(font: str) -> frozenset[int]:
    """What a registered font draws, from the cmap reportlab read when registering it: text
    the primary font covers (most of it) never needs fontTools."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(font), "face", None)
    return frozenset(getattr(face, "charToGlyph", None) or ())


def fallback_available() -> bool:
    """Whether any fallback font is there (the production check; reads no font)."""
    return bool(font_files(_fallback_dirs))


# --- text in display order, split into runs --------------------------------------------------

def _needs_bidi(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def visual(text: str) -> str:
    """The text in the order its glyphs are drawn left to right: Arabic letters in their
    joined forms, right-to-left runs reversed. Text with no RTL letter comes back as it is."""
    if not _needs_bidi(text):
        return text
    from bidi import get_display

    if any(unicodedata.bidirectional(c) == "AL" for c in text):
        text = _reshaper().reshape(text)
    return get_display(text)


@functools.lru_cache(maxsize=1)
def _reshaper():
    from arabic_reshaper import ArabicReshaper

    # The letters of "الله" joined one by one, not the single-glyph word ligature DejaVu
    # lacks: the name stays in one font and reads back letter for letter.
    return ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})


def _sticks(char: str) -> bool:
    """Marks, joiners and spaces stay in the run before them when its font has them: a vowel
    sign drawn in another font than its letter would not sit on it."""
    return char.isspace() or unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"


@functools.lru_cache(maxsize=8192)
def _layout(text: str, font: str) -> tuple[tuple[str, str], ...]:
    shown = visual(text)
    path = _paths.get(font)
    if path is None:  # a font not registered here (a built-in one): nothing to fall back from
        return ((font, shown),)
    primary = _has(font)
    if all(ord(c) in primary for c in shown):
        return ((font, shown),)
    bold = font in _bold_names
    runs: list[list[str]] = []
    for char in shown:
        code = ord(char)
        if runs and runs[-1][0] != font and _sticks(char) and code in _has(runs[-1][0]):
            chosen = runs[-1][0]
        elif code in primary:
            chosen = font
        else:
            chosen = _fallback_for(code, bold) or font
        if runs and runs[-1][0] == chosen:
            runs[-1][1] += char
        else:
            runs.append([chosen, char])
    return tuple((f, t) for f, t in runs)


def _shaped(text: str, font: str):
    """The run's glyphs shaped by HarfBuzz when its script needs it (pdf_fonts.shaping)."""
    path = _paths.get(font)
    return None if path is None else shaping.shape(text, font, path)


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """(font name, text) pieces in drawing order; `font` is a name from register_fonts."""
    return list(_layout(text or "", font))


def string_width(text: str, font: str, size: float) -> float:
    """The drawn width of the text, each run in its own font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    total = 0.0
    for piece_font, piece in _layout(text or "", font):
        glyphs = _shaped(piece, piece_font)
        total += (stringWidth(piece, piece_font, size) if glyphs is None
                  else shaping.width(glyphs, size))
    return total


def draw_string(canvas, x: float, y: float, text: str, font: str, size: float,
                align: str = "left") -> float:
    """Draw one line starting at x (`left`), centred on it (`centre`) or ending at it
    (`right`), each run in its font; returns the width drawn. The canvas is left in `font`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces = _layout(text or "", font)
    shapes = [_shaped(t, f) for f, t in pieces]
    widths = [stringWidth(t, f, size) if glyphs is None else shaping.width(glyphs, size)
              for (f, t), glyphs in zip(pieces, shapes, strict=True)]
    total = sum(widths)
    x -= {"left": 0, "centre": total / 2, "right": total}[align]
    for (piece_font, piece), glyphs, width in zip(pieces, shapes, widths, strict=True):
        canvas.setFont(piece_font, size)
        if glyphs is None:
            canvas.drawString(x, y, piece)
        else:
            shaping.draw(canvas, x, y, glyphs, piece_font, size)
        x += width
    canvas.setFont(font, size)
    return total


def markup(text: str, font: str) -> str:
    """The text escaped for a reportlab Paragraph in `font`, with each fallback run in a
    <font name=...> tag. A shaped run gives its glyphs (their forms and order; a Paragraph
    places them by their own widths, without HarfBuzz's mark offsets)."""
    parts = []
    for f, t in _layout(text or "", font):
        glyphs = _shaped(t, f)
        shown = escape(t if glyphs is None else "".join(g.char for g in glyphs))
        parts.append(shown if f == font else f'<font name="{f}">{shown}</font>')
    return "".join(parts)


def sample_styles():
    """reportlab's sample style sheet in the embedded fonts: its Helvetica knows Latin-1 only
    and no fallback font can be joined to a font that is not embedded. Italic styles come out
    upright (no DejaVu oblique is shipped)."""
    from reportlab.lib.styles import getSampleStyleSheet

    regular, bold = register_fonts()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        name = getattr(style, "fontName", "")
        if name.startswith("Helvetica") or name.startswith("Times"):
            style.fontName = bold if "Bold" in name else regular
    return styles


def paragraph(text, style):
    """A Paragraph of plain text (escaped here), with fallback runs for other scripts."""
    from reportlab.platypus import Paragraph

    return Paragraph(markup(str(text), style.fontName), style)
